import { CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetFederationTokenCommand, STSClient } from '@aws-sdk/client-sts';
import type { CaseSession, KnownDeviations, RecordedCases } from '../recorded-case';

/** The requests of LocalStack's tests/aws/services/sts/test_sts.py, recorded against AWS. */
const FILE = 'tests/aws/services/sts/test_sts.py';

const trustingAccount = (accountId: string, action: string | string[]) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Action: action, Principal: { AWS: accountId }, Effect: 'Allow' }],
  });

const taggableRole = (s: CaseSession, name: string) =>
  s.iam.send(
    new CreateRoleCommand({
      RoleName: name,
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Principal: { AWS: s.accountId } },
        ],
      }),
    }),
  );

export const STS_CASES: RecordedCases = {
  [`${FILE}::TestSTSIntegrations::test_get_federation_token`]: async ({ sts, snapshot, unique }) => {
    snapshot.match(
      'get-federation-token',
      await sts.send(new GetFederationTokenCommand({ Name: unique('TestName'), DurationSeconds: 900 })),
    );
  },

  [`${FILE}::TestSTSIntegrations::test_assume_role`]: async ({ iam, sts, snapshot, unique, accountId }) => {
    const sessionName = unique('test-assume-role');
    snapshot.match('role-session-name', { RoleSessionName: sessionName });
    const created = await iam.send(
      new CreateRoleCommand({
        RoleName: unique('role'),
        AssumeRolePolicyDocument: trustingAccount(accountId, 'sts:AssumeRole'),
      }),
    );
    snapshot.match('create-role', created);
    snapshot.match(
      'assume-role',
      await sts.send(new AssumeRoleCommand({ RoleArn: created.Role!.Arn, RoleSessionName: sessionName })),
    );
  },

  [`${FILE}::TestSTSIntegrations::test_sts_invalid_parameters`]: async ({ sts, snapshot }) => {
    const assume =
      (RoleArn: string, RoleSessionName = 'Session1') =>
      () =>
        sts.send(new AssumeRoleCommand({ RoleArn, RoleSessionName }));
    await snapshot.matchError('malformed-arn', assume('nothing-valid-in-here'));
    await snapshot.matchError('no-partition', assume('arn::b:::something/test-role'));
    await snapshot.matchError('no-service', assume('arn:a::::something/test-role'));
    await snapshot.matchError('not-enough-colons', assume('arn:a:::something/test-role'));
    await snapshot.matchError('no-resource', assume('arn:a:a::aaaaaaaaaa:'));
    await snapshot.matchError('invalid-session-name', assume('arn:a:b:::something/test-role', 'Session1:2'));
  },

  [`${FILE}::TestSTSAssumeRoleTagging::test_assume_role_tag_validation`]: async (s) => {
    const { sts, snapshot, unique } = s;
    const role = await taggableRole(s, unique('role-1'));
    snapshot.match('role-1', role);
    const RoleArn = role.Role!.Arn;
    await sts.send(new AssumeRoleCommand({ RoleArn, RoleSessionName: 'Session1' }));
    await snapshot.matchError('invalid-transitive-tag-keys', () =>
      sts.send(
        new AssumeRoleCommand({
          RoleArn,
          RoleSessionName: 'SessionInvalidTransitiveKeys',
          Tags: [{ Key: 'SessionTag1', Value: 'SessionValue1' }],
          TransitiveTagKeys: ['InvalidKey'],
        }),
      ),
    );
    // Transitive tag keys are case-insensitive: this one names the tag above.
    await sts.send(
      new AssumeRoleCommand({
        RoleArn,
        RoleSessionName: 'SessionInvalidCasingTransitiveKeys',
        Tags: [{ Key: 'SessionTag1', Value: 'SessionValue1' }],
        TransitiveTagKeys: ['sessiontag1'],
      }),
    );
    await snapshot.matchError('duplicate-tag-keys-different-casing', () =>
      sts.send(
        new AssumeRoleCommand({
          RoleArn,
          RoleSessionName: 'SessionInvalidCasingTransitiveKeys',
          Tags: [
            { Key: 'SessionTag1', Value: 'SessionValue1' },
            { Key: 'sessiontag1', Value: 'SessionValue2' },
          ],
          TransitiveTagKeys: ['sessiontag1'],
        }),
      ),
    );
  },

  [`${FILE}::TestSTSAssumeRoleTagging::test_iam_role_chaining_override_transitive_tags`]: async (s) => {
    const { iam, sts, snapshot, unique } = s;
    const role1 = await taggableRole(s, unique('role-1'));
    snapshot.match('role-1', role1);
    const role2 = await taggableRole(s, unique('role-2'));
    snapshot.match('role-2', role2);
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: role1.Role!.RoleName,
        PolicyName: unique('policy'),
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: [role2.Role!.Arn] },
          ],
        }),
      }),
    );
    const { Credentials } = await sts.send(
      new AssumeRoleCommand({
        RoleArn: role1.Role!.Arn,
        RoleSessionName: 'Session1',
        Tags: [{ Key: 'SessionTag1', Value: 'SessionValue1' }],
        TransitiveTagKeys: ['SessionTag1'],
      }),
    );
    const asRole1 = new STSClient({
      ...s.clientConfig,
      credentials: {
        accessKeyId: Credentials!.AccessKeyId!,
        secretAccessKey: Credentials!.SecretAccessKey!,
        sessionToken: Credentials!.SessionToken!,
      },
    });
    for (const [key, tagKey] of [
      ['override-transitive-tag-error', 'SessionTag1'],
      ['override-transitive-tag-case-ignore-error', 'sessiontag1'],
    ] as const) {
      await snapshot.matchError(key, () =>
        asRole1.send(
          new AssumeRoleCommand({
            RoleArn: role2.Role!.Arn,
            RoleSessionName: 'Session2SessionTagOverride',
            Tags: [{ Key: tagKey, Value: 'SessionValue2' }],
          }),
        ),
      );
    }
  },
};

export const STS_DEVIATIONS: KnownDeviations = {};
