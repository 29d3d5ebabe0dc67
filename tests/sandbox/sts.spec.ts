import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  GetFederationTokenCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '../../sandbox/server';
import { expect, test, type ClientConfig, accountConfig } from '../fixtures/sandbox';

/** A role trusting the account for the actions given; its ARN. */
async function roleTrusting(aws: ClientConfig, accountId: string, name: string, actions: string[]) {
  const { Role } = await new IAMClient(aws).send(
    new CreateRoleCommand({
      RoleName: name,
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: accountId }, Action: actions }],
      }),
    }),
  );
  return Role!.Arn!;
}

/** A client config signed with an AssumeRole answer's credentials. */
const withSession = (
  aws: ClientConfig,
  credentials: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string } | undefined,
): ClientConfig => ({
  ...aws,
  credentials: {
    accessKeyId: credentials!.AccessKeyId!,
    secretAccessKey: credentials!.SecretAccessKey!,
    sessionToken: credentials!.SessionToken!,
  },
});

test.describe('STS', () => {
  test('GetCallerIdentity names the account behind a 12-digit key', async ({ aws, accountId }) => {
    const identity = await new STSClient(aws).send(new GetCallerIdentityCommand({}));
    expect(identity).toMatchObject({
      Account: accountId,
      Arn: `arn:aws:iam::${accountId}:root`,
      UserId: accountId,
    });
  });

  test('access key "test" is account 000000000000', async ({ aws }) => {
    const sts = new STSClient({ ...aws, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    expect((await sts.send(new GetCallerIdentityCommand({}))).Account).toBe('000000000000');
  });

  test('an unknown access key is refused as AWS refuses it', async ({ aws }) => {
    const sts = new STSClient({
      ...aws,
      credentials: { accessKeyId: 'AKIAUNKNOWN', secretAccessKey: 'test' },
    });
    await expect(sts.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      name: 'InvalidClientTokenId',
      message: 'The security token included in the request is invalid.',
      $metadata: { httpStatusCode: 403 },
    });
  });

  test('a wrong secret fails the signature check', async ({ aws, accountId }) => {
    const sts = new STSClient({ ...aws, credentials: { accessKeyId: accountId, secretAccessKey: 'wrong' } });
    await expect(sts.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      name: 'SignatureDoesNotMatch',
      $metadata: { httpStatusCode: 403 },
    });
  });

  test('a session policy counts toward its packed size and may not pass 2,048 characters', async ({
    aws,
  }) => {
    const sts = new STSClient(aws);
    const policy = (resources: number) =>
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: 'logs:*',
            Resource: Array.from({ length: resources }, (_, i) => `arn:aws:logs:::log-group:g${i}`),
          },
        ],
      });
    const size = async (text: string) =>
      (await sts.send(new GetFederationTokenCommand({ Name: 'learner', Policy: text }))).PackedPolicySize;
    const small = await size(policy(1));
    const large = await size(policy(40));
    expect(small).toBeGreaterThan(0);
    expect(large).toBeGreaterThan(small ?? 0);
    expect(large).toBeLessThanOrEqual(100);
    // Without a session policy AWS answers 0 (LocalStack's AWS-validated snapshot of test_sts.py).
    expect((await sts.send(new GetFederationTokenCommand({ Name: 'learner' }))).PackedPolicySize).toBe(0);
    await expect(size(policy(80))).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining(
        "at 'policy' failed to satisfy constraint: Member must have length less than or equal to 2048",
      ),
      $metadata: { httpStatusCode: 400 },
    });
  });

  test("a session lasts as long as asked, within the role's MaxSessionDuration", async ({
    aws,
    accountId,
  }) => {
    const trust = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'sts:AssumeRole' },
      ],
    });
    const iam = new IAMClient(aws);
    const long = await iam.send(
      new CreateRoleCommand({ RoleName: 'Long', AssumeRolePolicyDocument: trust, MaxSessionDuration: 7200 }),
    );
    const short = await iam.send(
      new CreateRoleCommand({ RoleName: 'Short', AssumeRolePolicyDocument: trust }),
    );
    const sts = new STSClient(aws);
    const assume = (RoleArn: string, DurationSeconds: number) =>
      sts.send(new AssumeRoleCommand({ RoleArn, RoleSessionName: 'lab', DurationSeconds }));
    const lasts = (expiration: Date | undefined) => ((expiration?.getTime() ?? 0) - Date.now()) / 1000;
    const assumed = await assume(long.Role!.Arn!, 7200);
    expect(lasts(assumed.Credentials?.Expiration)).toBeGreaterThan(7000);
    // The assumed role's id is the role's own RoleId and the session name.
    expect(assumed.AssumedRoleUser?.AssumedRoleId).toBe(`${long.Role!.RoleId}:lab`);
    await expect(assume(short.Role!.Arn!, 7200)).rejects.toMatchObject({
      name: 'ValidationError',
      message: 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(assume(short.Role!.Arn!, 50_000)).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining('Member must have value less than or equal to 43200'),
    });
    // Root's federation sessions are cut to an hour, whatever was asked.
    const federated = await sts.send(
      new GetFederationTokenCommand({ Name: 'learner', DurationSeconds: 43_200 }),
    );
    expect(lasts(federated.Credentials?.Expiration)).toBeLessThanOrEqual(3600);
    expect(lasts(federated.Credentials?.Expiration)).toBeGreaterThan(3500);
  });

  test('what would change a session and is not emulated fails loudly; an unreadable session policy is refused', async ({
    aws,
  }) => {
    const sts = new STSClient(aws);
    await expect(
      sts.send(
        new GetFederationTokenCommand({
          Name: 'learner',
          PolicyArns: [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }],
        }),
      ),
    ).rejects.toMatchObject({
      name: 'NotImplementedException',
      message: 'The lab sandbox does not implement PolicyArns of sts:GetFederationToken.',
      $metadata: { httpStatusCode: 501 },
    });
    await expect(
      sts.send(new GetFederationTokenCommand({ Name: 'learner', Policy: '{"Statement": "nope"}' })),
    ).rejects.toMatchObject({ name: 'MalformedPolicyDocumentException', $metadata: { httpStatusCode: 400 } });
  });
});

test.describe('STS session tags', () => {
  const tag = (Key: string, Value = 'v') => ({ Key, Value });

  test("passing session tags needs the role's trust policy to allow sts:TagSession", async ({
    aws,
    accountId,
  }) => {
    const sts = new STSClient(aws);
    const plain = await roleTrusting(aws, accountId, 'Plain', ['sts:AssumeRole']);
    const taggable = await roleTrusting(aws, accountId, 'Taggable', ['sts:AssumeRole', 'sts:TagSession']);
    await sts.send(new AssumeRoleCommand({ RoleArn: plain, RoleSessionName: 'lab' }));
    await expect(
      sts.send(new AssumeRoleCommand({ RoleArn: plain, RoleSessionName: 'lab', Tags: [tag('team')] })),
    ).rejects.toMatchObject({
      name: 'AccessDenied',
      message: `User: arn:aws:iam::${accountId}:root is not authorized to perform: sts:TagSession on resource: ${plain}`,
      $metadata: { httpStatusCode: 403 },
    });
    const tagged = await sts.send(
      new AssumeRoleCommand({ RoleArn: taggable, RoleSessionName: 'lab', Tags: [tag('team')] }),
    );
    // Session tags count toward the packed size, as a session policy does.
    expect(tagged.PackedPolicySize).toBeGreaterThan(0);
    expect(
      (await sts.send(new AssumeRoleCommand({ RoleArn: taggable, RoleSessionName: 'lab' }))).PackedPolicySize,
    ).toBeUndefined();
  });

  test('tag keys are case-insensitive: no duplicates, and transitive keys must name passed tags', async ({
    aws,
    accountId,
  }) => {
    const sts = new STSClient(aws);
    const RoleArn = await roleTrusting(aws, accountId, 'R', ['sts:AssumeRole', 'sts:TagSession']);
    const assume = (Tags: { Key: string; Value: string }[], TransitiveTagKeys?: string[]) =>
      sts.send(new AssumeRoleCommand({ RoleArn, RoleSessionName: 'lab', Tags, TransitiveTagKeys }));
    await assume([tag('Team')], ['team']);
    // As LocalStack's AWS-validated snapshots of test_sts.py record AWS's answers.
    await expect(assume([tag('Team'), tag('team')])).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: 'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(assume([tag('Team')], ['Other'])).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: 'The specified transitive tag key must be included in the requested tags.',
      $metadata: { httpStatusCode: 400 },
    });
  });

  test('transitive tags pass down a role chain and may not be set again; others do not pass', async ({
    aws,
    accountId,
  }) => {
    const first = await roleTrusting(aws, accountId, 'First', ['sts:AssumeRole', 'sts:TagSession']);
    const second = await roleTrusting(aws, accountId, 'Second', ['sts:AssumeRole', 'sts:TagSession']);
    const third = await roleTrusting(aws, accountId, 'Third', ['sts:AssumeRole', 'sts:TagSession']);
    const chain = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: '*' }],
    });
    const iam = new IAMClient(aws);
    await iam.send(
      new PutRolePolicyCommand({ RoleName: 'First', PolicyName: 'chain', PolicyDocument: chain }),
    );
    // The second role may assume the third only while its session carries the transitive tag.
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'Second',
        PolicyName: 'chain',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: ['sts:AssumeRole', 'sts:TagSession'],
              Resource: '*',
              Condition: { StringEquals: { 'aws:PrincipalTag/Project': 'lab' } },
            },
          ],
        }),
      }),
    );
    const one = await new STSClient(aws).send(
      new AssumeRoleCommand({
        RoleArn: first,
        RoleSessionName: 'one',
        Tags: [tag('Project', 'lab'), tag('Once')],
        TransitiveTagKeys: ['project'],
      }),
    );
    const asFirst = new STSClient(withSession(aws, one.Credentials));
    const conflict = {
      name: 'InvalidParameterValue',
      message:
        "One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.",
      $metadata: { httpStatusCode: 400 },
    };
    await expect(
      asFirst.send(
        new AssumeRoleCommand({ RoleArn: second, RoleSessionName: 'two', Tags: [tag('PROJECT')] }),
      ),
    ).rejects.toMatchObject(conflict);
    // A tag that was not transitive may be set again.
    const two = await asFirst.send(
      new AssumeRoleCommand({ RoleArn: second, RoleSessionName: 'two', Tags: [tag('Once')] }),
    );
    const asSecond = new STSClient(withSession(aws, two.Credentials));
    await asSecond.send(new AssumeRoleCommand({ RoleArn: third, RoleSessionName: 'three' }));
    await expect(
      asSecond.send(
        new AssumeRoleCommand({ RoleArn: third, RoleSessionName: 'three', Tags: [tag('project')] }),
      ),
    ).rejects.toMatchObject(conflict);
    // Passing no tags, the chained session has no packed size, though it inherits some.
    const untagged = await asFirst.send(new AssumeRoleCommand({ RoleArn: second, RoleSessionName: 'two' }));
    expect(untagged.PackedPolicySize).toBeUndefined();
    // Without the transitive tag, the second role's policy does not let its session go on.
    const direct = await new STSClient(aws).send(
      new AssumeRoleCommand({ RoleArn: second, RoleSessionName: 'direct' }),
    );
    await expect(
      new STSClient(withSession(aws, direct.Credentials)).send(
        new AssumeRoleCommand({ RoleArn: third, RoleSessionName: 'three' }),
      ),
    ).rejects.toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
  });

  test('a session keeps its transitive tags across a restart of a sandbox with durable state', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-state-'));
    const account = '123456789012';
    const config = (url: string) => accountConfig(url, account);
    const first = await startSandbox({ port: 0, stateDir: dir });
    const aws = config(first.url);
    const RoleArn = await roleTrusting(aws, account, 'R', ['sts:AssumeRole', 'sts:TagSession']);
    await new IAMClient(aws).send(
      new PutRolePolicyCommand({
        RoleName: 'R',
        PolicyName: 'chain',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: '*' }],
        }),
      }),
    );
    const { Credentials } = await new STSClient(aws).send(
      new AssumeRoleCommand({
        RoleArn,
        RoleSessionName: 'lab',
        Tags: [tag('Project')],
        TransitiveTagKeys: ['Project'],
      }),
    );
    await first.close();
    const second = await startSandbox({ port: 0, stateDir: dir });
    try {
      const session = new STSClient(withSession(config(second.url), Credentials));
      await expect(
        session.send(new AssumeRoleCommand({ RoleArn, RoleSessionName: 'next', Tags: [tag('project')] })),
      ).rejects.toMatchObject({ name: 'InvalidParameterValue' });
      await session.send(new AssumeRoleCommand({ RoleArn, RoleSessionName: 'next', Tags: [tag('Other')] }));
    } finally {
      await second.close();
    }
  });
});
