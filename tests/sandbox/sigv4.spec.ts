import { Sha256 } from '@aws-crypto/sha256-js';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { SignatureV4 } from '@smithy/signature-v4';
import { expect, test } from '../fixtures/sandbox';

/** DescribeLogGroups signed by the SDK's signer at `signingDate`, with the given headers signed too. */
async function signedRequest(
  url: string,
  accountId: string,
  options: { signingDate?: Date; body?: string; sendBody?: string; contentSha256?: string } = {},
) {
  const { host } = new URL(url);
  const body = options.body ?? '{}';
  const signer = new SignatureV4({
    credentials: { accessKeyId: accountId, secretAccessKey: 'test' },
    region: 'us-east-1',
    service: 'logs',
    sha256: Sha256,
  });
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: host,
      path: '/',
      headers: {
        host,
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'Logs_20140328.DescribeLogGroups',
        ...(options.contentSha256 !== undefined && { 'x-amz-content-sha256': options.contentSha256 }),
      },
      body,
    },
    { signingDate: options.signingDate ?? new Date() },
  );
  const response = await fetch(url, {
    method: 'POST',
    headers: signed.headers as Record<string, string>,
    body: options.sendBody ?? body,
  });
  return { status: response.status, body: (await response.json()) as { __type?: string; message?: string } };
}

const sha256 = async (text: string) =>
  Buffer.from(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))).toString('hex');

test.describe('SigV4 as AWS checks it', () => {
  test('a request signed now is accepted', async ({ sandbox, accountId }) => {
    expect((await signedRequest(sandbox.url, accountId)).status).toBe(200);
  });

  test('a request signed more than 15 minutes ago is refused as expired', async ({ sandbox, accountId }) => {
    const { status, body } = await signedRequest(sandbox.url, accountId, {
      signingDate: new Date('2015-01-01T00:00:00Z'),
    });
    expect(status).toBe(403);
    expect(body.__type).toContain('InvalidSignatureException');
    expect(body.message).toMatch(
      /^Signature expired: 20150101T000000Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/,
    );
  });

  test('a request signed more than 15 minutes ahead is refused', async ({ sandbox, accountId }) => {
    const { status, body } = await signedRequest(sandbox.url, accountId, {
      signingDate: new Date(Date.now() + 20 * 60_000),
    });
    expect(status).toBe(403);
    expect(body.message).toMatch(/^Signature not yet current: /);
  });

  test('within the skew the request stands', async ({ sandbox, accountId }) => {
    const { status } = await signedRequest(sandbox.url, accountId, {
      signingDate: new Date(Date.now() - 10 * 60_000),
    });
    expect(status).toBe(200);
  });

  test('a signed x-amz-content-sha256 must be the hash of the bytes received', async ({
    sandbox,
    accountId,
  }) => {
    const body = '{"limit":5}';
    const honest = await signedRequest(sandbox.url, accountId, { body, contentSha256: await sha256(body) });
    expect(honest.status).toBe(200);
    const tampered = await signedRequest(sandbox.url, accountId, {
      body,
      sendBody: '{"limit":1}',
      contentSha256: await sha256(body),
    });
    expect(tampered.status).toBe(403);
    expect(tampered.body.__type).toContain('InvalidSignatureException');
  });

  test('an SDK client whose clock is an hour off corrects itself from the sandbox’s Date header', async ({
    aws,
  }) => {
    const logs = new CloudWatchLogsClient({ ...aws, systemClockOffset: -3_600_000, maxAttempts: 2 });
    await expect(logs.send(new DescribeLogGroupsCommand({}))).resolves.toMatchObject({ logGroups: [] });
  });
});
