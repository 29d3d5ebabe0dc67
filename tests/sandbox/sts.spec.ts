import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
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
});
