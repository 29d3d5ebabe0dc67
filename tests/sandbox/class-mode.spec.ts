import { PutModelInvocationLoggingConfigurationCommand, BedrockClient } from '@aws-sdk/client-bedrock';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DescribeLogGroupsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetFederationTokenCommand, STSClient } from '@aws-sdk/client-sts';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { learnerCredentials, LEARNER_PROFILE } from '../../sandbox/auth/learners';
import { startSandbox, type RunningSandbox } from '../../sandbox/server';
import { sameOriginPath } from '../../sandbox/console/federation';
import { ADMIN_CHANGE, expect, test } from '../fixtures/sandbox';
import { bedrockTrustPolicy } from '../fixtures/lab-policies';

/**
 * Class mode: one sandbox for a class, each learner's account reached only with that learner's
 * own secret key and console password, issued from the grader's roster.
 */
const ALICE = { learnerId: 'alice', accountId: '111111111111' };
const BOB = { learnerId: 'bob', accountId: '222222222222' };

/** The secrets a learner's credentials file hands out. */
function handedOut(dir: string, learnerId: string) {
  const text = readFileSync(join(dir, `${learnerId}.ini`), 'utf8');
  const value = (key: string) => new RegExp(`${key} = (\\S+)`).exec(text)?.[1] ?? '';
  return {
    accessKeyId: value('aws_access_key_id'),
    secretAccessKey: value('aws_secret_access_key'),
    password: value('console_password'),
    text,
  };
}

const logs = (sandbox: RunningSandbox, accessKeyId: string, secretAccessKey: string) =>
  new CloudWatchLogsClient({
    endpoint: sandbox.url,
    region: 'us-east-1',
    credentials: { accessKeyId, secretAccessKey },
    maxAttempts: 1,
  });

/** Posts the console's root sign-in form; the session cookie when it signed in. */
async function consoleSignin(sandbox: RunningSandbox, account: string, password: string, origin?: string) {
  const response = await fetch(`${sandbox.url}/signin`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(origin !== undefined && { origin }),
    },
    body: new URLSearchParams({ account, password, redirect_uri: '/console/' }),
  });
  await response.arrayBuffer();
  return { status: response.status, cookie: response.headers.get('set-cookie') ?? undefined };
}

test.describe('class mode', () => {
  let sandbox: RunningSandbox;
  let dir: string;

  test.beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'class-credentials-'));
    sandbox = await startSandbox({
      port: 0,
      learners: learnerCredentials([ALICE, BOB], dir, 'http://class.example:4566'),
    });
  });
  test.afterAll(async () => sandbox.close());

  test('each learner gets a file of their own, readable by its owner alone: a profile, the console and a password', () => {
    const alice = handedOut(dir, 'alice');
    const bob = handedOut(dir, 'bob');
    expect(alice.accessKeyId).toBe(ALICE.accountId);
    expect(alice.text).toContain(`[${LEARNER_PROFILE}]`);
    expect(alice.text).toContain('http://class.example:4566/signin');
    expect(alice.secretAccessKey).toMatch(/^[\w-]{40}$/);
    expect(alice.password).toMatch(/^[\w-]{16}$/);
    expect(alice.secretAccessKey).not.toBe(bob.secretAccessKey);
    expect(statSync(join(dir, 'alice.ini')).mode & 0o777).toBe(0o600);
  });

  test('a learner works in their own account with their own key', async () => {
    const alice = handedOut(dir, 'alice');
    const client = logs(sandbox, alice.accessKeyId, alice.secretAccessKey);
    await client.send(new CreateLogGroupCommand({ logGroupName: '/alice' }));
    const { logGroups } = await client.send(new DescribeLogGroupsCommand({}));
    expect(logGroups?.map((g) => g.arn)).toEqual([
      `arn:aws:logs:us-east-1:${ALICE.accountId}:log-group:/alice:*`,
    ]);
  });

  test('a classmate’s account id with one’s own secret, or with `test`, is refused', async () => {
    const alice = handedOut(dir, 'alice');
    await expect(
      logs(sandbox, BOB.accountId, alice.secretAccessKey).send(new DescribeLogGroupsCommand({})),
    ).rejects.toMatchObject({ name: 'InvalidSignatureException' });
    await expect(
      logs(sandbox, BOB.accountId, 'test').send(new DescribeLogGroupsCommand({})),
    ).rejects.toMatchObject({
      name: 'InvalidSignatureException',
    });
  });

  test('an account no learner has is unknown; `test` opens nothing, the instructor has a secret of their own', async () => {
    await expect(
      logs(sandbox, '333333333333', 'test').send(new DescribeLogGroupsCommand({})),
    ).rejects.toMatchObject({ name: 'UnrecognizedClientException' });
    // The grader's trust in the instructor's account must not be a door every learner knows.
    await expect(logs(sandbox, 'test', 'test').send(new DescribeLogGroupsCommand({}))).rejects.toMatchObject({
      name: 'InvalidSignatureException',
    });
    expect((await consoleSignin(sandbox, '000000000000', 'test')).cookie).toBeUndefined();
    const instructor = handedOut(dir, '_instructor');
    expect(instructor.accessKeyId).toBe('000000000000');
    await expect(
      logs(sandbox, instructor.accessKeyId, instructor.secretAccessKey).send(
        new DescribeLogGroupsCommand({}),
      ),
    ).resolves.toBeDefined();
  });

  test('the grader, with the instructor’s file, assumes the role a learner made for it; a learner with `test` cannot', async () => {
    const bob = handedOut(dir, 'bob');
    await new IAMClient({
      endpoint: sandbox.url,
      region: 'us-east-1',
      credentials: { accessKeyId: bob.accessKeyId, secretAccessKey: bob.secretAccessKey },
    }).send(
      new CreateRoleCommand({
        RoleName: 'LabGrader',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: 'arn:aws:iam::000000000000:root' },
              Action: 'sts:AssumeRole',
            },
          ],
        }),
      }),
    );
    const assume = (accessKeyId: string, secretAccessKey: string) =>
      new STSClient({
        endpoint: sandbox.url,
        region: 'us-east-1',
        credentials: { accessKeyId, secretAccessKey },
      }).send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${BOB.accountId}:role/LabGrader`,
          RoleSessionName: 'grader',
        }),
      );
    const instructor = handedOut(dir, '_instructor');
    await expect(assume(instructor.accessKeyId, instructor.secretAccessKey)).resolves.toMatchObject({
      AssumedRoleUser: { Arn: `arn:aws:sts::${BOB.accountId}:assumed-role/LabGrader/grader` },
    });
    await expect(assume('test', 'test')).rejects.toMatchObject({ name: 'SignatureDoesNotMatch' });
  });

  test('the console signs a learner in with their own password only', async () => {
    const alice = handedOut(dir, 'alice');
    const bob = handedOut(dir, 'bob');
    expect((await consoleSignin(sandbox, BOB.accountId, alice.password)).cookie).toBeUndefined();
    expect((await consoleSignin(sandbox, BOB.accountId, 'test')).cookie).toBeUndefined();
    expect((await consoleSignin(sandbox, '333333333333', 'test')).cookie).toBeUndefined();
    const signedIn = await consoleSignin(sandbox, BOB.accountId, bob.password);
    expect(signedIn.status).toBe(302);
    expect(signedIn.cookie).toMatch(/^sandbox-console-session=/);
  });

  test('a restarted sandbox reads the files back: the credentials handed out still work', async () => {
    const before = handedOut(dir, 'alice');
    const again = await startSandbox({
      port: 0,
      learners: learnerCredentials([ALICE, BOB], dir, 'http://class.example:4566'),
    });
    try {
      expect(handedOut(dir, 'alice').secretAccessKey).toBe(before.secretAccessKey);
      await expect(
        logs(again, ALICE.accountId, before.secretAccessKey).send(new DescribeLogGroupsCommand({})),
      ).resolves.toBeDefined();
    } finally {
      await again.close();
    }
  });

  test('learners sharing an account keep its secret whichever of them the roster lists first', () => {
    const shared = mkdtempSync(join(tmpdir(), 'class-credentials-'));
    const team = [
      { learnerId: 'ann', accountId: '444444444444' },
      { learnerId: 'ben', accountId: '444444444444' },
    ];
    const first = learnerCredentials(team, shared, 'http://x').get('444444444444');
    const reordered = learnerCredentials([...team].reverse(), shared, 'http://x').get('444444444444');
    expect(reordered).toEqual(first);
    expect(handedOut(shared, 'ben').secretAccessKey).toBe(first!.secretAccessKey);
  });

  test('the instructor’s account cannot be a learner’s', () => {
    expect(() =>
      learnerCredentials([{ learnerId: 'eve', accountId: '000000000000' }], dir, 'http://x'),
    ).toThrow("Learner eve has account 000000000000, the instructor's: give them an account of their own.");
  });
});

test.describe('console sign-in holes', () => {
  test('a Destination whose path names another host stays on the sandbox', () => {
    for (const destination of [
      'https://console.aws.amazon.com//evil.example/',
      'https://console.aws.amazon.com/\\evil.example/',
      '//evil.example/x',
      '/\\/evil.example/x',
    ]) {
      const path = sameOriginPath(destination)!;
      expect(path, destination).toMatch(/^\/[^/\\]/);
      expect(new URL(path, 'http://sandbox.test').host, destination).toBe('sandbox.test');
    }
  });

  test('a sign-in form posted from another site is refused (login CSRF)', async ({ sandbox }) => {
    const refused = await consoleSignin(sandbox, '123456789012', 'test', 'https://evil.example');
    expect(refused.status).toBe(403);
    expect(refused.cookie).toBeUndefined();
    const own = await consoleSignin(sandbox, '123456789012', 'test', sandbox.url);
    expect(own.cookie).toMatch(/^sandbox-console-session=/);
  });

  test('a federation sign-in link followed from another site, or posted by one, is refused', async ({
    sandbox,
    aws,
  }) => {
    const { Credentials } = await new STSClient(aws).send(
      new GetFederationTokenCommand({ Name: 'attacker' }),
    );
    const token = async () => {
      const session = JSON.stringify({
        sessionId: Credentials!.AccessKeyId,
        sessionKey: Credentials!.SecretAccessKey,
        sessionToken: Credentials!.SessionToken,
      });
      const response = await fetch(
        `${sandbox.url}/federation?Action=getSigninToken&Session=${encodeURIComponent(session)}`,
      );
      return ((await response.json()) as { SigninToken: string }).SigninToken;
    };
    const login = async (headers: Record<string, string>, method = 'GET') => {
      const query = new URLSearchParams({
        Action: 'login',
        Destination: '/console/',
        SigninToken: await token(),
      });
      const response = await fetch(`${sandbox.url}/federation?${query}`, {
        method,
        headers,
        redirect: 'manual',
      });
      await response.arrayBuffer();
      return response.status;
    };
    expect(await login({ 'sec-fetch-site': 'cross-site' })).toBe(403);
    expect(await login({ origin: 'https://evil.example' }, 'POST')).toBe(403);
    expect(await login({ 'sec-fetch-site': 'none' })).toBe(302);
  });

  test('the browser’s icon request gets an empty answer, not an AWS authentication error', async ({
    sandbox,
  }) => {
    const response = await fetch(`${sandbox.url}/favicon.ico`);
    expect(response.status).toBe(204);
  });

  test('a reset ends every console session, the root user’s included', async () => {
    const sandbox = await startSandbox({ port: 0 });
    try {
      const { cookie } = await consoleSignin(sandbox, '123456789012', 'test');
      const session = cookie!.split(';')[0]!;
      const api = () =>
        fetch(`${sandbox.url}/console/api/logs/DescribeLogGroups`, {
          method: 'POST',
          headers: { cookie: session, 'content-type': 'application/json' },
          body: '{}',
        });
      expect((await api()).status).toBe(200);
      await fetch(`${sandbox.url}/_sandbox/reset`, { method: 'POST', headers: ADMIN_CHANGE, body: '{}' });
      expect((await api()).status).toBe(401);
    } finally {
      await sandbox.close();
    }
  });

  test('logging cannot be set up with a role of another account, even by its root', async ({
    aws,
    accountId,
  }) => {
    const other = '210987654321';
    await new IAMClient({ ...aws, credentials: { accessKeyId: other, secretAccessKey: 'test' } }).send(
      new CreateRoleCommand({ RoleName: 'Elsewhere', AssumeRolePolicyDocument: bedrockTrustPolicy(other) }),
    );
    await new CloudWatchLogsClient(aws).send(
      new CreateLogGroupCommand({ logGroupName: '/aws/bedrock/model-invocations' }),
    );
    const roleArn = `arn:aws:iam::${other}:role/Elsewhere`;
    await expect(
      new BedrockClient(aws).send(
        new PutModelInvocationLoggingConfigurationCommand({
          loggingConfig: { cloudWatchConfig: { logGroupName: '/aws/bedrock/model-invocations', roleArn } },
        }),
      ),
    ).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: `User: arn:aws:iam::${accountId}:root is not authorized to perform: iam:PassRole on resource: ${roleArn} because a role can be passed only within its own account`,
    });
  });
});

test('GetMetricData naming another account fails loudly, never answering with one’s own metrics', async ({
  aws,
  accountId,
}) => {
  const cloudwatch = new CloudWatchClient(aws);
  const query = (AccountId: string) =>
    cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(Date.now() - 3600_000),
        EndTime: new Date(),
        MetricDataQueries: [
          {
            Id: 'm',
            AccountId,
            MetricStat: {
              Metric: { Namespace: 'AWS/Bedrock', MetricName: 'Invocations' },
              Period: 60,
              Stat: 'Sum',
            },
          },
        ],
      }),
    );
  await expect(query('210987654321')).rejects.toMatchObject({
    name: 'NotImplementedException',
    message: 'The lab sandbox does not implement AccountId of monitoring:GetMetricData.',
  });
  await expect(query(accountId)).resolves.toMatchObject({ MetricDataResults: [{ Id: 'm' }] });
  // Nor are members the sandbox does not emulate ignored.
  await expect(
    cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(Date.now() - 3600_000),
        EndTime: new Date(),
        LabelOptions: { Timezone: '+0130' },
        MetricDataQueries: [
          {
            Id: 'm',
            MetricStat: {
              Metric: { Namespace: 'AWS/Bedrock', MetricName: 'Invocations' },
              Period: 60,
              Stat: 'Sum',
            },
          },
        ],
      }),
    ),
  ).rejects.toMatchObject({
    name: 'NotImplementedException',
    message: 'The lab sandbox does not implement LabelOptions of monitoring:GetMetricData.',
  });
});
