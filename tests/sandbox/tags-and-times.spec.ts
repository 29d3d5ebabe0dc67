/**
 * Attacks on tags, boundaries and times: what a caller's policies say about the tags it passes
 * (aws:RequestTag, aws:TagKeys) and the boundaries it sets (iam:PermissionsBoundary), what trust
 * policies see of a calling session (aws:PrincipalTag), ListLogGroups' pattern, and times that
 * are no instant (NaN, Infinity over CBOR) and must change nothing, before or after a restart.
 */
import { CloudWatchClient, GetMetricStatisticsCommand, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DescribeLogGroupsCommand,
  ListLogGroupsCommand,
  ListTagsForResourceCommand,
  ListTagsLogGroupCommand,
  PutRetentionPolicyCommand,
  DeleteRetentionPolicyCommand,
  TagLogGroupCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  CreatePolicyCommand,
  CreateRoleCommand,
  GetRoleCommand,
  IAMClient,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient, type Tag } from '@aws-sdk/client-sts';
import { cbor, tag } from '@smithy/core/cbor';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '../../sandbox/server';
import { signedRequest } from '../fixtures/signed-request';
import { expect, test, type ClientConfig, accountConfig } from '../fixtures/sandbox';

const doc = (Statement: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement });

/** A role trusting the account for these actions, with an inline policy when given. */
async function role(
  aws: ClientConfig,
  accountId: string,
  name: string,
  options: { trust?: unknown[]; policy?: unknown[]; tags?: { Key: string; Value: string }[] } = {},
) {
  const iam = new IAMClient(aws);
  const { Role } = await iam.send(
    new CreateRoleCommand({
      RoleName: name,
      AssumeRolePolicyDocument: doc(
        options.trust ?? [
          {
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${accountId}:root` },
            Action: ['sts:AssumeRole', 'sts:TagSession'],
          },
        ],
      ),
      Tags: options.tags,
    }),
  );
  if (options.policy) {
    await iam.send(
      new PutRolePolicyCommand({ RoleName: name, PolicyName: 'p', PolicyDocument: doc(options.policy) }),
    );
  }
  return Role!.Arn!;
}

async function session(aws: ClientConfig, RoleArn: string, Tags?: Tag[]): Promise<ClientConfig> {
  const { Credentials } = await new STSClient(aws).send(
    new AssumeRoleCommand({ RoleArn, RoleSessionName: 'ses', Tags }),
  );
  return {
    ...aws,
    credentials: {
      accessKeyId: Credentials!.AccessKeyId!,
      secretAccessKey: Credentials!.SecretAccessKey!,
      sessionToken: Credentials!.SessionToken!,
    },
  };
}

const outcome = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: Error) => e.name,
  );

test.describe('IAM/STS: request tags and principal tags in authorization', () => {
  test('the caller’s identity policy can limit which session tag keys it passes (aws:TagKeys)', async ({
    aws,
    accountId,
  }) => {
    const target = await role(aws, accountId, 'Target');
    const base = await role(aws, accountId, 'Base', {
      policy: [
        { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' },
        {
          Effect: 'Allow',
          Action: 'sts:TagSession',
          Resource: '*',
          Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['project'] } },
        },
      ],
    });
    const sts = new STSClient(await session(aws, base));
    // AWS: aws:TagKeys is ["admin"], not all in ["project"]: sts:TagSession is denied.
    expect(
      await outcome(
        sts.send(
          new AssumeRoleCommand({
            RoleArn: target,
            RoleSessionName: 'xx',
            Tags: [{ Key: 'admin', Value: 'true' }],
          }),
        ),
      ),
    ).toBe('AccessDenied');
  });

  test('the caller’s identity policy can require a session tag value (aws:RequestTag)', async ({
    aws,
    accountId,
  }) => {
    const target = await role(aws, accountId, 'Target');
    const base = await role(aws, accountId, 'Base', {
      policy: [
        { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' },
        {
          Effect: 'Allow',
          Action: 'sts:TagSession',
          Resource: '*',
          Condition: { StringEquals: { 'aws:RequestTag/project': 'lab' } },
        },
      ],
    });
    const sts = new STSClient(await session(aws, base));
    // The documented pattern (IAM User Guide, "Permissions required to add session tags").
    expect(
      await outcome(
        sts.send(
          new AssumeRoleCommand({
            RoleArn: target,
            RoleSessionName: 'xx',
            Tags: [{ Key: 'project', Value: 'lab' }],
          }),
        ),
      ),
    ).toBe('ok');
  });

  test('iam:TagRole limited by aws:TagKeys cannot be bypassed by CreateRole with Tags', async ({
    aws,
    accountId,
  }) => {
    const admin = await role(aws, accountId, 'Admin', {
      policy: [
        { Effect: 'Allow', Action: 'iam:CreateRole', Resource: '*' },
        {
          Effect: 'Allow',
          Action: 'iam:TagRole',
          Resource: '*',
          Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['project'] } },
        },
      ],
    });
    const iam = new IAMClient(await session(aws, admin));
    expect(
      await outcome(
        iam.send(
          new CreateRoleCommand({
            RoleName: 'Escalated',
            AssumeRolePolicyDocument: doc([
              { Effect: 'Allow', Principal: { AWS: accountId }, Action: 'sts:AssumeRole' },
            ]),
            Tags: [{ Key: 'admin', Value: 'true' }],
          }),
        ),
      ),
    ).toBe('AccessDenied');
  });

  test('a trust policy that denies callers by aws:PrincipalTag holds against a tagged session', async ({
    aws,
    accountId,
  }) => {
    const first = await role(aws, accountId, 'First', {
      policy: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }],
    });
    const guarded = await role(aws, accountId, 'Guarded', {
      trust: [
        { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'sts:AssumeRole' },
        {
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:PrincipalTag/quarantined': 'true' } },
        },
      ],
    });
    const quarantined = await session(aws, first, [{ Key: 'quarantined', Value: 'true' }]);
    expect(
      await outcome(
        new STSClient(quarantined).send(new AssumeRoleCommand({ RoleArn: guarded, RoleSessionName: 'xx' })),
      ),
    ).toBe('AccessDenied');
  });

  test('a trust policy may allow callers by aws:PrincipalTag (role tags of the calling session)', async ({
    aws,
    accountId,
  }) => {
    const first = await role(aws, accountId, 'First', {
      policy: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }],
      tags: [{ Key: 'team', Value: 'blue' }],
    });
    const next = await role(aws, accountId, 'Next', {
      trust: [
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${accountId}:root` },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:PrincipalTag/team': 'blue' } },
        },
      ],
    });
    expect(
      await outcome(
        new STSClient(await session(aws, first)).send(
          new AssumeRoleCommand({ RoleArn: next, RoleSessionName: 'xx' }),
        ),
      ),
    ).toBe('ok');
  });

  test('CreateRole with a boundary is allowed by the documented iam:PermissionsBoundary condition', async ({
    aws,
    accountId,
  }) => {
    const iamRoot = new IAMClient(aws);
    const { Policy } = await iamRoot.send(
      new CreatePolicyCommand({
        PolicyName: 'Bound',
        PolicyDocument: doc([{ Effect: 'Allow', Action: 'logs:*', Resource: '*' }]),
      }),
    );
    const admin = await role(aws, accountId, 'Delegated', {
      policy: [
        {
          Effect: 'Allow',
          Action: ['iam:CreateRole', 'iam:PutRolePermissionsBoundary'],
          Resource: '*',
          Condition: { StringEquals: { 'iam:PermissionsBoundary': Policy!.Arn! } },
        },
      ],
    });
    const iam = new IAMClient(await session(aws, admin));
    expect(
      await outcome(
        iam.send(
          new CreateRoleCommand({
            RoleName: 'Bounded',
            AssumeRolePolicyDocument: doc([
              { Effect: 'Allow', Principal: { AWS: accountId }, Action: 'sts:AssumeRole' },
            ]),
            PermissionsBoundary: Policy!.Arn!,
          }),
        ),
      ),
    ).toBe('ok');
    expect(
      await outcome(
        iam.send(
          new PutRolePermissionsBoundaryCommand({ RoleName: 'Bounded', PermissionsBoundary: Policy!.Arn! }),
        ),
      ),
    ).toBe('ok');
  });
});

test.describe('CloudWatch Logs: new operations', () => {
  test('ListLogGroups reads logGroupNamePattern as the documented case-sensitive regular expression', async ({
    aws,
  }) => {
    const logs = new CloudWatchLogsClient(aws);
    for (const name of ['/aws/lambda/fn', '/lab/discovery', '/lab/Other', 'x/aws/lambda'])
      await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
    const names = async (logGroupNamePattern: string) =>
      ((await logs.send(new ListLogGroupsCommand({ logGroupNamePattern }))).logGroups ?? []).map(
        (g) => g.logGroupName,
      );
    // "Use ^ to match log group names by prefix"; "To match multiple patterns, separate them with |
    // as in ^/aws/lambda|discovery"; "All matches are case sensitive" (ListLogGroups API reference).
    expect(await names('^/aws/lambda|discovery')).toEqual(['/aws/lambda/fn', '/lab/discovery']);
    expect(await names('other')).toEqual([]);
  });

  test('tags, retention and KMS keys come back identically after a restart, __proto__ tag included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'review-state-'));
    const account = '123456789012';
    const config = (url: string) => accountConfig(url, account);
    const arn = `arn:aws:logs:us-east-1:${account}:log-group:g`;
    const state = async (url: string) => {
      const logs = new CloudWatchLogsClient(config(url));
      const { logGroups } = await logs.send(new DescribeLogGroupsCommand({}));
      const role = await new IAMClient(config(url)).send(new GetRoleCommand({ RoleName: 'R' }));
      return {
        groups: logGroups!.map((g) => ({ ...g, creationTime: undefined })),
        tags: (await logs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags,
        tags2: (await logs.send(new ListTagsLogGroupCommand({ logGroupName: 'g' }))).tags,
        role: role.Role!.PermissionsBoundary,
        roleTags: role.Role!.Tags,
      };
    };
    let sandbox = await startSandbox({ port: 0, stateDir: dir });
    try {
      const logs = new CloudWatchLogsClient(config(sandbox.url));
      await logs.send(
        new CreateLogGroupCommand({
          logGroupName: 'g',
          kmsKeyId: 'arn:aws:kms:us-east-1:1:key/k',
          tags: { a: '1' },
        }),
      );
      await logs.send(new PutRetentionPolicyCommand({ logGroupName: 'g', retentionInDays: 7 }));
      await logs.send(new DeleteRetentionPolicyCommand({ logGroupName: 'g' }));
      await logs.send(new TagResourceCommand({ resourceArn: arn, tags: { b: '2', constructor: 'c' } }));
      await logs.send(new TagLogGroupCommand({ logGroupName: 'g', tags: { toString: 't' } }));
      await logs.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['a'] }));
      const iam = new IAMClient(config(sandbox.url));
      await iam.send(
        new CreatePolicyCommand({
          PolicyName: 'B',
          PolicyDocument: doc([{ Effect: 'Allow', Action: '*', Resource: '*' }]),
        }),
      );
      await iam.send(
        new CreateRoleCommand({
          RoleName: 'R',
          AssumeRolePolicyDocument: doc([
            { Effect: 'Allow', Principal: { AWS: account }, Action: 'sts:AssumeRole' },
          ]),
          Tags: [{ Key: 'k', Value: 'v' }],
          PermissionsBoundary: `arn:aws:iam::${account}:policy/B`,
        }),
      );
      const before = await state(sandbox.url);
      expect(before.tags).toEqual({ b: '2', constructor: 'c', toString: 't' });
      await sandbox.close();
      sandbox = await startSandbox({ port: 0, stateDir: dir });
      expect(await state(sandbox.url)).toEqual(before);
    } finally {
      await sandbox.close();
    }
  });
});

test.describe('CloudWatch over CBOR: values JSON cannot carry', () => {
  async function cborCall(url: string, accountId: string, operation: string, input: unknown) {
    const response = await signedRequest(url, accountId, {
      service: 'monitoring',
      path: `/service/GraniteServiceVersion20100801/operation/${operation}`,
      headers: {
        'smithy-protocol': 'rpc-v2-cbor',
        'content-type': 'application/cbor',
        accept: 'application/cbor',
      },
      body: cbor.serialize(input),
    });
    const bytes = new Uint8Array(await response.arrayBuffer());
    return {
      status: response.status,
      body: bytes.length ? (cbor.deserialize(bytes) as Record<string, unknown>) : {},
    };
  }

  for (const [what, value] of [
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['-Infinity', -Infinity],
  ] as const) {
    test(`PutMetricData refuses a ${what} timestamp, and the account's metrics stay readable`, async ({
      sandbox,
      accountId,
      aws,
    }) => {
      const put = await cborCall(sandbox.url, accountId, 'PutMetricData', {
        Namespace: 'Lab',
        MetricData: [{ MetricName: 'm', Value: 1, Timestamp: tag({ tag: 1, value: value }) }],
      });
      expect(put.status, JSON.stringify(put.body)).toBe(400);
      const cw = new CloudWatchClient(aws);
      await cw.send(new ListMetricsCommand({}));
      await cw.send(
        new GetMetricStatisticsCommand({
          Namespace: 'Lab',
          MetricName: 'm',
          StartTime: new Date(Date.now() - 3600_000),
          EndTime: new Date(),
          Period: 60,
          Statistics: ['Sum'],
        }),
      );
    });
  }

  test('GetMetricStatistics refuses a NaN StartTime instead of answering', async ({ sandbox, accountId }) => {
    const r = await cborCall(sandbox.url, accountId, 'GetMetricStatistics', {
      Namespace: 'Lab',
      MetricName: 'm',
      StartTime: tag({ tag: 1, value: NaN }),
      EndTime: tag({ tag: 1, value: Date.now() / 1000 }),
      Period: 60,
      Statistics: ['Sum'],
    });
    expect(r.status, JSON.stringify(r.body)).toBe(400);
  });
});

test('an Infinity timestamp sent over CBOR does not change what a restart rebuilds', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'review-cbor-'));
  const account = '210987654321';
  const config = (url: string) => accountConfig(url, account);
  const sum = async (url: string) => {
    const { Datapoints } = await new CloudWatchClient(config(url)).send(
      new GetMetricStatisticsCommand({
        Namespace: 'Lab',
        MetricName: 'm',
        StartTime: new Date(Date.now() - 3 * 3600_000),
        EndTime: new Date(Date.now() + 3 * 3600_000),
        Period: 3600,
        Statistics: ['Sum'],
      }),
    );
    return (Datapoints ?? []).reduce((n, d) => n + (d.Sum ?? 0), 0);
  };
  let sandbox = await startSandbox({ port: 0, stateDir: dir });
  try {
    await signedRequest(sandbox.url, account, {
      service: 'monitoring',
      path: '/service/GraniteServiceVersion20100801/operation/PutMetricData',
      headers: { 'smithy-protocol': 'rpc-v2-cbor', 'content-type': 'application/cbor' },
      body: cbor.serialize({
        Namespace: 'Lab',
        MetricData: [{ MetricName: 'm', Value: 1000, Timestamp: tag({ tag: 1, value: Infinity }) }],
      }),
    });
    const before = await sum(sandbox.url);
    await sandbox.close();
    sandbox = await startSandbox({ port: 0, stateDir: dir });
    expect(await sum(sandbox.url)).toBe(before);
  } finally {
    await sandbox.close();
  }
});

test.describe('held: probes that the sandbox gets right', () => {
  test('aws:PrincipalTag keys match regardless of case; a session tag overrides a role tag of another case', async ({
    aws,
    accountId,
  }) => {
    const r = await role(aws, accountId, 'Tagged', {
      tags: [{ Key: 'Team', Value: 'red' }],
      policy: [
        {
          Effect: 'Allow',
          Action: 'logs:DescribeLogGroups',
          Resource: '*',
          Condition: { StringEquals: { 'aws:PrincipalTag/team': 'blue' } },
        },
      ],
    });
    const red = new CloudWatchLogsClient(await session(aws, r));
    expect(await outcome(red.send(new DescribeLogGroupsCommand({})))).toBe('AccessDeniedException');
    const blue = new CloudWatchLogsClient(await session(aws, r, [{ Key: 'TEAM', Value: 'blue' }]));
    expect(await outcome(blue.send(new DescribeLogGroupsCommand({})))).toBe('ok');
  });

  test('a bounded session cannot lift or swap its own boundary, nor tag another account’s group', async ({
    aws,
    accountId,
  }) => {
    const iamRoot = new IAMClient(aws);
    const { Policy } = await iamRoot.send(
      new CreatePolicyCommand({
        PolicyName: 'LogsOnly',
        PolicyDocument: doc([{ Effect: 'Allow', Action: ['logs:*', 'sts:AssumeRole'], Resource: '*' }]),
      }),
    );
    const r = await role(aws, accountId, 'Boxed', {
      policy: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
    });
    await iamRoot.send(
      new PutRolePermissionsBoundaryCommand({ RoleName: 'Boxed', PermissionsBoundary: Policy!.Arn! }),
    );
    const boxed = await session(aws, r);
    const iam = new IAMClient(boxed);
    expect(
      await outcome(
        iam.send(
          new PutRolePermissionsBoundaryCommand({
            RoleName: 'Boxed',
            PermissionsBoundary: 'arn:aws:iam::aws:policy/AdministratorAccess',
          }),
        ),
      ),
    ).toBe('AccessDenied');
    expect(await outcome(iam.send(new GetRoleCommand({ RoleName: 'Boxed' })))).toBe('AccessDenied');
    const other = String(Number(accountId) + 1);
    await new CloudWatchLogsClient({
      ...aws,
      credentials: { accessKeyId: other, secretAccessKey: 'test' },
    }).send(new CreateLogGroupCommand({ logGroupName: 'victim' }));
    const logs = new CloudWatchLogsClient(boxed);
    for (const resourceArn of [
      `arn:aws:logs:us-east-1:${other}:log-group:victim`,
      `arn:aws-cn:logs:us-east-1:${other}:log-group:victim`,
      `arn:aws:logs:us-east-1:${other}:log-group:victim:*`,
    ]) {
      expect(await outcome(logs.send(new TagResourceCommand({ resourceArn, tags: { x: 'y' } })))).not.toBe(
        'ok',
      );
    }
    const { tags } = await new CloudWatchLogsClient({
      ...aws,
      credentials: { accessKeyId: other, secretAccessKey: 'test' },
    }).send(new ListTagsLogGroupCommand({ logGroupName: 'victim' }));
    expect(tags).toEqual({});
  });
});
