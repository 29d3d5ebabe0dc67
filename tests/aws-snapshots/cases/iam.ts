import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  DeletePolicyCommand,
  DeleteRoleCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListRolesCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import type { CaseSession, KnownDeviations, RecordedCases } from '../recorded-case';

/**
 * The requests of LocalStack's tests/aws/services/iam/test_iam.py, recorded against AWS. The
 * fixtures' teardown (create_role and create_policy delete what they made, after the test) is
 * left out: it answers nothing the recording holds, and the sandbox is reset between recorded tests.
 */
const FILE = 'tests/aws/services/iam/test_iam.py';

/** `short_uid()`: eight hex digits. */
const shortUid = (s: CaseSession) => s.unique('u').slice(2);

/** The trust policy most of the tests give their role, keys in the Python dict's order. */
const EC2_TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

const LIST_FUNCTIONS = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['lambda:ListFunctions'], Resource: ['*'] }],
});

export const IAM_CASES: RecordedCases = {
  [`${FILE}::TestIAMIntegrations::test_update_assume_role_policy`]: async ({ iam, snapshot, unique }) => {
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { Service: ['ec2.amazonaws.com'] }, Action: ['sts:AssumeRole'] },
      ],
    });
    const RoleName = unique('role');
    snapshot.match(
      'created_role',
      await iam.send(new CreateRoleCommand({ RoleName, AssumeRolePolicyDocument: policy })),
    );
    try {
      snapshot.match(
        'updated_policy',
        await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName, PolicyDocument: policy })),
      );
    } finally {
      await iam.send(new DeleteRoleCommand({ RoleName }));
    }
  },

  [`${FILE}::TestIAMExtensions::test_create_role_with_malformed_assume_role_policy_document`]: async ({
    iam,
    snapshot,
    unique,
  }) => {
    // The error in this document is the trailing comma after `"Effect": "Allow"`.
    const document = `
        {
          "Version": "2012-10-17",
          "Statement": [
            {
              "Action": "sts:AssumeRole",
              "Principal": "*",
              "Effect": "Allow",
            }
          ]
        }
        `;
    await snapshot.matchError('invalid-json', () =>
      iam.send(new CreateRoleCommand({ RoleName: unique('role'), AssumeRolePolicyDocument: document })),
    );
  },

  [`${FILE}::TestIAMIntegrations::test_list_roles_with_permission_boundary`]: async (s) => {
    const { iam, snapshot, unique } = s;
    const Path = `/${shortUid(s)}/`;
    const RoleName = unique('role');
    const PolicyName = unique('policy');
    snapshot.match(
      'created_role',
      await iam.send(new CreateRoleCommand({ RoleName, AssumeRolePolicyDocument: EC2_TRUST, Path })),
    );
    const created = await iam.send(new CreatePolicyCommand({ PolicyName, PolicyDocument: LIST_FUNCTIONS }));
    await iam.send(
      new PutRolePermissionsBoundaryCommand({ RoleName, PermissionsBoundary: created.Policy!.Arn }),
    );
    snapshot.match('list_roles_result', await iam.send(new ListRolesCommand({ PathPrefix: Path })));
  },

  [`${FILE}::TestIAMIntegrations::test_create_describe_role`]: async (s) => {
    const { iam, snapshot, unique } = s;
    const Path = `/${shortUid(s)}/`;
    const RoleName = unique('role');
    snapshot.match(
      'create_role_result',
      await iam.send(new CreateRoleCommand({ RoleName, AssumeRolePolicyDocument: EC2_TRUST, Path })),
    );
    snapshot.match('get_role_result', await iam.send(new GetRoleCommand({ RoleName })));
    snapshot.match('list_roles_result', await iam.send(new ListRolesCommand({ PathPrefix: Path })));
  },

  [`${FILE}::TestIAMIntegrations::test_role_attach_policy`]: async ({ iam, snapshot, unique }) => {
    const RoleName = unique('test-role');
    const PolicyName = unique('test-policy');
    await iam.send(new CreateRoleCommand({ RoleName, AssumeRolePolicyDocument: EC2_TRUST }));
    const created = await iam.send(new CreatePolicyCommand({ PolicyName, PolicyDocument: LIST_FUNCTIONS }));
    snapshot.match('create_policy_response', created);
    const PolicyArn = created.Policy!.Arn!;
    const attach = (arn: string) => () => iam.send(new AttachRolePolicyCommand({ RoleName, PolicyArn: arn }));
    await snapshot.matchError('non_existent_malformed_policy_arn', attach('longpolicynamebutnoarn'));
    await snapshot.matchError('existing_policy_name_provided', attach(PolicyName));
    await snapshot.matchError('valid_arn_not_existent', attach(`${PolicyArn}123`));
    snapshot.match('valid_policy_arn', await attach(PolicyArn)());
  },

  [`${FILE}::TestIAMExtensions::test_role_with_path_lifecycle`]: async (s) => {
    const { iam, snapshot, unique } = s;
    const RoleName = unique('role');
    const Path = `/path${shortUid(s)}/`;
    const document = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Action: 'sts:AssumeRole', Principal: { Service: 'lambda.amazonaws.com' }, Effect: 'Allow' },
      ],
    });
    snapshot.match(
      'create-role-response',
      await iam.send(new CreateRoleCommand({ RoleName, AssumeRolePolicyDocument: document, Path })),
    );
    snapshot.match('get-role-response', await iam.send(new GetRoleCommand({ RoleName })));
    snapshot.match('delete-role-response', await iam.send(new DeleteRoleCommand({ RoleName })));
  },

  [`${FILE}::TestIAMPolicyEncoding::test_put_role_policy_encoding`]: async (s) => {
    const { iam, snapshot, unique, region } = s;
    // Python's quote_plus and encodeURIComponent agree on this text.
    const targetArn = encodeURIComponent(`arn:aws:apigateway:${region}::/restapis/aaeeieije`);
    const policyDocument = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['apigatway:PUT'],
          Resource: [`arn:aws:apigateway:${region}::/tags/${targetArn}`],
        },
      ],
    });
    const assumeDocument = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Action: 'sts:AssumeRole',
          Principal: { Service: 'lambda.amazonaws.com' },
          Effect: 'Allow',
          Condition: { StringEquals: { 'aws:SourceArn': targetArn } },
        },
      ],
    });
    const RoleName = unique('test-role');
    const PolicyName = unique('test-policy');
    const Path = `/${shortUid(s)}/`;
    snapshot.match(
      'create-role-response',
      await iam.send(new CreateRoleCommand({ RoleName, AssumeRolePolicyDocument: assumeDocument, Path })),
    );
    await iam.send(new PutRolePolicyCommand({ RoleName, PolicyName, PolicyDocument: policyDocument }));
    snapshot.match('get-policy-response', await iam.send(new GetRolePolicyCommand({ RoleName, PolicyName })));
    snapshot.match('get-role-response', await iam.send(new GetRoleCommand({ RoleName })));
    snapshot.match('list-roles-response', await iam.send(new ListRolesCommand({ PathPrefix: Path })));
  },

  [`${FILE}::TestIAMIntegrations::test_delete_non_existent_policy_returns_no_such_entity`]: async ({
    iam,
    snapshot,
    accountId,
  }) => {
    await snapshot.matchError('delete-non-existent-policy-exc', () =>
      iam.send(
        new DeletePolicyCommand({ PolicyArn: `arn:aws:iam::${accountId}:policy/non-existent-policy` }),
      ),
    );
  },

  [`${FILE}::TestRoles::test_role_with_tags`]: async ({ iam, snapshot, unique }) => {
    const RoleName = unique('role');
    const Path = '/role-with-tags/';
    snapshot.match(
      'create-role-response',
      await iam.send(
        new CreateRoleCommand({
          RoleName,
          AssumeRolePolicyDocument: EC2_TRUST,
          Tags: [{ Key: 'test', Value: 'value' }],
          Path,
        }),
      ),
    );
    snapshot.match('get-role-response', await iam.send(new GetRoleCommand({ RoleName })));
    snapshot.match('list-role-response', await iam.send(new ListRolesCommand({ PathPrefix: Path })));
  },
};

export const IAM_DEVIATIONS: KnownDeviations = {};
