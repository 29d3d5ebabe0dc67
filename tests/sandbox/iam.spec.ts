import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  DeletePolicyCommand,
  DeleteRoleCommand,
  DeleteRolePermissionsBoundaryCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  SimulatePrincipalPolicyCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IamBackend } from '../../sandbox/iam/backend';
import { startSandbox } from '../../sandbox/server';
import { bedrockTrustPolicy } from '../fixtures/lab-policies';
import { assumeRole, expect, test } from '../fixtures/sandbox';

const trustRoot = (accountId: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'sts:AssumeRole' },
    ],
  });

const logsPolicy = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Write', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' },
    { Sid: 'NoDelete', Effect: 'Deny', Action: 'logs:Delete*', Resource: '*' },
  ],
});

test.describe('IAM roles', () => {
  test('CreateRole returns the role; GetRole returns the trust policy URL-encoded', async ({
    aws,
    accountId,
  }) => {
    const client = new IAMClient(aws);
    const trust = bedrockTrustPolicy(accountId);
    const created = await client.send(
      new CreateRoleCommand({
        RoleName: 'BedrockLogging',
        AssumeRolePolicyDocument: trust,
        Description: 'logs',
      }),
    );
    expect(created.Role).toMatchObject({
      Path: '/',
      RoleName: 'BedrockLogging',
      Arn: `arn:aws:iam::${accountId}:role/BedrockLogging`,
      Description: 'logs',
    });
    // AWS answers MaxSessionDuration from GetRole and ListRoles only (LocalStack's AWS-validated snapshots).
    expect(created.Role).not.toHaveProperty('MaxSessionDuration');
    expect(created.Role?.RoleId).toMatch(/^AROA[A-Z0-9]{17}$/);
    expect(created.Role?.CreateDate).toBeInstanceOf(Date);

    const { Role } = await client.send(new GetRoleCommand({ RoleName: 'BedrockLogging' }));
    expect(Role).toMatchObject({
      RoleName: 'BedrockLogging',
      RoleId: created.Role?.RoleId,
      MaxSessionDuration: 3600,
    });
    // As on AWS, the SDK hands the document over still URL-encoded: callers decode it.
    expect(Role?.AssumeRolePolicyDocument).toBe(encodeURIComponent(trust));
    expect(JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!))).toEqual(JSON.parse(trust));
  });

  test('a path goes into the ARN; MaxSessionDuration is kept', async ({ aws, accountId }) => {
    const client = new IAMClient(aws);
    await client.send(
      new CreateRoleCommand({
        RoleName: 'Pathed',
        Path: '/service-role/',
        AssumeRolePolicyDocument: trustRoot(accountId),
        MaxSessionDuration: 7200,
      }),
    );
    const { Role } = await client.send(new GetRoleCommand({ RoleName: 'Pathed' }));
    expect(Role).toMatchObject({
      Path: '/service-role/',
      Arn: `arn:aws:iam::${accountId}:role/service-role/Pathed`,
      MaxSessionDuration: 7200,
    });
  });

  test('CreateRole refuses a duplicate name, whatever its case', async ({ aws, accountId }) => {
    const client = new IAMClient(aws);
    await client.send(
      new CreateRoleCommand({ RoleName: 'Twice', AssumeRolePolicyDocument: trustRoot(accountId) }),
    );
    await expect(
      client.send(
        new CreateRoleCommand({ RoleName: 'twice', AssumeRolePolicyDocument: trustRoot(accountId) }),
      ),
    ).rejects.toMatchObject({
      name: 'EntityAlreadyExistsException',
      message: 'Role with name twice already exists.',
      $metadata: { httpStatusCode: 409 },
    });
  });

  test('CreateRole validates the name and the trust policy', async ({ aws, accountId }) => {
    const client = new IAMClient(aws);
    await expect(
      client.send(
        new CreateRoleCommand({ RoleName: 'bad name!', AssumeRolePolicyDocument: trustRoot(accountId) }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      message:
        "1 validation error detected: Value 'bad name!' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+",
      $metadata: { httpStatusCode: 400 },
    });
    await expect(
      client.send(
        new CreateRoleCommand({ RoleName: 'x'.repeat(65), AssumeRolePolicyDocument: trustRoot(accountId) }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationError', $metadata: { httpStatusCode: 400 } });
    await expect(
      client.send(new CreateRoleCommand({ RoleName: 'Broken', AssumeRolePolicyDocument: '{"Version":' })),
    ).rejects.toMatchObject({
      name: 'MalformedPolicyDocumentException',
      message: 'This policy contains invalid Json',
      $metadata: { httpStatusCode: 400 },
    });
    const withResource = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'bedrock.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Resource: '*',
        },
      ],
    });
    await expect(
      client.send(new CreateRoleCommand({ RoleName: 'Broken', AssumeRolePolicyDocument: withResource })),
    ).rejects.toMatchObject({
      name: 'MalformedPolicyDocumentException',
      message: 'Has prohibited field Resource',
      $metadata: { httpStatusCode: 400 },
    });
  });

  test('UpdateAssumeRolePolicy replaces the trust policy; a malformed one is refused', async ({
    aws,
    accountId,
  }) => {
    const client = new IAMClient(aws);
    await client.send(
      new CreateRoleCommand({ RoleName: 'Lab', AssumeRolePolicyDocument: trustRoot(accountId) }),
    );
    await client.send(
      new UpdateAssumeRolePolicyCommand({ RoleName: 'Lab', PolicyDocument: bedrockTrustPolicy(accountId) }),
    );
    const { Role } = await client.send(new GetRoleCommand({ RoleName: 'Lab' }));
    expect(JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!))).toEqual(
      JSON.parse(bedrockTrustPolicy(accountId)),
    );
    await expect(
      client.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'Lab', PolicyDocument: '{not json' })),
    ).rejects.toMatchObject({ name: 'MalformedPolicyDocumentException', $metadata: { httpStatusCode: 400 } });
    await expect(
      client.send(
        new UpdateAssumeRolePolicyCommand({
          RoleName: 'Nope',
          PolicyDocument: bedrockTrustPolicy(accountId),
        }),
      ),
    ).rejects.toMatchObject({ name: 'NoSuchEntityException' });
  });

  test('GetRole and DeleteRole of a missing role', async ({ aws }) => {
    const client = new IAMClient(aws);
    for (const command of [
      new GetRoleCommand({ RoleName: 'Nope' }),
      new DeleteRoleCommand({ RoleName: 'Nope' }),
    ]) {
      await expect(client.send(command as GetRoleCommand)).rejects.toMatchObject({
        name: 'NoSuchEntityException',
        message: 'The role with name Nope cannot be found.',
        $metadata: { httpStatusCode: 404 },
      });
    }
  });

  test('ListRoles lists the account roles, by path prefix and in pages', async ({ aws, accountId }) => {
    const client = new IAMClient(aws);
    for (const [RoleName, Path] of [
      ['A', '/'],
      ['B', '/service-role/'],
      ['C', '/'],
    ] as const) {
      await client.send(
        new CreateRoleCommand({ RoleName, Path, AssumeRolePolicyDocument: trustRoot(accountId) }),
      );
    }
    const all = await client.send(new ListRolesCommand({}));
    expect(all.Roles?.map((r) => r.RoleName)).toEqual(['A', 'B', 'C']);
    expect(all.IsTruncated).toBe(false);
    expect(all.Roles?.[0]?.AssumeRolePolicyDocument).toBe(encodeURIComponent(trustRoot(accountId)));
    const service = await client.send(new ListRolesCommand({ PathPrefix: '/service-role/' }));
    expect(service.Roles?.map((r) => r.RoleName)).toEqual(['B']);
    const first = await client.send(new ListRolesCommand({ MaxItems: 2 }));
    expect(first).toMatchObject({ IsTruncated: true });
    const second = await client.send(new ListRolesCommand({ MaxItems: 2, Marker: first.Marker }));
    expect(second.Roles?.map((r) => r.RoleName)).toEqual(['C']);
    expect(second.IsTruncated).toBe(false);
  });
});

test.describe('IAM inline role policies', () => {
  test('Put, Get (URL-encoded), List, Delete', async ({ aws, accountId }) => {
    const client = new IAMClient(aws);
    await client.send(
      new CreateRoleCommand({ RoleName: 'R', AssumeRolePolicyDocument: trustRoot(accountId) }),
    );
    expect((await client.send(new ListRolePoliciesCommand({ RoleName: 'R' }))).PolicyNames).toEqual([]);
    await client.send(
      new PutRolePolicyCommand({ RoleName: 'R', PolicyName: 'logs', PolicyDocument: logsPolicy }),
    );
    const got = await client.send(new GetRolePolicyCommand({ RoleName: 'R', PolicyName: 'logs' }));
    expect(got).toMatchObject({
      RoleName: 'R',
      PolicyName: 'logs',
      PolicyDocument: encodeURIComponent(logsPolicy),
    });
    expect((await client.send(new ListRolePoliciesCommand({ RoleName: 'R' }))).PolicyNames).toEqual(['logs']);

    await expect(client.send(new DeleteRoleCommand({ RoleName: 'R' }))).rejects.toMatchObject({
      name: 'DeleteConflictException',
      message: 'Cannot delete entity, must delete policies first.',
      $metadata: { httpStatusCode: 409 },
    });
    await client.send(new DeleteRolePolicyCommand({ RoleName: 'R', PolicyName: 'logs' }));
    await client.send(new DeleteRoleCommand({ RoleName: 'R' }));
    await expect(client.send(new GetRoleCommand({ RoleName: 'R' }))).rejects.toMatchObject({
      name: 'NoSuchEntityException',
    });
  });

  test('errors: missing policy, missing role, malformed document', async ({ aws, accountId }) => {
    const client = new IAMClient(aws);
    await client.send(
      new CreateRoleCommand({ RoleName: 'R', AssumeRolePolicyDocument: trustRoot(accountId) }),
    );
    const missing = {
      name: 'NoSuchEntityException',
      message: 'The role policy with name nope cannot be found.',
      $metadata: { httpStatusCode: 404 },
    };
    await expect(
      client.send(new GetRolePolicyCommand({ RoleName: 'R', PolicyName: 'nope' })),
    ).rejects.toMatchObject(missing);
    await expect(
      client.send(new DeleteRolePolicyCommand({ RoleName: 'R', PolicyName: 'nope' })),
    ).rejects.toMatchObject(missing);
    await expect(
      client.send(
        new PutRolePolicyCommand({ RoleName: 'Ghost', PolicyName: 'p', PolicyDocument: logsPolicy }),
      ),
    ).rejects.toMatchObject({
      name: 'NoSuchEntityException',
      message: 'The role with name Ghost cannot be found.',
      $metadata: { httpStatusCode: 404 },
    });
    for (const [document, message] of [
      ['not json', 'This policy contains invalid Json'],
      [
        JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'logs:*' }] }),
        'Policy statement must contain resources.',
      ],
      [
        JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: '*', Action: 'logs:*', Resource: '*' }],
        }),
        'Policy document should not specify a principal.',
      ],
    ]) {
      await expect(
        client.send(new PutRolePolicyCommand({ RoleName: 'R', PolicyName: 'p', PolicyDocument: document })),
      ).rejects.toMatchObject({
        name: 'MalformedPolicyDocumentException',
        message,
        $metadata: { httpStatusCode: 400 },
      });
    }
  });
});

test.describe('IAM managed policies', () => {
  test('CreatePolicy, GetPolicy, GetPolicyVersion (URL-encoded)', async ({ aws, accountId }) => {
    const client = new IAMClient(aws);
    const { Policy } = await client.send(
      new CreatePolicyCommand({
        PolicyName: 'LogsWriter',
        PolicyDocument: logsPolicy,
        Description: 'write logs',
      }),
    );
    const arn = `arn:aws:iam::${accountId}:policy/LogsWriter`;
    expect(Policy).toMatchObject({
      PolicyName: 'LogsWriter',
      Arn: arn,
      Path: '/',
      DefaultVersionId: 'v1',
      AttachmentCount: 0,
      IsAttachable: true,
    });
    expect(Policy?.PolicyId).toMatch(/^ANPA[A-Z0-9]{17}$/);
    const got = await client.send(new GetPolicyCommand({ PolicyArn: arn }));
    expect(got.Policy).toMatchObject({
      PolicyName: 'LogsWriter',
      Description: 'write logs',
      AttachmentCount: 0,
    });
    const version = await client.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' }));
    expect(version.PolicyVersion).toMatchObject({ VersionId: 'v1', IsDefaultVersion: true });
    expect(decodeURIComponent(version.PolicyVersion!.Document!)).toBe(logsPolicy);

    await expect(
      client.send(new CreatePolicyCommand({ PolicyName: 'LogsWriter', PolicyDocument: logsPolicy })),
    ).rejects.toMatchObject({
      name: 'EntityAlreadyExistsException',
      message: 'A policy called LogsWriter already exists. Duplicate names are not allowed.',
      $metadata: { httpStatusCode: 409 },
    });
    await expect(
      client.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v2' })),
    ).rejects.toMatchObject({
      name: 'NoSuchEntityException',
      $metadata: { httpStatusCode: 404 },
    });
  });

  test('GetPolicy of a missing policy; AWS managed policies are known', async ({ aws, accountId }) => {
    const client = new IAMClient(aws);
    const arn = `arn:aws:iam::${accountId}:policy/Nope`;
    await expect(client.send(new GetPolicyCommand({ PolicyArn: arn }))).rejects.toMatchObject({
      name: 'NoSuchEntityException',
      message: `Policy ${arn} was not found.`,
      $metadata: { httpStatusCode: 404 },
    });
    const { Policy } = await client.send(
      new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/CloudWatchLogsFullAccess' }),
    );
    expect(Policy).toMatchObject({ PolicyName: 'CloudWatchLogsFullAccess', IsAttachable: true });
  });

  test('Attach, ListAttached, Detach; DeleteRole needs detaching first', async ({ aws, accountId }) => {
    const client = new IAMClient(aws);
    await client.send(
      new CreateRoleCommand({ RoleName: 'R', AssumeRolePolicyDocument: trustRoot(accountId) }),
    );
    const own = (
      await client.send(new CreatePolicyCommand({ PolicyName: 'Mine', PolicyDocument: logsPolicy }))
    ).Policy!.Arn!;
    const awsManaged = 'arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess';
    await client.send(new AttachRolePolicyCommand({ RoleName: 'R', PolicyArn: own }));
    await client.send(new AttachRolePolicyCommand({ RoleName: 'R', PolicyArn: awsManaged }));
    await client.send(new AttachRolePolicyCommand({ RoleName: 'R', PolicyArn: own })); // idempotent
    const listed = await client.send(new ListAttachedRolePoliciesCommand({ RoleName: 'R' }));
    expect(listed.AttachedPolicies).toEqual([
      { PolicyName: 'Mine', PolicyArn: own },
      { PolicyName: 'CloudWatchReadOnlyAccess', PolicyArn: awsManaged },
    ]);
    expect((await client.send(new GetPolicyCommand({ PolicyArn: own }))).Policy?.AttachmentCount).toBe(1);

    await expect(client.send(new DeleteRoleCommand({ RoleName: 'R' }))).rejects.toMatchObject({
      name: 'DeleteConflictException',
      message: 'Cannot delete entity, must detach all policies first.',
      $metadata: { httpStatusCode: 409 },
    });
    await client.send(new DetachRolePolicyCommand({ RoleName: 'R', PolicyArn: own }));
    await client.send(new DetachRolePolicyCommand({ RoleName: 'R', PolicyArn: awsManaged }));
    await expect(
      client.send(new DetachRolePolicyCommand({ RoleName: 'R', PolicyArn: own })),
    ).rejects.toMatchObject({
      name: 'NoSuchEntityException',
      message: `Policy ${own} was not found.`,
      $metadata: { httpStatusCode: 404 },
    });
    await client.send(new DeleteRoleCommand({ RoleName: 'R' }));
  });

  test('AttachRolePolicy of an unknown policy or a bad ARN', async ({ aws, accountId }) => {
    const client = new IAMClient(aws);
    await client.send(
      new CreateRoleCommand({ RoleName: 'R', AssumeRolePolicyDocument: trustRoot(accountId) }),
    );
    const ghost = 'arn:aws:iam::aws:policy/NoSuchManagedPolicy';
    await expect(
      client.send(new AttachRolePolicyCommand({ RoleName: 'R', PolicyArn: ghost })),
    ).rejects.toMatchObject({
      name: 'NoSuchEntityException',
      message: `Policy ${ghost} does not exist or is not attachable.`,
      $metadata: { httpStatusCode: 404 },
    });
    await expect(
      client.send(new AttachRolePolicyCommand({ RoleName: 'R', PolicyArn: 'arn:aws:s3:::not-a-policy' })),
    ).rejects.toMatchObject({
      // As LocalStack's AWS-validated snapshot records AWS's answer.
      name: 'ValidationError',
      message: 'Invalid ARN:  Could not be parsed!',
      $metadata: { httpStatusCode: 400 },
    });
  });
});

test.describe('IAM role tags and permissions boundaries', () => {
  test('CreateRole keeps tags: CreateRole and GetRole show them, ListRoles does not', async ({
    aws,
    accountId,
  }) => {
    const client = new IAMClient(aws);
    const Tags = [
      { Key: 'team', Value: 'lab' },
      { Key: 'Stage', Value: '' },
    ];
    const created = await client.send(
      new CreateRoleCommand({ RoleName: 'Tagged', AssumeRolePolicyDocument: trustRoot(accountId), Tags }),
    );
    expect(created.Role?.Tags).toEqual(Tags);
    expect((await client.send(new GetRoleCommand({ RoleName: 'Tagged' }))).Role?.Tags).toEqual(Tags);
    const listed = await client.send(new ListRolesCommand({}));
    expect(listed.Roles?.[0]).not.toHaveProperty('Tags');
    // A role without tags has no Tags member at all (as recorded).
    await client.send(
      new CreateRoleCommand({ RoleName: 'Plain', AssumeRolePolicyDocument: trustRoot(accountId) }),
    );
    expect((await client.send(new GetRoleCommand({ RoleName: 'Plain' }))).Role).not.toHaveProperty('Tags');
    await expect(
      client.send(
        new CreateRoleCommand({
          RoleName: 'Twice',
          AssumeRolePolicyDocument: trustRoot(accountId),
          Tags: [
            { Key: 'team', Value: 'a' },
            { Key: 'TEAM', Value: 'b' },
          ],
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidInputException',
      message: 'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
      $metadata: { httpStatusCode: 400 },
    });
  });

  test('a permissions boundary is set, shown, counted, removed; it must name a policy', async ({
    aws,
    accountId,
  }) => {
    const client = new IAMClient(aws);
    const boundary = (
      await client.send(new CreatePolicyCommand({ PolicyName: 'Bound', PolicyDocument: logsPolicy }))
    ).Policy!.Arn!;
    const created = await client.send(
      new CreateRoleCommand({
        RoleName: 'Bounded',
        AssumeRolePolicyDocument: trustRoot(accountId),
        PermissionsBoundary: boundary,
      }),
    );
    const attached = {
      PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
      PermissionsBoundaryArn: boundary,
    };
    expect(created.Role?.PermissionsBoundary).toEqual(attached);
    expect(
      (await client.send(new GetRoleCommand({ RoleName: 'Bounded' }))).Role?.PermissionsBoundary,
    ).toEqual(attached);
    expect((await client.send(new ListRolesCommand({}))).Roles?.[0]).not.toHaveProperty(
      'PermissionsBoundary',
    );
    expect((await client.send(new GetPolicyCommand({ PolicyArn: boundary }))).Policy).toMatchObject({
      AttachmentCount: 0,
      PermissionsBoundaryUsageCount: 1,
    });
    await expect(client.send(new DeletePolicyCommand({ PolicyArn: boundary }))).rejects.toMatchObject({
      name: 'DeleteConflictException',
      $metadata: { httpStatusCode: 409 },
    });

    await client.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: 'Bounded' }));
    expect((await client.send(new GetRoleCommand({ RoleName: 'Bounded' }))).Role).not.toHaveProperty(
      'PermissionsBoundary',
    );
    const managed = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
    await client.send(
      new PutRolePermissionsBoundaryCommand({ RoleName: 'Bounded', PermissionsBoundary: managed }),
    );
    expect(
      (await client.send(new GetRoleCommand({ RoleName: 'Bounded' }))).Role?.PermissionsBoundary
        ?.PermissionsBoundaryArn,
    ).toBe(managed);

    const ghost = `arn:aws:iam::${accountId}:policy/Ghost`;
    await expect(
      client.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'Bounded', PermissionsBoundary: ghost })),
    ).rejects.toMatchObject({
      name: 'NoSuchEntityException',
      message: `Scope ARN: ${ghost} does not exist or is not attachable.`,
      $metadata: { httpStatusCode: 404 },
    });
    await expect(
      client.send(
        new PutRolePermissionsBoundaryCommand({
          RoleName: 'Bounded',
          PermissionsBoundary: 'arn:aws:s3:::lab-bucket-name',
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidInputException', $metadata: { httpStatusCode: 400 } });
    await expect(
      client.send(
        new PutRolePermissionsBoundaryCommand({ RoleName: 'Nobody', PermissionsBoundary: managed }),
      ),
    ).rejects.toMatchObject({ name: 'NoSuchEntityException', $metadata: { httpStatusCode: 404 } });
  });

  test('a session of the role may do only what both its policies and its boundary allow', async ({
    aws,
    accountId,
  }) => {
    const client = new IAMClient(aws);
    const { Role } = await client.send(
      new CreateRoleCommand({
        RoleName: 'Admin',
        AssumeRolePolicyDocument: trustRoot(accountId),
        PermissionsBoundary: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess',
      }),
    );
    await client.send(
      new AttachRolePolicyCommand({
        RoleName: 'Admin',
        PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
      }),
    );
    const session = new IAMClient(await assumeRole(aws, { RoleArn: Role!.Arn! }));
    expect((await session.send(new GetRoleCommand({ RoleName: 'Admin' }))).Role?.RoleName).toBe('Admin');
    await expect(
      session.send(
        new PutRolePolicyCommand({ RoleName: 'Admin', PolicyName: 'more', PolicyDocument: logsPolicy }),
      ),
    ).rejects.toMatchObject({
      name: 'AccessDenied',
      message: `User: arn:aws:sts::${accountId}:assumed-role/Admin/learner is not authorized to perform: iam:PutRolePolicy on resource: ${Role!.Arn!} because no permissions boundary allows the iam:PutRolePolicy action`,
      $metadata: { httpStatusCode: 403 },
    });
    const simulated = await client.send(
      new SimulatePrincipalPolicyCommand({
        PolicySourceArn: Role!.Arn!,
        ActionNames: ['iam:GetRole', 'iam:PutRolePolicy'],
      }),
    );
    expect(
      simulated.EvaluationResults?.map((r) => [
        r.EvalDecision,
        r.PermissionsBoundaryDecisionDetail?.AllowedByPermissionsBoundary,
      ]),
    ).toEqual([
      ['allowed', true],
      ['implicitDeny', false],
    ]);
  });

  test('creating a role with tags needs iam:TagRole as well', async ({ aws, accountId }) => {
    const client = new IAMClient(aws);
    const { Role } = await client.send(
      new CreateRoleCommand({ RoleName: 'Maker', AssumeRolePolicyDocument: trustRoot(accountId) }),
    );
    await client.send(
      new PutRolePolicyCommand({
        RoleName: 'Maker',
        PolicyName: 'create',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'iam:CreateRole', Resource: '*' }],
        }),
      }),
    );
    const session = new IAMClient(await assumeRole(aws, { RoleArn: Role!.Arn! }));
    const create = (RoleName: string, Tags?: { Key: string; Value: string }[]) =>
      session.send(new CreateRoleCommand({ RoleName, AssumeRolePolicyDocument: trustRoot(accountId), Tags }));
    await create('Untagged');
    await expect(create('Tagged', [{ Key: 'team', Value: 'lab' }])).rejects.toMatchObject({
      name: 'AccessDenied',
      message: expect.stringContaining(
        `iam:TagRole on resource: arn:aws:iam::${accountId}:role/Tagged because no identity-based policy allows the iam:TagRole action`,
      ),
    });
  });

  test('tags and boundaries survive a restart of a sandbox with durable state', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-state-'));
    const account = '123456789012';
    const config = (url: string) => ({
      endpoint: url,
      region: 'us-east-1',
      credentials: { accessKeyId: account, secretAccessKey: 'test' },
      maxAttempts: 1,
    });
    const first = await startSandbox({ port: 0, stateDir: dir });
    const before = await (async () => {
      const client = new IAMClient(config(first.url));
      await client.send(
        new CreateRoleCommand({
          RoleName: 'Kept',
          AssumeRolePolicyDocument: trustRoot(account),
          Tags: [{ Key: 'team', Value: 'lab' }],
        }),
      );
      await client.send(
        new PutRolePermissionsBoundaryCommand({
          RoleName: 'Kept',
          PermissionsBoundary: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
        }),
      );
      await client.send(new CreatePolicyCommand({ PolicyName: 'Gone', PolicyDocument: logsPolicy }));
      await client.send(new DeletePolicyCommand({ PolicyArn: `arn:aws:iam::${account}:policy/Gone` }));
      return (await client.send(new GetRoleCommand({ RoleName: 'Kept' }))).Role;
    })();
    await first.close();
    const second = await startSandbox({ port: 0, stateDir: dir });
    try {
      const client = new IAMClient(config(second.url));
      expect((await client.send(new GetRoleCommand({ RoleName: 'Kept' }))).Role).toEqual(before);
      expect(before?.Tags).toEqual([{ Key: 'team', Value: 'lab' }]);
      expect(before?.PermissionsBoundary?.PermissionsBoundaryArn).toBe(
        'arn:aws:iam::aws:policy/ReadOnlyAccess',
      );
      await expect(
        client.send(new GetPolicyCommand({ PolicyArn: `arn:aws:iam::${account}:policy/Gone` })),
      ).rejects.toMatchObject({ name: 'NoSuchEntityException' });
    } finally {
      await second.close();
    }
  });
});

test.describe('IAM DeletePolicy', () => {
  test('deletes an unused customer managed policy; attached or missing ones are refused', async ({
    aws,
    accountId,
  }) => {
    const client = new IAMClient(aws);
    const arn = (
      await client.send(new CreatePolicyCommand({ PolicyName: 'Temp', PolicyDocument: logsPolicy }))
    ).Policy!.Arn!;
    await client.send(
      new CreateRoleCommand({ RoleName: 'R', AssumeRolePolicyDocument: trustRoot(accountId) }),
    );
    await client.send(new AttachRolePolicyCommand({ RoleName: 'R', PolicyArn: arn }));
    await expect(client.send(new DeletePolicyCommand({ PolicyArn: arn }))).rejects.toMatchObject({
      name: 'DeleteConflictException',
      message: 'Cannot delete a policy attached to entities.',
      $metadata: { httpStatusCode: 409 },
    });
    await client.send(new DetachRolePolicyCommand({ RoleName: 'R', PolicyArn: arn }));
    await client.send(new DeletePolicyCommand({ PolicyArn: arn }));
    // As LocalStack's AWS-validated snapshot records AWS's answer.
    await expect(client.send(new DeletePolicyCommand({ PolicyArn: arn }))).rejects.toMatchObject({
      name: 'NoSuchEntityException',
      message: `Policy ${arn} was not found.`,
      $metadata: { httpStatusCode: 404 },
    });
    // The name is free again.
    await client.send(new CreatePolicyCommand({ PolicyName: 'Temp', PolicyDocument: logsPolicy }));
    await expect(
      client.send(new DeletePolicyCommand({ PolicyArn: 'not-an-arn-but-long-enough' })),
    ).rejects.toMatchObject({ name: 'ValidationError', message: 'Invalid ARN:  Could not be parsed!' });
  });
});

test.describe('IAM SimulatePrincipalPolicy', () => {
  test('judges a role policies: allowed, explicit and implicit deny, with matched statements', async ({
    aws,
    accountId,
  }) => {
    const client = new IAMClient(aws);
    const { Role } = await client.send(
      new CreateRoleCommand({ RoleName: 'R', AssumeRolePolicyDocument: trustRoot(accountId) }),
    );
    await client.send(
      new PutRolePolicyCommand({ RoleName: 'R', PolicyName: 'logs', PolicyDocument: logsPolicy }),
    );
    await client.send(
      new AttachRolePolicyCommand({
        RoleName: 'R',
        PolicyArn: 'arn:aws:iam::aws:policy/CloudWatchLogsFullAccess',
      }),
    );
    const group = `arn:aws:logs:us-east-1:${accountId}:log-group:g:*`;
    const { EvaluationResults } = await client.send(
      new SimulatePrincipalPolicyCommand({
        PolicySourceArn: Role!.Arn,
        ActionNames: ['logs:PutLogEvents', 'logs:DeleteLogGroup', 'bedrock:InvokeModel'],
        ResourceArns: [group],
      }),
    );
    expect(EvaluationResults).toHaveLength(3);
    const [put, del, invoke] = EvaluationResults!;
    expect(put).toMatchObject({
      EvalActionName: 'logs:PutLogEvents',
      EvalResourceName: group,
      EvalDecision: 'allowed',
    });
    expect(put?.MatchedStatements?.map((s) => [s.SourcePolicyId, s.SourcePolicyType])).toEqual([
      ['logs', 'role'],
      ['CloudWatchLogsFullAccess', 'aws-managed'],
    ]);
    expect(put?.MatchedStatements?.[0]?.StartPosition).toEqual({ Line: 1, Column: 38 });
    expect(del).toMatchObject({ EvalDecision: 'explicitDeny' });
    expect(del?.MatchedStatements).toHaveLength(1);
    expect(invoke).toMatchObject({ EvalDecision: 'implicitDeny' });
    expect(invoke?.MatchedStatements).toEqual([]);
  });

  test('without ResourceArns the resource is *; an unknown role is NoSuchEntity', async ({
    aws,
    accountId,
  }) => {
    const client = new IAMClient(aws);
    const { Role } = await client.send(
      new CreateRoleCommand({ RoleName: 'R', AssumeRolePolicyDocument: trustRoot(accountId) }),
    );
    const { EvaluationResults } = await client.send(
      new SimulatePrincipalPolicyCommand({ PolicySourceArn: Role!.Arn, ActionNames: ['iam:ListRoles'] }),
    );
    expect(EvaluationResults?.[0]).toMatchObject({ EvalResourceName: '*', EvalDecision: 'implicitDeny' });
    await expect(
      client.send(
        new SimulatePrincipalPolicyCommand({
          PolicySourceArn: `arn:aws:iam::${accountId}:role/Ghost`,
          ActionNames: ['iam:ListRoles'],
        }),
      ),
    ).rejects.toMatchObject({
      name: 'NoSuchEntityException',
      message: 'The role with name Ghost cannot be found.',
      $metadata: { httpStatusCode: 404 },
    });
  });

  test('the account root is allowed everything; users are not found; extra input policies count', async ({
    aws,
    accountId,
  }) => {
    const client = new IAMClient(aws);
    const root = await client.send(
      new SimulatePrincipalPolicyCommand({
        PolicySourceArn: `arn:aws:iam::${accountId}:root`,
        ActionNames: ['iam:DeleteRole'],
      }),
    );
    expect(root.EvaluationResults?.[0]).toMatchObject({ EvalDecision: 'allowed', MatchedStatements: [] });
    await expect(
      client.send(
        new SimulatePrincipalPolicyCommand({
          PolicySourceArn: `arn:aws:iam::${accountId}:user/alice`,
          ActionNames: ['iam:ListRoles'],
        }),
      ),
    ).rejects.toMatchObject({
      name: 'NoSuchEntityException',
      message: 'The user with name alice cannot be found.',
      $metadata: { httpStatusCode: 404 },
    });
    const { Role } = await client.send(
      new CreateRoleCommand({ RoleName: 'R', AssumeRolePolicyDocument: trustRoot(accountId) }),
    );
    const extra = await client.send(
      new SimulatePrincipalPolicyCommand({
        PolicySourceArn: Role!.Arn,
        ActionNames: ['iam:ListRoles'],
        PolicyInputList: [
          JSON.stringify({
            Version: '2012-10-17',
            Statement: { Effect: 'Allow', Action: 'iam:List*', Resource: '*' },
          }),
        ],
      }),
    );
    expect(extra.EvaluationResults?.[0]).toMatchObject({
      EvalDecision: 'allowed',
      MatchedStatements: [{ SourcePolicyId: 'PolicyInputList.1', SourcePolicyType: 'none' }],
    });
  });
});

/** The API other services call (Bedrock checks its logging role with it): unit tests of the backend. */
test.describe('IamBackend cross-service API', () => {
  const account = '111122223333';
  const region = 'us-east-1';
  const setup = () => {
    const iam = new IamBackend(account);
    const role = iam.createRole({
      name: 'BedrockLogging',
      path: '/service-role/',
      trustPolicy: bedrockTrustPolicy(account),
      maxSessionDuration: 3600,
    });
    iam.putRolePolicy('BedrockLogging', 'logs', logsPolicy);
    return { iam, arn: role.arn };
  };
  const bedrock = { service: 'bedrock.amazonaws.com' };
  const source = {
    sourceAccount: account,
    sourceArn: `arn:aws:bedrock:${region}:${account}:model-invocation-logging`,
  };

  test('roleByArn needs the exact ARN, path included', () => {
    const { iam, arn } = setup();
    expect(iam.roleByArn(arn)?.name).toBe('BedrockLogging');
    expect(iam.roleByArn(`arn:aws:iam::${account}:role/BedrockLogging`)).toBeUndefined();
    expect(new IamBackend('999988887777').roleByArn(arn)).toBeUndefined();
  });

  test('canAssume: the service principal with matching aws:SourceAccount and aws:SourceArn', () => {
    const { iam, arn } = setup();
    expect(iam.canAssume(arn, bedrock, source)).toBe(true);
    expect(iam.canAssume(arn, bedrock, { ...source, sourceAccount: '999988887777' })).toBe(false);
    expect(
      iam.canAssume(arn, bedrock, { ...source, sourceArn: `arn:aws:bedrock:${region}:999988887777:x` }),
    ).toBe(false);
    expect(iam.canAssume(arn, bedrock, {})).toBe(false);
    expect(iam.canAssume(arn, { service: 'lambda.amazonaws.com' }, source)).toBe(false);
    expect(iam.canAssume(arn, { arn: `arn:aws:iam::${account}:root`, accountId: account }, source)).toBe(
      false,
    );
    expect(iam.canAssume(`arn:aws:iam::${account}:role/service-role/Ghost`, bedrock, source)).toBe(false);
  });

  test('canAssume: AWS principals by root ARN, account id, role ARN or *', () => {
    const iam = new IamBackend(account);
    const root = { arn: `arn:aws:iam::${account}:root`, accountId: account };
    const session = { arn: `arn:aws:sts::${account}:assumed-role/Caller/s1`, accountId: account };
    const other = { arn: 'arn:aws:iam::999988887777:root', accountId: '999988887777' };
    const roleTrusting = (name: string, principal: unknown) =>
      iam.createRole({
        name,
        path: '/',
        maxSessionDuration: 3600,
        trustPolicy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole' }],
        }),
      }).arn;
    const byRoot = roleTrusting('ByRoot', `arn:aws:iam::${account}:root`);
    const byId = roleTrusting('ById', account);
    const byRole = roleTrusting('ByRole', `arn:aws:iam::${account}:role/Caller`);
    const anyone = roleTrusting('Anyone', '*');
    for (const arn of [byRoot, byId]) {
      expect(iam.canAssume(arn, root, {})).toBe(true);
      expect(iam.canAssume(arn, session, {})).toBe(true);
      expect(iam.canAssume(arn, other, {})).toBe(false);
    }
    expect(iam.canAssume(byRole, session, {})).toBe(true);
    expect(iam.canAssume(byRole, root, {})).toBe(false);
    expect(iam.canAssume(anyone, other, {})).toBe(true);
  });

  test('roleAllows: inline and attached policies, explicit deny wins', () => {
    const { iam, arn } = setup();
    const stream = `arn:aws:logs:${region}:${account}:log-group:/aws/bedrock/invocations:log-stream:aws/bedrock/modelinvocations`;
    expect(iam.roleAllows(arn, 'logs:PutLogEvents', stream)).toBe(true);
    expect(iam.roleAllows(arn, 'logs:CreateLogGroup', '*')).toBe(false);
    iam.attachRolePolicy('BedrockLogging', 'arn:aws:iam::aws:policy/CloudWatchLogsFullAccess');
    expect(iam.roleAllows(arn, 'logs:CreateLogGroup', '*')).toBe(true);
    expect(iam.roleAllows(arn, 'logs:DeleteLogGroup', '*')).toBe(false);
    expect(iam.roleAllows(`arn:aws:iam::${account}:role/Ghost`, 'logs:PutLogEvents', stream)).toBe(false);
  });
});
