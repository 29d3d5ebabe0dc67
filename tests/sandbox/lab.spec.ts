import { GetMetricDataCommand, GetDashboardCommand } from '@aws-sdk/client-cloudwatch';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { LAB } from '../../specs/genai-monitoring/lab/facts';
import { LabBuilder, MODEL } from '../../specs/genai-monitoring/lab/scenario';
import { expect, test } from '../fixtures/sandbox';

/** The lab's steps 1, 2 and 4 done through the SDK, then read back as AWS would show them. */
test.describe('the lab on the sandbox', () => {
  test('five invocation records and the permissions line land in the group; metrics and dashboard read back', async ({
    sandbox,
    accountId,
  }) => {
    const lab = await new LabBuilder(sandbox.url, accountId).complete();
    const { events = [] } = await lab.aws.logs.send(
      new FilterLogEventsCommand({ logGroupName: LAB.logGroup }),
    );
    const messages = events.map((e) => e.message ?? '');
    expect(
      messages.filter((m) => m === 'Permissions are correctly set for Amazon Bedrock logs.'),
    ).toHaveLength(1);
    const records = messages
      .filter((m) => m.startsWith('{'))
      .map((m) => JSON.parse(m) as Record<string, unknown>);
    expect(records).toHaveLength(5);
    expect(records.every((r) => r.schemaType === 'ModelInvocationLog')).toBe(true);
    expect(events.every((e) => e.logStreamName === LAB.logStream)).toBe(true);

    const now = Date.now();
    const { MetricDataResults = [] } = await lab.aws.cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(now - 3_600_000),
        EndTime: new Date(now + 60_000),
        MetricDataQueries: [
          {
            Id: 'invocations',
            MetricStat: {
              Metric: {
                Namespace: 'AWS/Bedrock',
                MetricName: 'Invocations',
                Dimensions: [{ Name: 'ModelId', Value: MODEL }],
              },
              Period: 3600,
              Stat: 'Sum',
            },
          },
        ],
      }),
    );
    expect(MetricDataResults[0]?.Values?.reduce((a, b) => a + b, 0)).toBe(5);

    const dashboard = await lab.aws.cloudwatch.send(
      new GetDashboardCommand({ DashboardName: LAB.dashboardName }),
    );
    expect(dashboard.DashboardArn).toBe(`arn:aws:cloudwatch::${accountId}:dashboard/${LAB.dashboardName}`);
    expect((JSON.parse(dashboard.DashboardBody!) as { widgets: unknown[] }).widgets).toHaveLength(3);
  });

  test('an SDK client configured only by the environment (AWS_ENDPOINT_URL) reaches the sandbox', async ({
    sandbox,
    accountId,
  }) => {
    const script = [
      "const { STSClient, GetCallerIdentityCommand } = require('@aws-sdk/client-sts');",
      "const { CloudWatchLogsClient, DescribeLogGroupsCommand } = require('@aws-sdk/client-cloudwatch-logs');",
      '(async () => {',
      '  const who = await new STSClient({}).send(new GetCallerIdentityCommand({}));',
      '  const groups = await new CloudWatchLogsClient({}).send(new DescribeLogGroupsCommand({}));',
      '  console.log(JSON.stringify({ account: who.Account, groups: groups.logGroups.length }));',
      '})();',
    ].join('\n');
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], {
      cwd: join(__dirname, '../..'),
      env: {
        PATH: process.env.PATH,
        AWS_ENDPOINT_URL: sandbox.url,
        AWS_ACCESS_KEY_ID: accountId,
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_REGION: 'us-east-1',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
    });
    expect(JSON.parse(stdout)).toEqual({ account: accountId, groups: 0 });
  });
});
