import { ListMetricsCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { UpdateAssumeRolePolicyCommand } from '@aws-sdk/client-iam';
import { parse } from 'csv-parse/sync';
import { definition } from '../../specs/genai-monitoring/lab/definition';
import { LAB } from '../../specs/genai-monitoring/lab/facts';
import { gradebookCsv } from '../../reporters/gradebook';
import { ADMIN_CHANGE, expect, test } from '../fixtures/sandbox';
import { bedrockTrustPolicy } from '../fixtures/lab-policies';
import { logWidget, metricWidget, onGroup, prefixLogWidget } from '../../testkit/widgets';
import { LAB_WIDGETS, LabBuilder, MODEL } from '../../specs/genai-monitoring/lab/scenario';
import { everyScoredCheck, REGION, runGrader, statuses, type Status } from '../../testkit/run-grader';

const all = everyScoredCheck(definition);

interface Scenario {
  name: string;
  build: (lab: LabBuilder) => Promise<unknown>;
  /** Every scored check's verdict. */
  expected: Record<string, Status>;
  env?: Record<string, string>;
  /** A fragment each named check's finding carries. */
  says?: Record<string, string>;
  /** What each named check's hint says. */
  hints?: Record<string, RegExp>;
}

const CORRECTED_WIDGETS = [
  logWidget(onGroup(LAB.logGroup, 'stats count(*) as invocations by bin(5m)')),
  logWidget(
    onGroup(
      LAB.logGroup,
      'stats sum(input.inputTokenCount) as input, sum(output.outputTokenCount) as output by bin(5m)',
    ),
  ),
  metricWidget([
    ['AWS/Bedrock', 'InvocationLatency', 'ModelId', 'us.anthropic.claude-haiku-4-5-20251001-v1:0'],
  ]),
];

const OTHER_GROUP = '/aws/bedrock/invocation-logs';
const ON_OTHER_GROUP = [
  logWidget(onGroup(OTHER_GROUP, LAB.widgetQueries.invocations), 'Invocation Count'),
  logWidget(onGroup(OTHER_GROUP, LAB.widgetQueries.tokens), 'Token Usage'),
  logWidget(onGroup(OTHER_GROUP, LAB.widgetQueries.latency), 'Latency'),
];
const HOUR = 3_600_000;

/** What a learner cannot get from records they wrote themselves: Steps 2 and 3, and data on the dashboard. */
const FORGED_ONLY = {
  'invocations.count': 'fail',
  'logs.entries': 'fail',
  'insights.query': 'fail',
  'dashboard.displays-data': 'fail',
} as const;

const scenarios: Scenario[] = [
  { name: 'the complete lab, as its text says', build: (lab) => lab.complete(), expected: all('pass') },
  { name: 'nothing done', build: async () => undefined, expected: all('fail') },
  {
    name: 'another log group used consistently costs the log-group check alone',
    build: async (lab) => {
      await lab.enableLogging({ logGroup: OTHER_GROUP });
      await lab.sendPrompts();
      await lab.dashboard(ON_OTHER_GROUP);
    },
    expected: all('pass', { 'logging.log-group': 'fail' }),
    says: { 'invocations.count': `are in ${OTHER_GROUP}`, 'insights.query': `on ${OTHER_GROUP}` },
  },
  {
    name: "logging to another group, the dashboard on the lab's group",
    build: async (lab) => {
      await lab.enableLogging({ logGroup: OTHER_GROUP });
      await lab.sendPrompts();
      await lab.dashboard();
    },
    // The widgets read the lab's group, which holds only Bedrock's permissions line: they count
    // for their roles, but show no invocation Bedrock logged.
    expected: all('pass', { 'logging.log-group': 'fail', 'dashboard.displays-data': 'fail' }),
    says: { 'dashboard.displays-data': 'where no record Bedrock wrote is' },
  },
  {
    name: 'text data delivery off',
    build: async (lab) => {
      await lab.enableLogging({ textData: false });
      await lab.sendPrompts();
      await lab.dashboard();
    },
    expected: all('pass', { 'logging.text-data': 'fail', 'logs.entries': 'fail' }),
    hints: { 'logs.entries': /text data delivery was off/ },
  },
  {
    name: 'a role Bedrock can no longer assume',
    build: async (lab) => {
      await lab.enableLogging();
      await lab.breakRoleTrust();
      await lab.sendPrompts();
      await lab.dashboard();
    },
    // Nothing was delivered: the group holds only the permissions line.
    expected: all('pass', { 'logging.role': 'fail', ...FORGED_ONLY }),
    says: { 'invocations.count': 'failed to deliver 5 log records' },
  },
  {
    name: 'a trust policy with ArnEquals on a wildcard source ARN',
    build: async (lab) => {
      await lab.enableLogging();
      await lab.aws.iam.send(
        new UpdateAssumeRolePolicyCommand({
          RoleName: LAB.roleName,
          PolicyDocument: bedrockTrustPolicy(lab.accountId, { region: REGION, arnOperator: 'ArnEquals' }),
        }),
      );
      await lab.sendPrompts();
      await lab.dashboard();
    },
    expected: all('pass'),
  },
  {
    name: 'three invocations only',
    build: async (lab) => {
      await lab.enableLogging();
      await lab.sendPrompts(3);
      await lab.dashboard();
    },
    // The three records that exist are complete: logs.entries judges content, invocations.count the number.
    expected: all('pass', { 'invocations.count': 'fail' }),
  },
  {
    name: 'forged records dated in the year 2100',
    build: async (lab) => {
      await lab.enableLogging();
      await lab.forgeRecords(5, { recordTime: new Date('2100-01-01T00:00:00Z') });
      await lab.dashboard();
    },
    expected: all('pass', FORGED_ONLY),
    says: { 'invocations.count': "5 records with no matching delivery in Bedrock's metrics do not count" },
  },
  {
    name: 'forged records dated now',
    build: async (lab) => {
      await lab.enableLogging();
      await lab.forgeRecords(5);
      await lab.dashboard();
    },
    expected: all('pass', FORGED_ONLY),
  },
  {
    name: 'forged records dated in the past',
    build: async (lab) => {
      await lab.enableLogging();
      await lab.forgeRecords(5, { eventTime: Date.now() - 2 * HOUR });
      await lab.dashboard();
    },
    expected: all('pass', FORGED_ONLY),
  },
  {
    name: 'one forged record among real ones is reported and not counted',
    build: async (lab) => {
      await lab.complete();
      await lab.forgeRecords(1);
    },
    expected: all('pass'),
    says: { 'invocations.count': "1 record with no matching delivery in Bedrock's metrics does not count" },
  },
  {
    name: 'forged records after invoking the model with logging off',
    build: async (lab) => {
      await lab.sendPrompts();
      await lab.enableLogging();
      await lab.forgeRecords(5);
      await lab.dashboard();
    },
    expected: all('pass', FORGED_ONLY),
    hints: { 'invocations.count': /run the Step 2 script again/ },
    // The grader waits out the sandbox's delivery lag before it calls the missing records lost.
    env: { LAB_INGESTION_TIMEOUT: '15' },
  },
  {
    name: 'forged complete records written first take the deliveries of real ones without bodies',
    build: async (lab) => {
      await lab.enableLogging({ textData: false });
      await lab.forgeRecords(5);
      await lab.sendPrompts();
      await lab.dashboard();
    },
    // The grader cannot tell which five are Bedrock's, so it judges their content at worst: the
    // forged bodies earn nothing, as if they had not been written.
    expected: all('pass', { 'logging.text-data': 'fail', 'logs.entries': 'fail' }),
    says: { 'logs.entries': 'Counted at worst: 5 other records claim the same deliveries' },
  },
  {
    name: "the invocations widget drawing the learner's own metric beside Bedrock's",
    build: async (lab) => {
      await lab.enableLogging();
      await lab.aws.cloudwatch.send(
        new PutMetricDataCommand({
          Namespace: 'Lab',
          MetricData: [{ MetricName: 'Invocations', Value: 5, Unit: 'Count' }],
        }),
      );
      await lab.dashboard([
        metricWidget([
          ['AWS/Bedrock', 'Invocations'],
          ['Lab', 'Invocations'],
        ]),
        ...LAB_WIDGETS.slice(1),
      ]);
    },
    expected: all('pass', FORGED_ONLY),
    says: { 'dashboard.displays-data': 'shows no data for the lab window' },
  },
  {
    name: 'records copied from another account',
    build: async (lab) => {
      const other = new LabBuilder(lab.endpoint, String(Number(lab.accountId) + 1).padStart(12, '0'));
      await other.complete();
      await lab.enableLogging();
      await lab.copyRecordsFrom(other);
      await lab.dashboard();
    },
    expected: all('pass', FORGED_ONLY),
    says: { 'invocations.count': '5 records naming another account do not count' },
  },
  {
    name: 'a dashboard whose name differs only in case costs the name check alone',
    build: async (lab) => {
      await lab.enableLogging();
      await lab.sendPrompts();
      await lab.dashboard(LAB_WIDGETS, 'genai-monitoring');
    },
    expected: all('pass', { 'dashboard.exists': 'fail' }),
    says: { 'dashboard.tokens-widget': "of 'genai-monitoring' (judged in place of GenAI-Monitoring)" },
  },
  {
    name: 'prompts sent before logging was on: decided at once, with a hint to send them again',
    build: async (lab) => {
      await lab.sendPrompts(3);
      await lab.enableLogging();
      await lab.sendPrompts(2);
      await lab.dashboard();
    },
    expected: all('pass', { 'invocations.count': 'fail' }),
    says: { 'invocations.count': 'only 2 records of them reached' },
    hints: { 'invocations.count': /now that it is on, run the Step 2 script again/ },
    env: { LAB_INGESTION_TIMEOUT: '15' },
  },
  {
    name: 'two widgets, no latency',
    build: async (lab) => {
      await lab.enableLogging();
      await lab.sendPrompts();
      await lab.dashboard(LAB_WIDGETS.slice(0, 2));
    },
    expected: all('pass', { 'dashboard.latency-widget': 'fail' }),
  },
  {
    name: 'the invocations widget reads another log group',
    build: async (lab) => {
      await lab.enableLogging();
      await lab.sendPrompts();
      await lab.dashboard([
        logWidget(onGroup('/aws/lambda/other', LAB.widgetQueries.invocations)),
        ...LAB_WIDGETS.slice(1),
      ]);
    },
    // The missing group also makes that widget's query fail to load.
    expected: all('pass', { 'dashboard.invocations-widget': 'fail', 'dashboard.displays-data': 'fail' }),
  },
  {
    name: 'metric widgets instead of log widgets',
    build: async (lab) => {
      await lab.enableLogging();
      await lab.sendPrompts();
      await lab.dashboard([
        metricWidget([
          ['AWS/Bedrock', 'Invocations', 'ModelId', 'us.anthropic.claude-haiku-4-5-20251001-v1:0'],
        ]),
        metricWidget([
          ['AWS/Bedrock', 'InputTokenCount', 'ModelId', 'us.anthropic.claude-haiku-4-5-20251001-v1:0'],
          ['.', 'OutputTokenCount', '.', '.'],
        ]),
        metricWidget([
          ['AWS/Bedrock', 'InvocationLatency', 'ModelId', 'us.anthropic.claude-haiku-4-5-20251001-v1:0'],
        ]),
      ]);
    },
    expected: all('pass'),
  },
  {
    name: 'a console-made dashboard: "..." rows and metric math on the rows’ own ids',
    build: async (lab) => {
      await lab.enableLogging();
      await lab.sendPrompts();
      await lab.dashboard([
        metricWidget([
          ['AWS/Bedrock', 'Invocations', 'ModelId', MODEL, { id: 'm1', visible: false }],
          ['...', 'amazon.nova-micro-v1:0', { id: 'm2', visible: false }],
          [{ expression: 'm1+m2', id: 'e1', label: 'Invocations, all models' }],
        ]),
        metricWidget([
          ['AWS/Bedrock', 'InputTokenCount', 'ModelId', MODEL],
          ['.', 'OutputTokenCount', '.', '.'],
        ]),
        metricWidget([['AWS/Bedrock', 'InvocationLatency', 'ModelId', MODEL, { stat: 'Average' }]]),
      ]);
    },
    expected: all('pass'),
  },
  {
    name: 'console-made log widgets that choose their groups by prefix',
    build: async (lab) => {
      await lab.enableLogging();
      await lab.sendPrompts();
      await lab.dashboard([
        prefixLogWidget('/aws/bedrock/', LAB.widgetQueries.invocations, 'Invocation Count'),
        prefixLogWidget('/aws/bedrock/', LAB.widgetQueries.tokens, 'Token Usage'),
        prefixLogWidget('/aws/bedrock/', LAB.widgetQueries.latency, 'Latency'),
      ]);
    },
    expected: all('pass'),
  },
  {
    name: 'log widgets whose prefix misses the invocation group',
    build: async (lab) => {
      await lab.enableLogging();
      await lab.sendPrompts();
      await lab.dashboard([
        prefixLogWidget('/aws/lambda/', LAB.widgetQueries.invocations, 'Invocation Count'),
        prefixLogWidget('/aws/lambda/', LAB.widgetQueries.tokens, 'Token Usage'),
        prefixLogWidget('/aws/lambda/', LAB.widgetQueries.latency, 'Latency'),
      ]);
    },
    expected: all('pass', {
      'dashboard.invocations-widget': 'fail',
      'dashboard.tokens-widget': 'fail',
      'dashboard.latency-widget': 'fail',
      'dashboard.displays-data': 'fail',
    }),
    says: { 'dashboard.invocations-widget': 'read other log groups (log groups starting with /aws/lambda/)' },
  },
  {
    name: 'corrected field names, strict mode',
    build: async (lab) => {
      await lab.enableLogging();
      await lab.sendPrompts();
      await lab.dashboard(CORRECTED_WIDGETS);
    },
    env: { LAB_STRICT: '1' },
    expected: all('pass'),
  },
  {
    name: "the lab's own widgets in strict mode",
    build: (lab) => lab.complete(),
    env: { LAB_STRICT: '1' },
    expected: all('pass', { 'dashboard.displays-data': 'fail' }),
  },
  {
    name: 'Converse instead of InvokeModel',
    build: async (lab) => {
      await lab.enableLogging();
      await lab.sendPrompts(5, { operation: 'Converse' });
      await lab.dashboard();
    },
    expected: all('pass'),
  },
  {
    name: 'an Amazon model called on demand',
    build: async (lab) => {
      await lab.enableLogging();
      await lab.sendPrompts(5, { modelId: 'amazon.nova-micro-v1:0', operation: 'Converse' });
      await lab.dashboard();
    },
    expected: all('pass'),
  },
];

test.describe('grader scenarios: sandbox accounts in known states, graded by the real grader', () => {
  test.describe.configure({ timeout: 120_000 });

  for (const scenario of scenarios) {
    test(scenario.name, async ({ sandbox, accountId }) => {
      await scenario.build(new LabBuilder(sandbox.url, accountId));
      const { grade, exitCode, output } = await runGrader({
        sandboxUrl: sandbox.url,
        accountId,
        env: scenario.env,
      });
      expect(statuses(grade), output).toEqual(scenario.expected);
      const earned = definition.rubric
        .filter((item) => scenario.expected[item.id] === 'pass')
        .reduce((sum, item) => sum + item.points, 0);
      expect(grade).toMatchObject({ score: earned, maxScore: 100, status: 'complete', inconclusive: [] });
      const [row] = parse(gradebookCsv([grade], definition), { columns: true }) as Record<string, string>[];
      expect(row).toMatchObject({
        score: String(earned),
        max_score: '100',
        percent: String(earned),
        status: 'complete',
      });
      const failed = Object.values(scenario.expected).includes('fail');
      expect(exitCode, 'the grader exits 0 exactly when every check passed').toBe(failed ? 1 : 0);
      expect(output).toContain(`Score: ${earned}/100 (${earned}%), complete`);
      for (const check of grade.checks.filter((c) => c.status === 'fail')) {
        expect(check.hint, `${check.id} fails with a hint`).toMatch(/\S/);
      }
      const byId = new Map(grade.checks.map((c) => [c.id, c]));
      for (const [id, fragment] of Object.entries(scenario.says ?? {})) {
        expect(byId.get(id)?.message, id).toContain(fragment);
      }
      for (const [id, hint] of Object.entries(scenario.hints ?? {})) {
        expect(byId.get(id)?.hint, id).toMatch(hint);
      }
    });
  }
});

test.describe('graded minutes after the first use of a model', () => {
  test.describe.configure({ timeout: 120_000 });

  test('ListMetrics has not listed Bedrock’s series yet: the grader reads them by the models the records name', async ({
    sandbox,
    accountId,
  }) => {
    const latency = (profile: string) =>
      fetch(`${sandbox.url}/_sandbox/latency`, {
        method: 'PUT',
        headers: ADMIN_CHANGE,
        body: JSON.stringify({ profile }),
      });
    await latency('realistic');
    try {
      const lab = new LabBuilder(sandbox.url, accountId);
      await lab.complete();
      const { Metrics = [] } = await lab.aws.cloudwatch.send(
        new ListMetricsCommand({ Namespace: 'AWS/Bedrock' }),
      );
      expect(Metrics, 'not listed yet, as on AWS for up to 15 minutes').toEqual([]);
      const { grade, output } = await runGrader({
        sandboxUrl: sandbox.url,
        accountId,
        env: { LAB_INGESTION_TIMEOUT: '20' },
      });
      expect(statuses(grade), output).toEqual(all('pass'));
    } finally {
      await latency('none');
    }
  });
});
