import { LAB } from '../../helpers/settings';
import { expect, test } from '../fixtures/sandbox';
import { logWidget, metricWidget, onGroup } from '../fixtures/widgets';
import { LAB_WIDGETS, LabBuilder } from './lab-builder';
import { all, runGrader, statuses, type Status } from './run-grader';

interface Scenario {
  name: string;
  build: (lab: LabBuilder) => Promise<unknown>;
  expected: Record<string, Status>;
  env?: Record<string, string>;
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

const NOTHING_DONE = all('fail');

const scenarios: Scenario[] = [
  { name: 'the complete lab, as its text says', build: (lab) => lab.complete(), expected: all('pass') },
  { name: 'nothing done', build: async () => undefined, expected: NOTHING_DONE },
  {
    name: 'logging to another log group',
    build: async (lab) => {
      await lab.enableLogging({ logGroup: '/lab/other-group' });
      await lab.sendPrompts();
      await lab.dashboard();
    },
    // The lab group holds only Bedrock's permissions line from the first configuration: the
    // dashboard draws it (as AWS would), but it is no invocation record.
    expected: all('pass', {
      'logging.log-group': 'fail',
      'invocations.count': 'fail',
      'logs.entries': 'fail',
      'insights.query': 'fail',
    }),
  },
  {
    name: 'text data delivery off',
    build: async (lab) => {
      await lab.enableLogging({ textData: false });
      await lab.sendPrompts();
      await lab.dashboard();
    },
    expected: all('pass', { 'logging.text-data': 'fail', 'logs.entries': 'fail' }),
  },
  {
    name: 'a role Bedrock can no longer assume',
    build: async (lab) => {
      await lab.enableLogging();
      await lab.breakRoleTrust();
      await lab.sendPrompts();
      await lab.dashboard();
    },
    // Nothing was delivered: the group holds only the permissions line, which the dashboard draws.
    expected: all('pass', {
      'logging.role': 'fail',
      'invocations.count': 'fail',
      'logs.entries': 'fail',
      'insights.query': 'fail',
    }),
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
    name: 'forged records written with PutLogEvents',
    build: async (lab) => {
      await lab.forgeRecords(5);
      await lab.enableLogging();
      await lab.dashboard();
    },
    expected: all('pass', { 'invocations.count': 'fail' }),
  },
  {
    name: 'a dashboard called genai-monitoring',
    build: async (lab) => {
      await lab.enableLogging();
      await lab.sendPrompts();
      await lab.dashboard(LAB_WIDGETS, 'genai-monitoring');
    },
    expected: all('pass', {
      'dashboard.exists': 'fail',
      'dashboard.invocations-widget': 'fail',
      'dashboard.tokens-widget': 'fail',
      'dashboard.latency-widget': 'fail',
      'dashboard.displays-data': 'fail',
    }),
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
      const failed = Object.values(scenario.expected).includes('fail');
      expect(exitCode, 'the grader exits 0 exactly when no check failed').toBe(failed ? 1 : 0);
      for (const check of grade.checks.filter((c) => c.status === 'fail')) {
        expect(check.hint, `${check.id} fails with a hint`).toMatch(/\S/);
      }
    });
  }
});
