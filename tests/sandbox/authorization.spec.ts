import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  GetRoleCommand,
  IAMClient,
  ListRolesCommand,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  GetFederationTokenCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DescribeLogGroupsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  BedrockClient,
  GetModelInvocationLoggingConfigurationCommand,
  PutModelInvocationLoggingConfigurationCommand,
} from '@aws-sdk/client-bedrock';
import type { ClientConfig } from '../fixtures/sandbox';
import { assumeRole, expect, test } from '../fixtures/sandbox';
import { bedrockTrustPolicy, logsDeliveryPolicy } from '../fixtures/lab-policies';

/**
 * Temporary credentials are judged by IAM policies: an assumed role's identity policies (and a
 * session policy), a federated user's session policy. Long-term keys act as the account root.
 */

const trust = (principal: Record<string, string>, condition?: Record<string, unknown>) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: principal,
        Action: 'sts:AssumeRole',
        ...(condition ? { Condition: condition } : {}),
      },
    ],
  });

const allow = (...actions: string[]) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] });

/** Creates a role trusting the account root with one inline policy; returns its ARN. */
async function roleWith(
  aws: ClientConfig,
  accountId: string,
  name: string,
  policy: string,
  trustPolicy?: string,
) {
  const iam = new IAMClient(aws);
  const { Role } = await iam.send(
    new CreateRoleCommand({
      RoleName: name,
      AssumeRolePolicyDocument: trustPolicy ?? trust({ AWS: `arn:aws:iam::${accountId}:root` }),
    }),
  );
  await iam.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: 'inline', PolicyDocument: policy }));
  return Role!.Arn!;
}

test.describe('authorization of assumed-role sessions', () => {
  test('a role allowed only logs:DescribeLogGroups may ask who it is but not list roles', async ({
    aws,
    accountId,
  }) => {
    const roleArn = await roleWith(aws, accountId, 'LogsReader', allow('logs:DescribeLogGroups'));
    const session = await assumeRole(aws, { RoleArn: roleArn });

    const identity = await new STSClient(session).send(new GetCallerIdentityCommand({}));
    const sessionArn = `arn:aws:sts::${accountId}:assumed-role/LogsReader/learner`;
    expect(identity).toMatchObject({ Account: accountId, Arn: sessionArn });

    await expect(new IAMClient(session).send(new ListRolesCommand({}))).rejects.toMatchObject({
      name: 'AccessDenied',
      message: `User: ${sessionArn} is not authorized to perform: iam:ListRoles on resource: arn:aws:iam::${accountId}:role/ because no identity-based policy allows the iam:ListRoles action`,
      $metadata: { httpStatusCode: 403 },
    });
    // The account's own long-term keys (the root) are not restricted.
    expect((await new IAMClient(aws).send(new ListRolesCommand({}))).Roles).toHaveLength(1);
  });

  test('JSON services deny as AccessDeniedException: CloudWatch Logs with 400 and the group ARN', async ({
    aws,
    accountId,
  }) => {
    const roleArn = await roleWith(aws, accountId, 'LogsReader', allow('logs:DescribeLogGroups'));
    const logs = new CloudWatchLogsClient(await assumeRole(aws, { RoleArn: roleArn }));
    expect((await logs.send(new DescribeLogGroupsCommand({}))).logGroups).toEqual([]);
    await expect(logs.send(new CreateLogGroupCommand({ logGroupName: '/lab/app' }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: `User: arn:aws:sts::${accountId}:assumed-role/LogsReader/learner is not authorized to perform: logs:CreateLogGroup on resource: arn:aws:logs:us-east-1:${accountId}:log-group:/lab/app:log-stream: because no identity-based policy allows the logs:CreateLogGroup action`,
      $metadata: { httpStatusCode: 400 },
    });
  });

  test('an attached AWS managed policy grants its actions; a role ARN is the resource', async ({
    aws,
    accountId,
  }) => {
    const roleArn = await roleWith(aws, accountId, 'Viewer', allow('logs:DescribeLogGroups'));
    await new IAMClient(aws).send(
      new AttachRolePolicyCommand({
        RoleName: 'Viewer',
        PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess',
      }),
    );
    const iam = new IAMClient(await assumeRole(aws, { RoleArn: roleArn }));
    expect((await iam.send(new ListRolesCommand({}))).Roles?.map((r) => r.RoleName)).toEqual(['Viewer']);
    expect((await iam.send(new GetRoleCommand({ RoleName: 'Viewer' }))).Role?.Arn).toBe(roleArn);
    await expect(
      iam.send(
        new CreateRoleCommand({ RoleName: 'Other', AssumeRolePolicyDocument: trust({ AWS: accountId }) }),
      ),
    ).rejects.toMatchObject({
      name: 'AccessDenied',
      message: expect.stringContaining(
        `iam:CreateRole on resource: arn:aws:iam::${accountId}:role/Other because no identity-based policy allows`,
      ),
    });
  });

  test('an explicit deny wins over an allow', async ({ aws, accountId }) => {
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'iam:*', Resource: '*' },
        { Effect: 'Deny', Action: 'iam:List*', Resource: '*' },
      ],
    });
    const roleArn = await roleWith(aws, accountId, 'Denied', policy);
    const session = await assumeRole(aws, { RoleArn: roleArn });
    await expect(new IAMClient(session).send(new ListRolesCommand({}))).rejects.toMatchObject({
      name: 'AccessDenied',
      message: `User: arn:aws:sts::${accountId}:assumed-role/Denied/learner is not authorized to perform: iam:ListRoles on resource: arn:aws:iam::${accountId}:role/ with an explicit deny in an identity-based policy`,
      $metadata: { httpStatusCode: 403 },
    });
  });

  test('a session policy narrows what the role allows', async ({ aws, accountId }) => {
    const roleArn = await roleWith(aws, accountId, 'Broad', allow('iam:*'));
    const session = await assumeRole(aws, { RoleArn: roleArn, Policy: allow('iam:GetRole') });
    const iam = new IAMClient(session);
    expect((await iam.send(new GetRoleCommand({ RoleName: 'Broad' }))).Role?.RoleName).toBe('Broad');
    await expect(iam.send(new ListRolesCommand({}))).rejects.toMatchObject({
      name: 'AccessDenied',
      message: expect.stringMatching(
        /iam:ListRoles .* because no session policy allows the iam:ListRoles action$/,
      ),
    });
  });

  test('role chaining needs sts:AssumeRole in the first role policies', async ({ aws, accountId }) => {
    const target = await roleWith(aws, accountId, 'Target', allow('iam:GetRole'));
    const first = await roleWith(aws, accountId, 'First', allow('logs:DescribeLogGroups'));
    const session = await assumeRole(aws, { RoleArn: first });
    await expect(
      new STSClient(session).send(new AssumeRoleCommand({ RoleArn: target, RoleSessionName: 'chain' })),
    ).rejects.toMatchObject({
      name: 'AccessDenied',
      message: `User: arn:aws:sts::${accountId}:assumed-role/First/learner is not authorized to perform: sts:AssumeRole on resource: ${target} because no identity-based policy allows the sts:AssumeRole action`,
      $metadata: { httpStatusCode: 403 },
    });

    const hopper = await roleWith(aws, accountId, 'Hopper', allow('sts:AssumeRole'));
    const chained = await assumeRole(await assumeRole(aws, { RoleArn: hopper }), { RoleArn: target });
    const identity = await new STSClient(chained).send(new GetCallerIdentityCommand({}));
    expect(identity.Arn).toBe(`arn:aws:sts::${accountId}:assumed-role/Target/learner`);
  });
});

test.describe('trust policies', () => {
  test('AssumeRole honours an sts:ExternalId condition', async ({ aws, accountId }) => {
    const roleArn = await roleWith(
      aws,
      accountId,
      'Partner',
      allow('logs:DescribeLogGroups'),
      trust({ AWS: `arn:aws:iam::${accountId}:root` }, { StringEquals: { 'sts:ExternalId': 'lab-5' } }),
    );
    const sts = new STSClient(aws);
    const denied = {
      name: 'AccessDenied',
      message: `User: arn:aws:iam::${accountId}:root is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
      $metadata: { httpStatusCode: 403 },
    };
    await expect(
      sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'sess' })),
    ).rejects.toMatchObject(denied);
    await expect(
      sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'sess', ExternalId: 'wrong' })),
    ).rejects.toMatchObject(denied);
    const ok = await sts.send(
      new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'sess', ExternalId: 'lab-5' }),
    );
    expect(ok.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${accountId}:assumed-role/Partner/sess`);
  });

  test('a role trusting only a service cannot be assumed by the account; a missing role neither', async ({
    aws,
    accountId,
  }) => {
    const roleArn = await roleWith(
      aws,
      accountId,
      'BedrockOnly',
      allow('logs:PutLogEvents'),
      trust({ Service: 'bedrock.amazonaws.com' }),
    );
    const sts = new STSClient(aws);
    for (const arn of [roleArn, `arn:aws:iam::${accountId}:role/Ghost`]) {
      await expect(
        sts.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'sess' })),
      ).rejects.toMatchObject({
        name: 'AccessDenied',
        $metadata: { httpStatusCode: 403 },
      });
    }
  });

  test('a bare account id in the trust policy names the account', async ({ aws, accountId }) => {
    const roleArn = await roleWith(aws, accountId, 'ById', allow('iam:GetRole'), trust({ AWS: accountId }));
    const session = await assumeRole(aws, { RoleArn: roleArn });
    expect((await new STSClient(session).send(new GetCallerIdentityCommand({}))).Arn).toContain(
      'assumed-role/ById/',
    );
  });
});

test.describe('authorization of federated users', () => {
  test('a federated user may do what its session policy allows, and nothing without one', async ({
    aws,
    accountId,
  }) => {
    await roleWith(aws, accountId, 'Seen', allow('logs:DescribeLogGroups'));
    const sts = new STSClient(aws);
    const federate = async (Policy?: string) => {
      const { Credentials } = await sts.send(new GetFederationTokenCommand({ Name: 'viewer', Policy }));
      return new IAMClient({
        ...aws,
        credentials: {
          accessKeyId: Credentials!.AccessKeyId!,
          secretAccessKey: Credentials!.SecretAccessKey!,
          sessionToken: Credentials!.SessionToken!,
        },
      });
    };
    const reader = await federate(allow('iam:List*'));
    expect((await reader.send(new ListRolesCommand({}))).Roles?.map((r) => r.RoleName)).toEqual(['Seen']);
    await expect(reader.send(new GetRoleCommand({ RoleName: 'Seen' }))).rejects.toMatchObject({
      name: 'AccessDenied',
      message: `User: arn:aws:sts::${accountId}:federated-user/viewer is not authorized to perform: iam:GetRole on resource: arn:aws:iam::${accountId}:role/Seen because no session policy allows the iam:GetRole action`,
    });
    const nobody = await federate();
    await expect(nobody.send(new ListRolesCommand({}))).rejects.toMatchObject({ name: 'AccessDenied' });
  });
});

test.describe('iam:PassRole when Bedrock is handed a role', () => {
  test('Put needs iam:PassRole on the logging role, to Bedrock', async ({ aws, accountId }) => {
    const group = '/aws/bedrock/model-invocations';
    await new CloudWatchLogsClient(aws).send(new CreateLogGroupCommand({ logGroupName: group }));
    const loggingRole = await roleWith(
      aws,
      accountId,
      'BedrockLogging',
      logsDeliveryPolicy({ accountId, logGroup: group }),
      bedrockTrustPolicy(accountId),
    );
    const put = new PutModelInvocationLoggingConfigurationCommand({
      loggingConfig: { cloudWatchConfig: { logGroupName: group, roleArn: loggingRole } },
    });
    const withoutPass = await roleWith(
      aws,
      accountId,
      'NoPass',
      allow('bedrock:PutModelInvocationLoggingConfiguration'),
    );
    const session = `arn:aws:sts::${accountId}:assumed-role/NoPass/learner`;
    await expect(
      new BedrockClient(await assumeRole(aws, { RoleArn: withoutPass })).send(put),
    ).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining(
        `User: ${session} is not authorized to perform: iam:PassRole on resource: ${loggingRole}`,
      ),
      $metadata: { httpStatusCode: 403 },
    });
    expect(
      (await new BedrockClient(aws).send(new GetModelInvocationLoggingConfigurationCommand({})))
        .loggingConfig,
    ).toBeUndefined();

    const passToBedrock = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'bedrock:PutModelInvocationLoggingConfiguration', Resource: '*' },
        {
          Effect: 'Allow',
          Action: 'iam:PassRole',
          Resource: loggingRole,
          Condition: { StringEquals: { 'iam:PassedToService': 'bedrock.amazonaws.com' } },
        },
      ],
    });
    const withPass = await roleWith(aws, accountId, 'Pass', passToBedrock);
    await new BedrockClient(await assumeRole(aws, { RoleArn: withPass })).send(put);
    expect(
      (await new BedrockClient(aws).send(new GetModelInvocationLoggingConfigurationCommand({}))).loggingConfig
        ?.cloudWatchConfig?.roleArn,
    ).toBe(loggingRole);
  });
});
