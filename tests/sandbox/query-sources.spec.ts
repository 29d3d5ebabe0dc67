import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  FilterLogEventsCommand,
  GetQueryResultsCommand,
  PutLogEventsCommand,
  StartQueryCommand,
  type StartQueryCommandInput,
} from '@aws-sdk/client-cloudwatch-logs';
import { IAMClient, CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import type { ClientConfig } from '../fixtures/sandbox';
import { assumeRole, expect, test } from '../fixtures/sandbox';

/**
 * The ways a Logs Insights query names its log groups (StartQuery's parameters, `SOURCE 'group'`,
 * `SOURCE logGroups(...)` as CWL_QuerySyntax-Source.html documents it), and that authorization
 * always judges the groups the query really reads.
 */

const GROUPS = ['/aws/bedrock/model-invocations', '/aws/bedrock/other', '/aws/lambda/app'];

/** One event per group, its message the group's name. */
async function seed(aws: ClientConfig): Promise<CloudWatchLogsClient> {
  const logs = new CloudWatchLogsClient(aws);
  for (const logGroupName of GROUPS) {
    await logs.send(new CreateLogGroupCommand({ logGroupName }));
    await logs.send(new CreateLogStreamCommand({ logGroupName, logStreamName: 's' }));
    await logs.send(
      new PutLogEventsCommand({
        logGroupName,
        logStreamName: 's',
        logEvents: [{ timestamp: Date.now(), message: logGroupName }],
      }),
    );
  }
  return logs;
}

/** The messages a query finds, sorted. */
async function messages(
  logs: CloudWatchLogsClient,
  input: Omit<StartQueryCommandInput, 'startTime' | 'endTime'>,
): Promise<string[]> {
  const now = Math.floor(Date.now() / 1000);
  const { queryId } = await logs.send(
    new StartQueryCommand({ ...input, startTime: now - 300, endTime: now + 60 }),
  );
  let rows: { field?: string; value?: string }[][] = [];
  await expect
    .poll(async () => {
      const output = await logs.send(new GetQueryResultsCommand({ queryId }));
      rows = output.results ?? [];
      return output.status;
    })
    .toBe('Complete');
  return rows.map((row) => row.find((f) => f.field === '@message')?.value ?? '').sort();
}

const FIELDS = 'fields @message';

test.describe('SOURCE logGroups(...)', () => {
  test('namePrefix reads the groups whose names start with a prefix', async ({ aws }) => {
    const logs = await seed(aws);
    expect(
      await messages(logs, { queryString: `SOURCE logGroups(namePrefix: ['/aws/bedrock/']) | ${FIELDS}` }),
    ).toEqual(['/aws/bedrock/model-invocations', '/aws/bedrock/other']);
  });

  test('as the console writes it: a class given as one string, spaces before the pipe', async ({ aws }) => {
    const logs = await seed(aws);
    const queryString = `SOURCE logGroups(namePrefix: ["/aws/lambda/"], class: "STANDARD")  |\n${FIELDS}`;
    expect(await messages(logs, { queryString })).toEqual(['/aws/lambda/app']);
  });

  test('logGroups() reads every group; the Infrequent Access class none of the sandbox groups', async ({
    aws,
  }) => {
    const logs = await seed(aws);
    expect(await messages(logs, { queryString: `SOURCE logGroups() | ${FIELDS}` })).toEqual(
      [...GROUPS].sort(),
    );
    expect(
      await messages(logs, { queryString: `SOURCE logGroups(class: ['INFREQUENT_ACCESS']) | ${FIELDS}` }),
    ).toEqual([]);
  });

  test('another account is refused: cross-account observability is not emulated', async ({ aws }) => {
    const logs = await seed(aws);
    await expect(
      messages(logs, { queryString: `SOURCE logGroups(accountIdentifiers: ['111122223333']) | ${FIELDS}` }),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });

  test('more than five prefixes are refused', async ({ aws }) => {
    const logs = await seed(aws);
    const prefixes = ['a', 'b', 'c', 'd', 'e', 'f'].map((p) => `'${p}'`).join(', ');
    await expect(
      messages(logs, { queryString: `SOURCE logGroups(namePrefix: [${prefixes}]) | ${FIELDS}` }),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });
});

/** A session of a role allowed every Logs action but denied one group explicitly. */
async function deniedOneGroup(aws: ClientConfig, accountId: string, group: string): Promise<ClientConfig> {
  const iam = new IAMClient(aws);
  await iam.send(
    new CreateRoleCommand({
      RoleName: 'NoBedrockLogs',
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'sts:AssumeRole' },
        ],
      }),
    }),
  );
  await iam.send(
    new PutRolePolicyCommand({
      RoleName: 'NoBedrockLogs',
      PolicyName: 'inline',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 'logs:*', Resource: '*' },
          {
            Effect: 'Deny',
            Action: 'logs:*',
            Resource: `arn:aws:logs:us-east-1:${accountId}:log-group:${group}:*`,
          },
        ],
      }),
    }),
  );
  return assumeRole(aws, { RoleArn: `arn:aws:iam::${accountId}:role/NoBedrockLogs` });
}

test.describe('authorization sees the groups a query reads', () => {
  const denied = GROUPS[0]!;

  const ways: [string, Omit<StartQueryCommandInput, 'startTime' | 'endTime'>][] = [
    ['a parameter', { logGroupNames: [denied], queryString: FIELDS }],
    ['SOURCE by name', { queryString: `SOURCE '${denied}' | ${FIELDS}` }],
    ['SOURCE by prefix', { queryString: `SOURCE logGroups(namePrefix: ['/aws/bedrock/']) | ${FIELDS}` }],
    ['SOURCE logGroups()', { queryString: `SOURCE logGroups() | ${FIELDS}` }],
  ];
  for (const [how, input] of ways) {
    test(`an explicit Deny on a group holds when the query names it by ${how}`, async ({
      aws,
      accountId,
    }) => {
      await seed(aws);
      const session = new CloudWatchLogsClient(await deniedOneGroup(aws, accountId, denied));
      await expect(messages(session, input)).rejects.toMatchObject({
        name: 'AccessDeniedException',
        message: expect.stringContaining(`log-group:${denied}:log-stream:`),
      });
    });
  }

  test('the groups the Deny leaves out are read by SOURCE as by parameters', async ({ aws, accountId }) => {
    await seed(aws);
    const session = new CloudWatchLogsClient(await deniedOneGroup(aws, accountId, denied));
    expect(await messages(session, { queryString: `SOURCE '/aws/lambda/app' | ${FIELDS}` })).toEqual([
      '/aws/lambda/app',
    ]);
  });

  test('a group ARN of another account, Region or partition names none of the caller’s groups', async ({
    aws,
    accountId,
  }) => {
    const logs = await seed(aws);
    for (const arn of [
      `arn:aws:logs:us-east-1:111122223333:log-group:${denied}`,
      `arn:aws:logs:eu-west-1:${accountId}:log-group:${denied}`,
      // Another partition: authorization judges the ARN as written, so it must name nothing.
      `arn:aws-cn:logs:us-east-1:${accountId}:log-group:${denied}`,
      `arn:awsX:logs:us-east-1:${accountId}:log-group:${denied}`,
    ]) {
      await expect(logs.send(new FilterLogEventsCommand({ logGroupIdentifier: arn }))).rejects.toMatchObject({
        name: 'ResourceNotFoundException',
      });
      await expect(messages(logs, { logGroupIdentifiers: [arn], queryString: FIELDS })).rejects.toMatchObject(
        {
          name: 'ResourceNotFoundException',
        },
      );
    }
    // The caller's own ARN names its group.
    const own = `arn:aws:logs:us-east-1:${accountId}:log-group:${denied}`;
    const { events } = await logs.send(new FilterLogEventsCommand({ logGroupIdentifier: own }));
    expect(events?.map((e) => e.message)).toEqual([denied]);
  });
});
