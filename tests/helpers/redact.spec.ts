import { expect, test } from '@playwright/test';
import { redact } from '../../helpers/redact';

const ACCESS_KEY = 'AKIAIOSFODNN7EXAMPLE';
const SESSION_KEY = 'ASIAY34FZKBOKMUTVV7A';
const SIGNATURE = 'a'.repeat(32) + '0123456789abcdef'.repeat(2);

test.describe('secret-looking keys', () => {
  const keys = [
    'SecretAccessKey',
    'aws_secret_access_key',
    'SessionToken',
    'x-amz-security-token',
    'Signature',
    'password',
    'Credentials',
    'AccessKeyId',
    'Authorization',
    'sessionId',
    'SessionKey',
  ];
  for (const key of keys) {
    test(`${key} is redacted at any depth`, () => {
      const input = { [key]: 'value', outer: { list: [{ [key]: { nested: 'value' } }] } };
      expect(redact(input)).toEqual({
        [key]: '[redacted]',
        outer: { list: [{ [key]: '[redacted]' }] },
      });
    });
  }
});

test.describe('secret-looking values', () => {
  const cases: { name: string; value: string; redacted: string }[] = [
    { name: 'an AKIA access key', value: `key ${ACCESS_KEY} used`, redacted: 'key [redacted] used' },
    { name: 'an ASIA session key', value: `${SESSION_KEY}`, redacted: '[redacted]' },
    {
      name: 'a SigV4 signature in a URL',
      value: `https://example.com/?X-Amz-Signature=${SIGNATURE}&x=1`,
      redacted: 'https://example.com/?X-Amz-[redacted]&x=1',
    },
    {
      name: 'a console sign-in token',
      value: 'https://signin.aws.amazon.com/federation?Action=login&SigninToken=abc.DEF-123&Destination=x',
      redacted: 'https://signin.aws.amazon.com/federation?Action=login&[redacted]&Destination=x',
    },
    {
      name: 'a session token in a presigned URL',
      value: 'https://example.com/?X-Amz-Security-Token=IQoJb3JpZ2luX2Vj%2F&X-Amz-Date=20261127T000000Z',
      redacted: 'https://example.com/?[redacted]&X-Amz-Date=20261127T000000Z',
    },
    {
      name: 'credentials quoted as JSON inside a message',
      value: 'got {"accessKeyId": "x", "SecretAccessKey":"wJalrXUtnFEMI/K7MDENG", "sessionToken" : "IQo="}',
      redacted: 'got {"accessKeyId": "x", "SecretAccessKey": "[redacted]", "sessionToken": "[redacted]"}',
    },
    {
      name: 'several secrets in one string',
      value: `${ACCESS_KEY} and ${SESSION_KEY}`,
      redacted: '[redacted] and [redacted]',
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      expect(redact(c.value)).toBe(c.redacted);
      expect(redact({ deep: [{ note: c.value }] })).toEqual({ deep: [{ note: c.redacted }] });
    });
  }

  test('a short AKIA-like word is kept', () => {
    expect(redact('AKIA123')).toBe('AKIA123');
  });
});

test.describe('bodies', () => {
  const inputBodyJson = { messages: [{ role: 'user', content: 'What is Amazon Bedrock?' }] };
  const record = {
    modelId: 'm',
    input: { inputBodyJson, inputBodyText: 'hello' },
    output: { outputBodyJson: null, outputBodyText: undefined },
  };

  test('are shown as sizes by default', () => {
    expect(redact(record)).toEqual({
      modelId: 'm',
      input: {
        inputBodyJson: `[${JSON.stringify(inputBodyJson).length} characters]`,
        inputBodyText: '[7 characters]',
      },
      output: { outputBodyJson: '[4 characters]', outputBodyText: '[4 characters]' },
    });
  });

  test('are kept with full evidence', () => {
    expect(redact(record, 'full')).toEqual(record);
  });

  test('still lose secrets with full evidence', () => {
    expect(redact({ inputBodyText: ACCESS_KEY, SessionToken: 't' }, 'full')).toEqual({
      inputBodyText: '[redacted]',
      SessionToken: '[redacted]',
    });
  });
});

test.describe('other values', () => {
  const values: unknown[] = [
    42,
    true,
    null,
    undefined,
    'What is Amazon Bedrock?',
    'arn:aws:iam::123456789012:role/LabBedrockInvocationLogging',
    [1, 'two', { three: 3 }],
    { status: 'Complete', rows: 6, fields: ['@timestamp', 'modelId'] },
    { permissions: { 'logs:PutLogEvents': 'allowed' } },
  ];
  for (const value of values) {
    test(`${JSON.stringify(value) ?? 'undefined'} is untouched`, () => {
      expect(redact(value)).toEqual(value);
    });
  }

  test('token counts are not secrets', () => {
    const evidence = { missing: { inputTokenCount: 1, outputTokenCount: 2 }, nextToken: 'abc' };
    expect(redact(evidence)).toEqual({
      missing: { inputTokenCount: 1, outputTokenCount: 2 },
      nextToken: '[redacted]',
    });
  });

  test('dates become ISO text', () => {
    expect(redact({ LastModified: new Date(0) })).toEqual({ LastModified: '1970-01-01T00:00:00.000Z' });
  });

  test('the input is not modified', () => {
    const input = { SecretAccessKey: 's', list: [ACCESS_KEY] };
    redact(input);
    expect(input).toEqual({ SecretAccessKey: 's', list: [ACCESS_KEY] });
  });
});
