import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  GetFederationTokenCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import { expect, test } from '../fixtures/sandbox';

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
    expect(
      (await sts.send(new GetFederationTokenCommand({ Name: 'learner' }))).PackedPolicySize,
    ).toBeUndefined();
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
