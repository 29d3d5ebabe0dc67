import {
  BedrockClient,
  GetFoundationModelCommand,
  ListFoundationModelsCommand,
  PutModelInvocationLoggingConfigurationCommand,
  type ModelModality,
} from '@aws-sdk/client-bedrock';
import {
  BedrockRuntimeClient,
  ConverseCommand,
  type ConversationRole,
} from '@aws-sdk/client-bedrock-runtime';
import {
  CloudWatchClient,
  GetMetricStatisticsCommand,
  PutMetricDataCommand,
  type PutMetricDataCommandInput,
  type StandardUnit,
} from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  PutLogEventsCommand,
  type OrderBy,
  type PutLogEventsCommandInput,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  CreatePolicyCommand,
  CreateRoleCommand,
  type CreateRoleCommandInput,
  GetRoleCommand,
  IAMClient,
  ListRolesCommand,
  SimulatePrincipalPolicyCommand,
  type ContextKeyTypeEnum,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetFederationTokenCommand, STSClient } from '@aws-sdk/client-sts';
import constraints from '../../sandbox/protocols/constraints.json';
import { compilePattern, findProblems } from '../../sandbox/protocols/input-constraints';
import { LabBuilder } from '../../specs/genai-monitoring/lab/scenario';
import { queryRequest } from '../fixtures/query-protocol';
import { expect, test } from '../fixtures/sandbox';

/**
 * Every operation's input meets AWS's own constraints (sandbox/protocols/constraints.json, from
 * AWS's service models) before authorization or a handler sees it, refused with each service's
 * code and words. Through the real SDK clients.
 */

const one = (text: string) => `1 validation error detected: ${text}`;
const at = (value: string | null, member: string, constraint: string) =>
  `Value ${value === null ? 'null' : `'${value}'`} at '${member}' failed to satisfy constraint: ${constraint}`;
const MEGABYTE = 1024 * 1024;

/** A 1 MB text against a pattern is refused for its length alone, at once. */
async function quickly<T>(call: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    return await call();
  } finally {
    expect(Date.now() - started).toBeLessThan(3000);
  }
}

test.describe('CloudWatch Logs: InvalidParameterException', () => {
  test('length, pattern, enum and range, each in AWS words', async ({ aws }) => {
    const logs = new CloudWatchLogsClient(aws);
    await expect(
      logs.send(new CreateLogGroupCommand({ logGroupName: 'g'.repeat(513) })),
    ).rejects.toMatchObject({
      // CreateLogGroup words a name's length itself (recorded from AWS: tests/aws-snapshots).
      name: 'InvalidParameterException',
      message: 'Invalid LogGroup or LogStream, both must have length less than or equal to 512.',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(
      logs.send(new DescribeLogStreamsCommand({ logGroupName: 'g'.repeat(513) })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: one(at('g'.repeat(513), 'logGroupName', 'Member must have length less than or equal to 512')),
    });
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'g' }));
    await expect(
      logs.send(new CreateLogStreamCommand({ logGroupName: 'g', logStreamName: 'a:b' })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: one(at('a:b', 'logStreamName', 'Member must satisfy regular expression pattern: [^:*]*')),
    });
    await expect(
      logs.send(new DescribeLogStreamsCommand({ logGroupName: 'g', orderBy: 'Newest' as OrderBy })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: one(
        at('Newest', 'orderBy', 'Member must satisfy enum value set: [LogStreamName, LastEventTime]'),
      ),
    });
    await expect(logs.send(new DescribeLogGroupsCommand({ limit: 0 }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: one(at('0', 'limit', 'Member must have value greater than or equal to 1')),
    });
  });

  test('a missing member, one in a list, and several problems at once', async ({ aws }) => {
    const logs = new CloudWatchLogsClient(aws);
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'g' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: 'g', logStreamName: 's' }));
    await expect(
      logs.send(
        new PutLogEventsCommand({ logGroupName: 'g', logStreamName: 's' } as PutLogEventsCommandInput),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: one(at(null, 'logEvents', 'Member must not be null')),
    });
    // As AWS answered a client that left the timestamp out (amazon-archives/cloudwatch-logs-centralize-logs#5).
    await expect(
      logs.send(
        new PutLogEventsCommand({
          logGroupName: 'g',
          logStreamName: 's',
          logEvents: [{ message: 'hello' } as { message: string; timestamp: number }],
        }),
      ),
    ).rejects.toMatchObject({
      message: one(at(null, 'logEvents.1.member.timestamp', 'Member must not be null')),
    });
    await expect(
      logs.send(new PutLogEventsCommand({ logGroupName: 'g', logStreamName: 's', logEvents: [] })),
    ).rejects.toMatchObject({
      message: one(at('[]', 'logEvents', 'Member must have length greater than or equal to 1')),
    });
    await expect(logs.send(new CreateLogGroupCommand({ logGroupName: '' }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message:
        '2 validation errors detected: ' +
        `${at('', 'logGroupName', 'Member must have length greater than or equal to 1')}; ` +
        at('', 'logGroupName', 'Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+'),
    });
    // A list of names is judged as one member, every constraint of its items listed.
    await expect(
      logs.send(new FilterLogEventsCommand({ logGroupName: 'g', logStreamNames: ['s', 'a*b'], limit: 0 })),
    ).rejects.toMatchObject({
      message:
        '2 validation errors detected: ' +
        `${at(
          '[s, a*b]',
          'logStreamNames',
          'Member must satisfy constraint: [Member must have length less than or equal to 512, ' +
            'Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [^:*]*]',
        )}; ` +
        at('0', 'limit', 'Member must have value greater than or equal to 1'),
    });
  });

  test('a 1 MB group name is refused for its length, at once', async ({ aws }) => {
    const name = `${'a'.repeat(MEGABYTE)}!`;
    await expect(
      quickly(() => new CloudWatchLogsClient(aws).send(new CreateLogGroupCommand({ logGroupName: name }))),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: 'Invalid LogGroup or LogStream, both must have length less than or equal to 512.',
    });
  });
});

test.describe('IAM: ValidationError', () => {
  const trust = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { Service: 'bedrock.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ],
  });

  test('length, pattern, enum and range, each in AWS words', async ({ aws }) => {
    const iam = new IAMClient(aws);
    await expect(iam.send(new GetRoleCommand({ RoleName: 'r'.repeat(65) }))).rejects.toMatchObject({
      name: 'ValidationError',
      message: one(at('r'.repeat(65), 'roleName', 'Member must have length less than or equal to 64')),
      $metadata: { httpStatusCode: 400 },
    });
    await expect(
      iam.send(new CreatePolicyCommand({ PolicyName: 'p', Path: 'lab', PolicyDocument: trust })),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      message: one(
        at('lab', 'path', 'Member must satisfy regular expression pattern: ((/[A-Za-z0-9\\.,\\+@=_-]+)*)/'),
      ),
    });
    await expect(
      iam.send(
        new SimulatePrincipalPolicyCommand({
          PolicySourceArn: 'arn:aws:iam::123456789012:role/r',
          ActionNames: ['logs:PutLogEvents'],
          ContextEntries: [
            { ContextKeyName: 'aws:SourceAccount', ContextKeyType: 'text' as ContextKeyTypeEnum },
          ],
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      message: one(
        at(
          'text',
          'contextEntries.1.member.contextKeyType',
          'Member must satisfy enum value set: [string, stringList, numeric, numericList, boolean, booleanList, ip, ipList, binary, binaryList, date, dateList]',
        ),
      ),
    });
    await expect(iam.send(new ListRolesCommand({ MaxItems: 0 }))).rejects.toMatchObject({
      name: 'ValidationError',
      message: one(at('0', 'maxItems', 'Member must have value greater than or equal to 1')),
    });
  });

  test('a missing member, and several problems at once', async ({ aws }) => {
    const iam = new IAMClient(aws);
    await expect(
      iam.send(new CreateRoleCommand({ AssumeRolePolicyDocument: trust } as CreateRoleCommandInput)),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      message: one(at(null, 'roleName', 'Member must not be null')),
    });
    await expect(
      iam.send(
        new CreateRoleCommand({
          RoleName: 'bad name!',
          AssumeRolePolicyDocument: trust,
          MaxSessionDuration: 60,
        }),
      ),
    ).rejects.toMatchObject({
      message:
        '2 validation errors detected: ' +
        `${at('bad name!', 'roleName', 'Member must satisfy regular expression pattern: [\\w+=,.@-]+')}; ` +
        at('60', 'maxSessionDuration', 'Member must have value greater than or equal to 3600'),
    });
  });

  test('a 1 MB trust policy is refused for its length, at once', async ({ aws }) => {
    const document = `${'{'.repeat(MEGABYTE)}\u2603`;
    await expect(
      quickly(() =>
        new IAMClient(aws).send(new CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: document })),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      message: one(
        at(document, 'assumeRolePolicyDocument', 'Member must have length less than or equal to 131072'),
      ),
    });
  });
});

test.describe('STS: ValidationError', () => {
  // No operation the sandbox emulates of STS has a member with an enum.
  test('length, pattern and range, each in AWS words', async ({ aws }) => {
    const sts = new STSClient(aws);
    await expect(sts.send(new GetFederationTokenCommand({ Name: 'n'.repeat(33) }))).rejects.toMatchObject({
      name: 'ValidationError',
      message: one(at('n'.repeat(33), 'name', 'Member must have length less than or equal to 32')),
      $metadata: { httpStatusCode: 400 },
    });
    const roleArn = `arn:aws:iam::${aws.credentials.accessKeyId}:role/r`;
    await expect(
      sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'my session' })),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      message: one(
        at('my session', 'roleSessionName', 'Member must satisfy regular expression pattern: [\\w+=,.@-]*'),
      ),
    });
    await expect(
      sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'lab', DurationSeconds: 899 })),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      message: one(at('899', 'durationSeconds', 'Member must have value greater than or equal to 900')),
    });
  });

  test('a missing member, one in a list, and several problems at once', async ({ aws }) => {
    const sts = new STSClient(aws);
    const roleArn = `arn:aws:iam::${aws.credentials.accessKeyId}:role/r`;
    await expect(
      sts.send(new AssumeRoleCommand({ RoleArn: roleArn } as { RoleArn: string; RoleSessionName: string })),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      message: one(at(null, 'roleSessionName', 'Member must not be null')),
    });
    await expect(
      sts.send(
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: 'lab',
          Tags: [{ Key: 'a!', Value: 'v' }],
        }),
      ),
    ).rejects.toMatchObject({
      message: one(
        at(
          'a!',
          'tags.1.member.key',
          'Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+',
        ),
      ),
    });
    await expect(
      sts.send(new GetFederationTokenCommand({ Name: 'x', DurationSeconds: 129_601 })),
    ).rejects.toMatchObject({
      message:
        '2 validation errors detected: ' +
        `${at('x', 'name', 'Member must have length greater than or equal to 2')}; ` +
        at('129601', 'durationSeconds', 'Member must have value less than or equal to 129600'),
    });
  });

  test('a 1 MB session name is refused for its length, at once', async ({ aws }) => {
    const name = `${'a'.repeat(MEGABYTE)} `;
    await expect(
      quickly(() => new STSClient(aws).send(new GetFederationTokenCommand({ Name: name }))),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      message: one(at(name, 'name', 'Member must have length less than or equal to 32')),
    });
  });
});

test.describe('CloudWatch: InvalidParameterValue and MissingParameter, in its own words', () => {
  const datum = (extra: object = {}) => ({ MetricName: 'Invocations', Value: 1, ...extra });

  test('length, pattern, enum and range', async ({ aws }) => {
    const cw = new CloudWatchClient(aws);
    // As AWS answered the CloudWatch agent (aws/amazon-cloudwatch-agent#240).
    await expect(
      cw.send(
        new PutMetricDataCommand({
          Namespace: 'Lab',
          MetricData: [datum({ Dimensions: [{ Name: 'ModelId', Value: 'v'.repeat(1025) }] })],
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      message:
        'The parameter MetricData.member.1.Dimensions.member.1.Value must be shorter than 1025 characters.',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(
      cw.send(new PutMetricDataCommand({ Namespace: ':Lab', MetricData: [datum()] })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      message: 'The value :Lab for parameter Namespace is not matching the expected pattern [^:].*.',
    });
    // As AWS answered collectd-cloudwatch (awslabs/collectd-cloudwatch#46).
    await expect(
      cw.send(
        new PutMetricDataCommand({
          Namespace: 'Lab',
          MetricData: [datum({ Unit: 'Parsecs' as StandardUnit })],
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      message:
        'The parameter MetricData.member.1.Unit must be a value in the set [ Seconds, Microseconds, Milliseconds, ' +
        'Bytes, Kilobytes, Megabytes, Gigabytes, Terabytes, Bits, Kilobits, Megabits, Gigabits, Terabits, Percent, ' +
        'Count, Bytes/Second, Kilobytes/Second, Megabytes/Second, Gigabytes/Second, Terabytes/Second, Bits/Second, ' +
        'Kilobits/Second, Megabits/Second, Gigabits/Second, Terabits/Second, Count/Second, None ].',
    });
    const now = Date.now();
    await expect(
      cw.send(
        new GetMetricStatisticsCommand({
          Namespace: 'Lab',
          MetricName: 'Invocations',
          StartTime: new Date(now - 3600_000),
          EndTime: new Date(now),
          Period: 0,
          Statistics: ['Sum'],
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      message: 'The parameter Period must be greater than or equal to 1.',
    });
  });

  test('a missing parameter, a collection too large, and several problems at once', async ({ aws }) => {
    const cw = new CloudWatchClient(aws);
    await expect(
      cw.send(new PutMetricDataCommand({ MetricData: [datum()] } as PutMetricDataCommandInput)),
    ).rejects.toMatchObject({
      name: 'MissingRequiredParameterException',
      message: 'The parameter Namespace is required.',
    });
    const dimensions = Array.from({ length: 31 }, (_, i) => ({ Name: `d${i}`, Value: 'v' }));
    await expect(
      cw.send(
        new PutMetricDataCommand({ Namespace: 'Lab', MetricData: [datum({ Dimensions: dimensions })] }),
      ),
    ).rejects.toMatchObject({
      message: 'The collection MetricData.member.1.Dimensions must not have a size greater than 30.',
    });
    await expect(
      cw.send(
        new PutMetricDataCommand({
          Namespace: 'Lab',
          MetricData: [datum({ MetricName: 'm'.repeat(256) }), datum({ Unit: 'Parsecs' as StandardUnit })],
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      message: expect.stringMatching(
        /^The parameter MetricData\.member\.1\.MetricName must be shorter than 256 characters\.\nThe parameter MetricData\.member\.2\.Unit must be a value in the set \[ Seconds, .* None \]\.$/,
      ),
    });
  });

  test('the Query protocol gets the same answer in XML, numbers sent as text', async ({ aws }) => {
    const refused = await queryRequest(aws, 'monitoring', {
      Action: 'GetMetricStatistics',
      Version: '2010-08-01',
      Namespace: 'Lab',
      MetricName: 'Invocations',
      StartTime: new Date(Date.now() - 3600_000).toISOString(),
      EndTime: new Date().toISOString(),
      Period: '0',
      'Statistics.member.1': 'Total',
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toContain(
      '<Code>InvalidParameterValue</Code><Message>The parameter Period must be greater than or equal to 1.\n' +
        'The parameter Statistics.member.1 must be a value in the set [ SampleCount, Average, Sum, Minimum, Maximum ].</Message>',
    );
  });

  test('a 1 MB namespace is refused for its length, at once', async ({ aws }) => {
    const namespace = `:${'a'.repeat(MEGABYTE)}`;
    await expect(
      quickly(() =>
        new CloudWatchClient(aws).send(
          new PutMetricDataCommand({ Namespace: namespace, MetricData: [datum()] }),
        ),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      message: 'The parameter Namespace must be shorter than 256 characters.',
    });
  });
});

test.describe('Bedrock: ValidationException', () => {
  // No operation the sandbox emulates of the Bedrock control plane has a numeric member.
  test('length, pattern and enum, each in AWS words', async ({ aws }) => {
    const bedrock = new BedrockClient(aws);
    await expect(
      bedrock.send(
        new PutModelInvocationLoggingConfigurationCommand({
          loggingConfig: { s3Config: { bucketName: 'ab' } },
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: one(
        at('ab', 'loggingConfig.s3Config.bucketName', 'Member must have length greater than or equal to 3'),
      ),
      $metadata: { httpStatusCode: 400 },
    });
    await expect(
      bedrock.send(new ListFoundationModelsCommand({ byProvider: 'Anthropic!' })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: one(
        at('Anthropic!', 'byProvider', 'Member must satisfy regular expression pattern: [A-Za-z0-9- ]{1,63}'),
      ),
    });
    await expect(
      bedrock.send(new ListFoundationModelsCommand({ byOutputModality: 'SOUND' as ModelModality })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: one(
        at('SOUND', 'byOutputModality', 'Member must satisfy enum value set: [TEXT, IMAGE, EMBEDDING]'),
      ),
    });
    const pattern = constraints.services.bedrock.shapes.GetFoundationModelIdentifier.pattern;
    await expect(
      bedrock.send(new GetFoundationModelCommand({ modelIdentifier: 'Claude Haiku' })),
    ).rejects.toMatchObject({
      message: one(
        at('Claude Haiku', 'modelIdentifier', `Member must satisfy regular expression pattern: ${pattern}`),
      ),
    });
  });

  test('missing members, at every depth, all at once', async ({ aws }) => {
    const bedrock = new BedrockClient(aws);
    await expect(
      bedrock.send(new PutModelInvocationLoggingConfigurationCommand({} as { loggingConfig: object })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: one(at(null, 'loggingConfig', 'Member must not be null')),
    });
    await expect(
      bedrock.send(
        new PutModelInvocationLoggingConfigurationCommand({
          loggingConfig: {
            cloudWatchConfig: { logGroupName: '/aws/bedrock/model-invocations' } as {
              logGroupName: string;
              roleArn: string;
            },
            s3Config: {} as { bucketName: string },
          },
        }),
      ),
    ).rejects.toMatchObject({
      message:
        '2 validation errors detected: ' +
        `${at(null, 'loggingConfig.cloudWatchConfig.roleArn', 'Member must not be null')}; ` +
        at(null, 'loggingConfig.s3Config.bucketName', 'Member must not be null'),
    });
  });

  test('a 1 MB role ARN is refused for its length, at once', async ({ aws }) => {
    const roleArn = `${'a'.repeat(MEGABYTE)}`;
    await expect(
      quickly(() =>
        new BedrockClient(aws).send(
          new PutModelInvocationLoggingConfigurationCommand({
            loggingConfig: { cloudWatchConfig: { logGroupName: 'g', roleArn } },
          }),
        ),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: one(
        at(
          roleArn,
          'loggingConfig.cloudWatchConfig.roleArn',
          'Member must have length less than or equal to 2048',
        ),
      ),
    });
  });
});

test.describe('Bedrock runtime: ValidationException', () => {
  const MODEL = 'amazon.nova-micro-v1:0';
  const hello = [{ role: 'user' as const, content: [{ text: 'Hello' }] }];

  test('length, pattern, enum and range, each in AWS words', async ({ aws }) => {
    const runtime = new BedrockRuntimeClient(aws);
    const pattern = constraints.services['bedrock-runtime'].shapes.ConversationalModelId.pattern;
    await expect(
      runtime.send(new ConverseCommand({ modelId: 'm'.repeat(2049), messages: hello })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: one(at('m'.repeat(2049), 'modelId', 'Member must have length less than or equal to 2048')),
      $metadata: { httpStatusCode: 400 },
    });
    await expect(
      runtime.send(new ConverseCommand({ modelId: 'nova micro', messages: hello })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: one(at('nova micro', 'modelId', `Member must satisfy regular expression pattern: ${pattern}`)),
    });
    await expect(
      runtime.send(
        new ConverseCommand({
          modelId: MODEL,
          messages: [{ role: 'system' as ConversationRole, content: [{ text: 'Hello' }] }],
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: one(
        at('system', 'messages.1.member.role', 'Member must satisfy enum value set: [user, assistant]'),
      ),
    });
    await expect(
      runtime.send(
        new ConverseCommand({ modelId: MODEL, messages: hello, inferenceConfig: { temperature: 2 } }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: one(
        at('2.0', 'inferenceConfig.temperature', 'Member must have value less than or equal to 1'),
      ),
    });
  });

  test('a missing member, a sensitive one, and several problems at once', async ({ aws }) => {
    const runtime = new BedrockRuntimeClient(aws);
    await expect(
      runtime.send(
        new ConverseCommand({
          modelId: MODEL,
          messages: [{ role: 'user' } as { role: 'user'; content: [] }],
        }),
      ),
    ).rejects.toMatchObject({
      message: one(at(null, 'messages.1.member.content', 'Member must not be null')),
    });
    // A sensitive member's value is left out, as AWS leaves it out (`Value at 'secretString' ...`).
    await expect(
      runtime.send(
        new ConverseCommand({
          modelId: MODEL,
          messages: [
            { role: 'user', content: [{ image: { format: 'png', source: { bytes: new Uint8Array(0) } } }] },
          ],
        }),
      ),
    ).rejects.toMatchObject({
      message: one(
        "Value at 'messages.1.member.content.1.member.image.source.bytes' failed to satisfy constraint: Member must have length greater than or equal to 1",
      ),
    });
    await expect(
      runtime.send(
        new ConverseCommand({
          modelId: MODEL,
          messages: [{ role: 'system' as ConversationRole, content: [{ text: 'Hi' }] }],
          inferenceConfig: { maxTokens: 0 },
        }),
      ),
    ).rejects.toMatchObject({
      message:
        '2 validation errors detected: ' +
        `${at('system', 'messages.1.member.role', 'Member must satisfy enum value set: [user, assistant]')}; ` +
        at('0', 'inferenceConfig.maxTokens', 'Member must have value greater than or equal to 1'),
    });
  });

  test('a 1 MB tool name is refused for its length, at once', async ({ aws }) => {
    const name = `${'t'.repeat(MEGABYTE)}!`;
    await expect(
      quickly(() =>
        new BedrockRuntimeClient(aws).send(
          new ConverseCommand({
            modelId: MODEL,
            messages: hello,
            toolConfig: { tools: [{ toolSpec: { name, inputSchema: { json: {} } } }] },
          }),
        ),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: one(
        at(
          name,
          'toolConfig.tools.1.member.toolSpec.name',
          'Member must have length less than or equal to 64',
        ),
      ),
    });
  });
});

test('the lab, carried out as its text says, meets every constraint', async ({ sandbox, accountId }) => {
  await new LabBuilder(sandbox.url, accountId).complete();
  // The lab's own steps look for the role before creating it: that NoSuchEntity is expected.
  const refused = sandbox.world.audit
    .list({ account: accountId })
    .filter((e) => e.status === 400)
    .map((e) => `${e.service}:${e.operation} ${e.errorCode}`);
  expect(refused).toEqual([]);
  expect(sandbox.world.audit.list({ account: accountId }).length).toBeGreaterThan(5);
});

test.describe('the validator, alone', () => {
  test('a map is judged by its keys and by its values', () => {
    expect(findProblems('logs', 'CreateLogGroup', { logGroupName: 'g', tags: { 'team!': 'lab' } })).toEqual([
      {
        path: [{ member: 'tags' }],
        value: { 'team!': 'lab' },
        hidden: false,
        rule: {
          kind: 'keys',
          rules: [
            { kind: 'length', bound: 'max', limit: 128, collection: false },
            { kind: 'length', bound: 'min', limit: 1, collection: false },
            { kind: 'pattern', pattern: '^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+)$' },
          ],
        },
      },
    ]);
  });

  test('numbers sent as text are read as numbers; a number that is not whole is refused', () => {
    expect(findProblems('iam', 'ListRoles', { MaxItems: '1000' })).toEqual([]);
    expect(findProblems('iam', 'ListRoles', { MaxItems: '1001' })).toMatchObject([
      { rule: { kind: 'value', bound: 'max', limit: 1000 } },
    ]);
    expect(findProblems('iam', 'ListRoles', { MaxItems: '1.5' })).toMatchObject([
      { rule: { kind: 'whole' } },
    ]);
  });

  test('values of another type than the model says are left to the type check', () => {
    expect(findProblems('logs', 'CreateLogGroup', { logGroupName: ['a list'] })).toEqual([]);
    expect(findProblems('iam', 'GetRole', { RoleName: { nested: 'x' } })).toEqual([]);
  });

  test('Java patterns run in RE2: \\uXXXX is read as Java reads it, what RE2 cannot run is refused to compile', () => {
    expect(compilePattern('[\\u0009\\u0020-\\u00FF]+').matches('policy')).toBe(true);
    expect(compilePattern('[\\u0009\\u0020-\\u00FF]+').matches('\u2603')).toBe(false);
    expect(() => compilePattern('(?<!-)a')).toThrow();
  });

  test('an operation the table does not know has no constraints', () => {
    expect(findProblems('logs', 'Nope', { logGroupName: '' })).toEqual([]);
    expect(findProblems('nope', 'CreateLogGroup', {})).toEqual([]);
  });

  test('the table records its source', () => {
    expect(constraints.source.package).toBe('botocore');
    expect(Object.keys(constraints.services).sort()).toEqual(
      ['bedrock', 'bedrock-runtime', 'iam', 'logs', 'monitoring', 'sts'].sort(),
    );
  });
});
