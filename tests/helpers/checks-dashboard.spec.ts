import { expect, test } from '@playwright/test';
import {
  checkDashboardExists,
  checkDisplaysData,
  checkWidget,
  rowIds,
  describeWidgets,
  judgedName,
  pickDashboard,
  type DisplayState,
  type WidgetData,
  type WidgetFacts,
  type WidgetRole,
} from '../../specs/genai-monitoring/lab/checks/dashboard';
import { LAB } from '../../specs/genai-monitoring/lab/facts';
import { widgetData } from '../fixtures/check-states';
import { logWidget, metricWidget, onGroup } from '../../testkit/widgets';

const SOURCE = `SOURCE '${LAB.logGroup}'`;
/** The group logging really delivers to when the learner did not name the lab's. */
const DELIVERED = '/aws/bedrock/invocation-logs';
/** The groups a log widget may count on when logging delivers to DELIVERED. */
const BOTH = [LAB.logGroup, DELIVERED];

const body = (...widgets: unknown[]) => JSON.stringify({ widgets });

/** The lab's three widgets, saved in the console on the lab's log group. */
const LAB_WIDGETS = [
  logWidget(`${SOURCE} | ${LAB.widgetQueries.invocations.replace(/\n/g, ' ')}`, 'Invocation Count'),
  logWidget(`${SOURCE} | ${LAB.widgetQueries.tokens.replace(/\n/g, ' ')}`, 'Token Usage'),
  logWidget(`${SOURCE} | ${LAB.widgetQueries.latency.replace(/\n/g, ' ')}`, 'Latency'),
];

function widgets(text: string, groups?: readonly string[]): WidgetFacts[] {
  const described = describeWidgets(text, groups);
  if ('error' in described) throw new Error(`unexpected error: ${described.error}`);
  return described.widgets;
}

test.describe('describeWidgets', () => {
  test("the lab's three widgets as the console stores them", () => {
    const facts = widgets(body(...LAB_WIDGETS));
    expect(facts.map((w) => w.roles)).toEqual([['invocations'], ['tokens'], ['latency']]);
    expect(facts.map((w) => w.title)).toEqual(['Invocation Count', 'Token Usage', 'Latency']);
    for (const w of facts) {
      expect(w.type).toBe('log');
      expect(w.sources).toEqual([LAB.logGroup]);
      expect(w.region).toBe('us-east-1');
      expect(w.queryError).toBeUndefined();
    }
  });

  test('the queries keep their newlines', () => {
    const facts = widgets(body(logWidget(`${SOURCE}\n| ${LAB.widgetQueries.invocations}`)));
    expect(facts[0]?.roles).toEqual(['invocations']);
  });

  const roleCases: { name: string; widget: unknown; roles: WidgetRole[] }[] = [
    {
      name: "the records' real token field names",
      widget: logWidget(
        `${SOURCE} | stats sum(input.inputTokenCount) as totalInput, sum(output.outputTokenCount) as totalOutput by bin(1h)`,
      ),
      roles: ['tokens'],
    },
    {
      name: 'only input tokens summed',
      widget: logWidget(`${SOURCE} | stats sum(input.inputTokenCount) as totalInput by bin(1h)`),
      roles: [],
    },
    {
      name: 'a count without a time bin',
      widget: logWidget(`${SOURCE} | stats count() as invocations`),
      roles: [],
    },
    {
      name: 'count(*) by a 5-minute bin',
      widget: logWidget(`${SOURCE} | stats count(*) by bin(5m)`),
      roles: ['invocations'],
    },
    {
      name: 'a query without SOURCE',
      widget: logWidget(LAB.widgetQueries.invocations),
      roles: [],
    },
    {
      name: 'SOURCE naming the lab group by its ARN',
      widget: logWidget(
        `SOURCE 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/bedrock/model-invocations' | ${LAB.widgetQueries.invocations}`,
      ),
      roles: ['invocations'],
    },
    {
      name: 'a query on another log group',
      widget: logWidget(`SOURCE '/aws/lambda/chatbot' | ${LAB.widgetQueries.invocations}`),
      roles: [],
    },
    {
      name: 'a metric widget on Invocations',
      widget: metricWidget([['AWS/Bedrock', 'Invocations', 'ModelId', 'x']]),
      roles: ['invocations'],
    },
    {
      name: 'input and output tokens in one metric widget, "." repeating',
      widget: metricWidget([
        ['AWS/Bedrock', 'InputTokenCount', 'ModelId', 'x'],
        ['.', 'OutputTokenCount', '.', '.'],
      ]),
      roles: ['tokens'],
    },
    {
      name: 'input tokens alone in a metric widget',
      widget: metricWidget([['AWS/Bedrock', 'InputTokenCount', 'ModelId', 'x']]),
      roles: [],
    },
    {
      name: 'InvocationLatency with options',
      widget: metricWidget([['AWS/Bedrock', 'InvocationLatency', 'ModelId', 'x', { stat: 'Average' }]]),
      roles: ['latency'],
    },
    {
      name: 'a SEARCH expression over AWS/Bedrock Invocations',
      widget: metricWidget([
        [{ expression: "SEARCH('{AWS/Bedrock,ModelId} MetricName=\"Invocations\"', 'Sum', 300)", id: 'e1' }],
      ]),
      roles: ['invocations'],
    },
    {
      name: 'a SEARCH expression outside AWS/Bedrock',
      widget: metricWidget([
        [{ expression: "SEARCH('{AWS/Lambda,FunctionName} MetricName=\"Invocations\"', 'Sum', 300)" }],
      ]),
      roles: [],
    },
    {
      // A learner may PutMetricData into a namespace that only contains AWS/Bedrock.
      name: 'a SEARCH expression over a namespace ending in AWS/Bedrock',
      widget: metricWidget([
        [{ expression: "SEARCH('{Custom/AWS/Bedrock,ModelId} MetricName=\"Invocations\"', 'Sum', 300)" }],
      ]),
      roles: [],
    },
    {
      name: 'a SEARCH expression over AWS/Bedrock without dimensions',
      widget: metricWidget([[{ expression: "SEARCH('{AWS/Bedrock} Invocations', 'Sum', 300)" }]]),
      roles: ['invocations'],
    },
    {
      name: 'the same metric name in another namespace',
      widget: metricWidget([['AWS/Lambda', 'Invocations', 'FunctionName', 'f']]),
      roles: [],
    },
    {
      name: 'a text widget',
      widget: { type: 'text', properties: { markdown: '# Invocations' } },
      roles: [],
    },
  ];
  for (const c of roleCases) {
    test(`roles: ${c.name}`, () => expect(widgets(body(c.widget))[0]?.roles).toEqual(c.roles));
  }

  test('metric rows are read with "." resolved and dimensions paired', () => {
    const [w] = widgets(
      body(
        metricWidget([
          ['AWS/Bedrock', 'InputTokenCount', 'ModelId', 'x'],
          ['.', 'OutputTokenCount', '.', '.', { stat: 'Sum' }],
        ]),
      ),
    );
    expect(w?.metrics).toEqual([
      { namespace: 'AWS/Bedrock', metricName: 'InputTokenCount', dimensions: { ModelId: 'x' } },
      { namespace: 'AWS/Bedrock', metricName: 'OutputTokenCount', dimensions: { ModelId: 'x' } },
    ]);
  });

  test('a search expression is kept as text', () => {
    const expression = "SEARCH('{AWS/Bedrock,ModelId} InvocationLatency', 'Average', 300)";
    const [w] = widgets(body(metricWidget([[{ expression, id: 'e1' }]])));
    expect(w?.expressions).toEqual([{ expression, id: 'e1' }]);
    expect(w?.metrics).toEqual([]);
    expect(w?.roles).toEqual(['latency']);
  });

  test('a query that does not parse is reported, not thrown', () => {
    const [w] = widgets(body(logWidget(`${SOURCE} | stats | `)));
    expect(w?.queryError).toEqual(expect.any(String));
    expect(w?.roles).toEqual([]);
  });

  const errorCases: { name: string; text: string; error: string }[] = [
    { name: 'invalid JSON', text: '{"widgets": [', error: 'The dashboard body is not valid JSON.' },
    { name: 'no widgets list', text: '{"start": "-PT3H"}', error: 'The dashboard body has no widgets list.' },
    { name: 'widgets not a list', text: '{"widgets": {}}', error: 'The dashboard body has no widgets list.' },
    { name: 'null body', text: 'null', error: 'The dashboard body has no widgets list.' },
  ];
  for (const c of errorCases) {
    test(`error: ${c.name}`, () => expect(describeWidgets(c.text)).toEqual({ error: c.error }));
  }

  test.describe('the groups a log widget may count on', () => {
    const onDelivered = logWidget(`SOURCE '${DELIVERED}' | ${LAB.widgetQueries.invocations}`);

    test("by default only the lab's group counts", () => {
      const [w] = widgets(body(onDelivered));
      expect(w?.sources).toEqual([DELIVERED]);
      expect(w?.roles).toEqual([]);
    });

    test('a second accepted group gives roles to widgets on it', () => {
      const facts = widgets(
        body(
          onDelivered,
          logWidget(
            `SOURCE '${DELIVERED}' | stats sum(input.inputTokenCount) as i, sum(output.outputTokenCount) as o by bin(1h)`,
          ),
          logWidget(`SOURCE '${DELIVERED}' | stats avg(latencyMs) as avgLatency by bin(1h)`),
        ),
        BOTH,
      );
      expect(facts.map((w) => w.roles)).toEqual([['invocations'], ['tokens'], ['latency']]);
    });

    test("the lab's group keeps its roles alongside the second group", () => {
      expect(widgets(body(...LAB_WIDGETS), BOTH).map((w) => w.roles)).toEqual([
        ['invocations'],
        ['tokens'],
        ['latency'],
      ]);
    });

    test('a group named by its ARN counts as the accepted group', () => {
      const [w] = widgets(
        body(
          logWidget(
            `SOURCE 'arn:aws:logs:us-east-1:123456789012:log-group:${DELIVERED}:*' | ${LAB.widgetQueries.invocations}`,
          ),
        ),
        BOTH,
      );
      expect(w?.sources).toEqual([DELIVERED]);
      expect(w?.roles).toEqual(['invocations']);
    });

    test('a widget reading an accepted group and another one counts', () => {
      const [w] = widgets(
        body(
          logWidget(
            `SOURCE '/aws/lambda/chatbot' | SOURCE '${DELIVERED}' | ${LAB.widgetQueries.invocations}`,
          ),
        ),
        BOTH,
      );
      expect(w?.roles).toEqual(['invocations']);
    });

    test('groups outside the accepted ones still give no roles', () => {
      const [w] = widgets(
        body(logWidget(`SOURCE '/aws/lambda/chatbot' | ${LAB.widgetQueries.invocations}`)),
        BOTH,
      );
      expect(w?.sources).toEqual(['/aws/lambda/chatbot']);
      expect(w?.roles).toEqual([]);
    });

    test('metric widgets do not depend on the groups', () => {
      const [w] = widgets(body(metricWidget([['AWS/Bedrock', 'Invocations', 'ModelId', 'x']])), [DELIVERED]);
      expect(w?.roles).toEqual(['invocations']);
    });
  });
});

test.describe('pickDashboard', () => {
  const cases: { name: string; names: string[]; picked: string | undefined }[] = [
    { name: "the lab's name", names: ['Billing', LAB.dashboardName], picked: LAB.dashboardName },
    { name: 'a name differing in case', names: ['Billing', 'genai-monitoring'], picked: 'genai-monitoring' },
    { name: 'an underscore for the hyphen', names: ['GenAI_Monitoring'], picked: 'GenAI_Monitoring' },
    { name: 'a space for the hyphen', names: ['GenAI Monitoring'], picked: 'GenAI Monitoring' },
    { name: 'no separator at all', names: ['GENAIMONITORING'], picked: 'GENAIMONITORING' },
    {
      name: 'the exact name wins over a variant listed before it',
      names: ['genai-monitoring', LAB.dashboardName],
      picked: LAB.dashboardName,
    },
    {
      name: 'the exact name wins over a variant listed after it',
      names: [LAB.dashboardName, 'GenAI_Monitoring'],
      picked: LAB.dashboardName,
    },
    {
      name: 'the first of several variants',
      names: ['GenAI_Monitoring', 'genai monitoring'],
      picked: 'GenAI_Monitoring',
    },
    { name: 'a longer name is not a variant', names: ['GenAI-Monitoring-2'], picked: undefined },
    { name: 'a different word is not a variant', names: ['GenAI-Monitor'], picked: undefined },
    { name: 'unrelated dashboards', names: ['Billing', 'Lambda'], picked: undefined },
    { name: 'no dashboards', names: [], picked: undefined },
  ];
  for (const c of cases) {
    test(c.name, () => expect(pickDashboard(c.names)).toBe(c.picked));
  }
});

test.describe('judgedName', () => {
  test("the lab's name as it is", () => expect(judgedName(LAB.dashboardName)).toBe('GenAI-Monitoring'));

  test('a variant says whose place it takes', () =>
    expect(judgedName('genai-monitoring')).toBe("'genai-monitoring' (judged in place of GenAI-Monitoring)"));
});

test.describe('checkDashboardExists', () => {
  test('found', () => {
    const verdict = checkDashboardExists({ name: LAB.dashboardName, names: ['Billing', LAB.dashboardName] });
    expect(verdict.status).toBe('pass');
    expect(verdict.message).toBe(`The dashboard ${LAB.dashboardName} exists.`);
    expect(verdict.hint).toBeUndefined();
  });

  test('a case-variant name fails naming it, and says the widget checks judge it', () => {
    const names = ['Billing', 'genai-monitoring'];
    const verdict = checkDashboardExists({ name: pickDashboard(names), names });
    expect(verdict.status).toBe('fail');
    expect(verdict.message).toContain("'genai-monitoring' differs only in case or spacing");
    expect(verdict.message).toContain('the widget checks judge it');
    expect(verdict.message).not.toContain('Billing');
    expect(verdict.hint).toContain('case-sensitive');
    expect(verdict.hint).toContain("delete 'genai-monitoring'");
    expect(verdict.evidence).toEqual({ dashboards: names });
  });

  test('a separator variant is named the same way', () => {
    const names = ['GenAI_Monitoring', 'GenAI Monitoring'];
    const verdict = checkDashboardExists({ name: pickDashboard(names), names });
    expect(verdict.status).toBe('fail');
    expect(verdict.message).toContain("'GenAI_Monitoring' differs only in case or spacing");
  });

  test('the exact name passes even beside a variant', () => {
    const names = ['genai-monitoring', LAB.dashboardName];
    expect(checkDashboardExists({ name: pickDashboard(names), names }).status).toBe('pass');
  });

  test('unrelated dashboards are counted', () => {
    const verdict = checkDashboardExists({ names: ['Billing', 'Lambda'] });
    expect(verdict.status).toBe('fail');
    expect(verdict.message).toContain('found 2 other dashboards');
    expect(verdict.evidence).toEqual({ dashboards: ['Billing', 'Lambda'] });
  });

  test('one unrelated dashboard reads in the singular', () => {
    expect(checkDashboardExists({ names: ['Billing'] }).message).toContain('(found 1 other dashboard)');
  });

  test('no dashboards at all', () => {
    const verdict = checkDashboardExists({ names: [] });
    expect(verdict.status).toBe('fail');
    expect(verdict.message).toContain('found 0 other dashboards');
  });
});

test.describe('checkWidget', () => {
  const cases: {
    name: string;
    role: WidgetRole;
    widgets: unknown[];
    dashboard?: string;
    groups?: string[];
    pass: boolean;
    says: string[];
  }[] = [
    {
      name: 'the lab widget for invocations',
      role: 'invocations',
      widgets: LAB_WIDGETS,
      pass: true,
      says: ['Widget 1 ("Invocation Count") of GenAI-Monitoring counts invocations over time'],
    },
    {
      name: 'the lab widget for tokens',
      role: 'tokens',
      widgets: LAB_WIDGETS,
      pass: true,
      says: ['Widget 2 ("Token Usage")'],
    },
    {
      name: 'the lab widget for latency',
      role: 'latency',
      widgets: LAB_WIDGETS,
      pass: true,
      says: ['Widget 3 ("Latency")'],
    },
    {
      name: 'an untitled metric widget',
      role: 'latency',
      widgets: [metricWidget([['AWS/Bedrock', 'InvocationLatency', 'ModelId', 'x']])],
      pass: true,
      says: ['Widget 1 of GenAI-Monitoring shows average or maximum latency'],
    },
    {
      name: 'a variant dashboard is named as judged in place of the lab one',
      role: 'invocations',
      widgets: LAB_WIDGETS,
      dashboard: 'genai-monitoring',
      pass: true,
      says: ["of 'genai-monitoring' (judged in place of GenAI-Monitoring) counts invocations"],
    },
    {
      name: 'a widget on the group logging delivers to, when it is accepted',
      role: 'invocations',
      widgets: [logWidget(`SOURCE '${DELIVERED}' | ${LAB.widgetQueries.invocations}`)],
      groups: BOTH,
      pass: true,
      says: ['Widget 1 of GenAI-Monitoring counts invocations over time'],
    },
    {
      name: 'a widget on the group logging delivers to, when only the lab group is accepted',
      role: 'invocations',
      widgets: [logWidget(`SOURCE '${DELIVERED}' | ${LAB.widgetQueries.invocations}`)],
      pass: false,
      says: [`from ${LAB.logGroup}:`, `reads other log groups (${DELIVERED})`],
    },
    {
      name: 'a widget on another log group names the group',
      role: 'invocations',
      widgets: [logWidget(`SOURCE '/aws/lambda/chatbot' | ${LAB.widgetQueries.invocations}`)],
      pass: false,
      says: [`from ${LAB.logGroup}:`, 'reads other log groups (/aws/lambda/chatbot)'],
    },
    {
      name: 'the accepted groups are each named once',
      role: 'tokens',
      widgets: [
        logWidget(`SOURCE '/aws/lambda/a' | ${LAB.widgetQueries.tokens}`),
        logWidget(`SOURCE '/aws/lambda/a' | SOURCE '/aws/lambda/b' | ${LAB.widgetQueries.tokens}`),
      ],
      groups: [LAB.logGroup, DELIVERED, LAB.logGroup],
      pass: false,
      says: [
        `from ${LAB.logGroup} or ${DELIVERED}: 2 log widgets read other log groups (/aws/lambda/a, /aws/lambda/b)`,
      ],
    },
    {
      name: 'a query without SOURCE',
      role: 'invocations',
      widgets: [logWidget(LAB.widgetQueries.invocations)],
      pass: false,
      says: ['No widget of GenAI-Monitoring counts invocations', 'it has 1 widget)'],
    },
    {
      name: 'only input tokens summed',
      role: 'tokens',
      widgets: [logWidget(`${SOURCE} | stats sum(input.inputTokenCount) by bin(1h)`)],
      pass: false,
      says: ['sums input and output tokens', 'from the invocation log group or AWS/Bedrock metrics'],
    },
    {
      name: 'an empty dashboard',
      role: 'latency',
      widgets: [],
      pass: false,
      says: ['it has 0 widgets'],
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const groups = c.groups ?? [LAB.logGroup];
      const verdict = checkWidget(
        c.dashboard ?? LAB.dashboardName,
        widgets(body(...c.widgets), groups),
        c.role,
        groups,
      );
      expect(verdict.status, verdict.message).toBe(c.pass ? 'pass' : 'fail');
      for (const fragment of c.says) expect(verdict.message).toContain(fragment);
      expect(verdict.evidence).toHaveLength(c.widgets.length);
      if (c.pass) expect(verdict.hint).toBeUndefined();
      else expect(verdict.hint).toBeTruthy();
    });
  }

  test('a widget on another group is told to point its query at the accepted groups', () => {
    const verdict = checkWidget(
      LAB.dashboardName,
      widgets(body(logWidget(`SOURCE '/aws/lambda/chatbot' | ${LAB.widgetQueries.latency}`))),
      'latency',
      BOTH,
    );
    expect(verdict.hint).toContain(`(${LAB.logGroup} or ${DELIVERED})`);
  });

  test('no dashboard', () => {
    const verdict = checkWidget(undefined, undefined, 'tokens', [LAB.logGroup]);
    expect(verdict.status).toBe('fail');
    expect(verdict.message).toBe(
      `There is no ${LAB.dashboardName} dashboard, so no widget sums input and output tokens.`,
    );
  });

  test('a dashboard name without widgets to judge is no dashboard', () => {
    const verdict = checkWidget(LAB.dashboardName, undefined, 'latency', [LAB.logGroup]);
    expect(verdict.status).toBe('fail');
    expect(verdict.message).toContain(`There is no ${LAB.dashboardName} dashboard`);
  });
});

test.describe('checkDisplaysData', () => {
  const data = widgetData;
  /** Five records Bedrock wrote into the lab's group. */
  const PROVEN = { [LAB.logGroup]: 5 };
  const state = (overrides: Partial<DisplayState>): DisplayState => ({
    dashboard: LAB.dashboardName,
    data: [],
    provenRecords: PROVEN,
    strict: false,
    ...overrides,
  });
  const LAB_DATA = data([
    { roles: ['invocations'], points: 2 },
    { roles: ['tokens'], emptyColumns: ['totalInput', 'totalOutput'] },
    { roles: ['latency'], emptyColumns: ['avgLatency'] },
  ]);
  const METRIC_INVOCATIONS: Partial<WidgetData> = {
    type: 'metric',
    sources: [],
    roles: ['invocations'],
    points: 4,
  };
  const cases: {
    name: string;
    state: Partial<DisplayState>;
    pass: boolean;
    says: string[];
  }[] = [
    {
      name: 'no dashboard',
      state: { dashboard: undefined },
      pass: false,
      says: [`There is no ${LAB.dashboardName} dashboard to display data.`],
    },
    {
      name: 'a body that cannot be read',
      state: { bodyError: 'The dashboard body is not valid JSON.' },
      pass: false,
      says: [`${LAB.dashboardName}: The dashboard body is not valid JSON.`],
    },
    {
      name: 'a failing widget',
      state: { data: data([{ roles: ['invocations'] }, { error: 'MalformedQueryException: bad query' }]) },
      pass: false,
      says: ['1 widget(s) of GenAI-Monitoring fail to load', 'widget 2: MalformedQueryException: bad query'],
    },
    {
      name: 'invocations widget without points',
      state: { data: data([{ roles: ['invocations'], points: 0 }]) },
      pass: false,
      says: ['invocations widget (widget 1 of GenAI-Monitoring) shows no data'],
    },
    {
      name: 'no invocations widget',
      state: { data: data([{ roles: ['tokens'] }]) },
      pass: false,
      says: ['No widget of GenAI-Monitoring counts invocations'],
    },
    {
      name: 'empty columns pass when not strict, with a note',
      state: { data: LAB_DATA },
      pass: true,
      says: [
        'shows 2 data points',
        '2 widget(s) have columns without values (totalInput, totalOutput, avgLatency)',
      ],
    },
    {
      name: 'empty columns fail when strict',
      state: { data: LAB_DATA, strict: true },
      pass: false,
      says: ['no values for totalInput, totalOutput; avgLatency', 'strict mode'],
    },
    {
      name: 'all columns filled pass when strict',
      state: { data: data([{ roles: ['invocations'], points: 5 }, { roles: ['tokens'] }]), strict: true },
      pass: true,
      says: ['shows 5 data points.'],
    },
    {
      name: 'a variant dashboard is named as judged in place of the lab one',
      state: { dashboard: 'genai-monitoring', data: data([{ roles: ['invocations'] }]) },
      pass: true,
      says: ["Every widget of 'genai-monitoring' (judged in place of GenAI-Monitoring) loads"],
    },
    {
      name: 'a log invocations widget on a group with no proven records',
      state: { data: data([{ roles: ['invocations'], points: 2 }]), provenRecords: {} },
      pass: false,
      says: [`reads ${LAB.logGroup}, where no record Bedrock wrote is`, 'its 2 rows count other lines'],
    },
    {
      name: 'a log invocations widget on a group whose proven records number 0',
      state: { data: data([{ roles: ['invocations'] }]), provenRecords: { [LAB.logGroup]: 0 } },
      pass: false,
      says: ['where no record Bedrock wrote is'],
    },
    {
      name: 'proven records in another group do not vouch for the widget',
      state: {
        data: data([{ roles: ['invocations'], sources: [DELIVERED] }]),
        provenRecords: { [LAB.logGroup]: 5 },
      },
      pass: false,
      says: [`reads ${DELIVERED}, where no record Bedrock wrote is`],
    },
    {
      name: 'a log invocations widget on a group with proven records',
      state: {
        data: data([{ roles: ['invocations'], sources: [DELIVERED], points: 5 }]),
        provenRecords: { [DELIVERED]: 5 },
      },
      pass: true,
      says: ['shows 5 data points.'],
    },
    {
      name: 'proven records in one of the groups a widget reads suffice',
      state: {
        data: data([{ roles: ['invocations'], sources: ['/aws/lambda/chatbot', LAB.logGroup] }]),
        provenRecords: { [LAB.logGroup]: 1 },
      },
      pass: true,
      says: ['shows 3 data points.'],
    },
    {
      name: 'a metric invocations widget on AWS/Bedrock needs no proven records',
      state: { data: data([METRIC_INVOCATIONS]), provenRecords: {} },
      pass: true,
      says: ['shows 4 data points.'],
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const verdict = checkDisplaysData(state(c.state));
      expect(verdict.status, verdict.message).toBe(c.pass ? 'pass' : 'fail');
      for (const fragment of c.says) expect(verdict.message).toContain(fragment);
      if (c.pass) expect(verdict.hint).toBeUndefined();
      else expect(verdict.hint).toBeTruthy();
    });
  }

  test('an unproven widget carries the proven counts as evidence', () => {
    const widgetData = data([{ roles: ['invocations'] }]);
    const verdict = checkDisplaysData(state({ data: widgetData, provenRecords: { '/other': 2 } }));
    expect(verdict.evidence).toEqual({ data: widgetData, provenRecords: { '/other': 2 } });
  });

  test('a widget still loading when the wait ran out is inconclusive, not a failure', () => {
    const verdict = checkDisplaysData(
      state({ data: data([{ roles: ['invocations'] }, { unfinished: 'its query was still Running' }]) }),
    );
    expect(verdict.status).toBe('inconclusive');
    expect(verdict.actor).toBe('instructor');
    expect(verdict.message).toContain('widget 2 (its query was still Running) of GenAI-Monitoring');
  });

  test('a widget that fails outweighs one still loading', () => {
    const verdict = checkDisplaysData(
      state({
        data: data([
          { error: 'MalformedQueryException: bad query' },
          { unfinished: 'its query was still Running' },
        ]),
      }),
    );
    expect(verdict.status).toBe('fail');
  });

  test('a body error outweighs the widgets', () => {
    const verdict = checkDisplaysData(
      state({
        bodyError: 'The dashboard body has no widgets list.',
        data: data([{ roles: ['invocations'] }]),
      }),
    );
    expect(verdict.status).toBe('fail');
    expect(verdict.message).toContain('has no widgets list');
  });

  test('no note without empty columns', () => {
    const verdict = checkDisplaysData(state({ data: data([{ roles: ['invocations'] }]) }));
    expect(verdict.status).toBe('pass');
    expect(verdict.message).not.toContain('columns without values');
  });
});

test.describe('a log widget’s query as the grader runs it', () => {
  const facts = (query: string) => widgets(body(logWidgetOf(query)))[0]!;
  const logWidgetOf = (query: string) => ({ type: 'log', properties: { query, region: 'us-east-1' } });

  test('its SOURCE commands become the groups StartQuery is given', () => {
    const w = facts(`SOURCE '${LAB.logGroup}' | fields @timestamp\n| stats count() by bin(1h)`);
    expect(w.sources).toEqual([LAB.logGroup]);
    expect(w.queryRequest).toEqual({
      queryString: 'fields @timestamp\n| stats count() by bin(1h)',
      logGroupNames: [LAB.logGroup],
    });
  });

  test('several SOURCE commands, either quote, with a time range', () => {
    const w = facts(`SOURCE '/a' | SOURCE "/b" START=-3600 | stats count(*) by bin(5m)`);
    expect(w.sources).toEqual(['/a', '/b']);
    expect(w.queryRequest).toEqual({ queryString: 'stats count(*) by bin(5m)', logGroupNames: ['/a', '/b'] });
  });

  test('a query without SOURCE or a console selection names no groups: nothing to run', () => {
    const w = facts('stats count() by bin(1h)');
    expect(w.sources).toEqual([]);
    expect(w.queryRequest).toBeUndefined();
    expect(w.roles).toEqual([]);
  });

  // As the console writes a widget that chooses its groups by prefix (queryBy logGroupPrefix).
  const prefixWidget = (prefix: string, query = 'stats count(*) by bin(5m)') => ({
    type: 'log',
    properties: {
      query: `SOURCE logGroups(namePrefix: ["${prefix}"], class: "STANDARD")  |\n${query}`,
      queryLanguage: 'CWLI',
      queryBy: 'logGroupPrefix',
      logGroupPrefixes: { accountIds: ['All'], logGroupPrefix: [prefix], logClass: 'STANDARD' },
      region: 'us-east-1',
    },
  });

  test('a prefix that covers the invocation group reads it; the query runs as written', () => {
    const w = widgets(body(prefixWidget('/aws/bedrock/')))[0]!;
    expect(w.namePrefixes).toEqual(['/aws/bedrock/']);
    expect(w.sources).toEqual([LAB.logGroup]);
    expect(w.roles).toEqual(['invocations']);
    expect(w.queryRequest).toEqual({ queryString: prefixWidget('/aws/bedrock/').properties.query });
  });

  test('a prefix that misses the invocation group has no role, and the finding names the prefix', () => {
    const w = widgets(body(prefixWidget('/aws/lambda/')))[0]!;
    expect(w.sources).toEqual([]);
    expect(w.roles).toEqual([]);
    const verdict = checkWidget(LAB.dashboardName, [w], 'invocations', [LAB.logGroup]);
    expect(verdict.status).toBe('fail');
    expect(verdict.message).toContain('log groups starting with /aws/lambda/');
  });

  test('SOURCE logGroups() reads every group, the invocation group among them', () => {
    const w = facts('SOURCE logGroups() | stats count(*) by bin(5m)');
    expect(w.namePrefixes).toEqual([]);
    expect(w.sources).toEqual([LAB.logGroup]);
    expect(w.roles).toEqual(['invocations']);
  });

  test('a console selection written beside a query without SOURCE becomes a SOURCE logGroups(...) command', () => {
    const w = widgets(
      body({
        type: 'log',
        properties: {
          query: 'stats count(*) by bin(5m)',
          queryBy: 'logGroupPrefix',
          logGroupPrefixes: { logGroupPrefix: ["/aws/bedrock/mod'el"] },
        },
      }),
    )[0]!;
    expect(w.queryRequest).toEqual({
      queryString: "SOURCE logGroups(namePrefix: ['/aws/bedrock/mod\\'el']) | stats count(*) by bin(5m)",
    });
  });
});

test.describe('metric rows in the console’s shorthand', () => {
  const MODEL_A = 'global.anthropic.claude-sonnet-4-5-20250929-v1:0';
  const MODEL_B = 'amazon.nova-micro-v1:0';

  test('"..." stands for the row above but the items written after it', () => {
    const [w] = widgets(
      body(
        metricWidget([
          ['AWS/Bedrock', 'Invocations', 'ModelId', MODEL_A, { id: 'm1' }],
          ['...', MODEL_B, { id: 'm2' }],
          [{ expression: 'm1+m2', id: 'e1', label: 'all models' }],
        ]),
      ),
    );
    expect(w?.metrics).toEqual([
      { namespace: 'AWS/Bedrock', metricName: 'Invocations', dimensions: { ModelId: MODEL_A }, id: 'm1' },
      { namespace: 'AWS/Bedrock', metricName: 'Invocations', dimensions: { ModelId: MODEL_B }, id: 'm2' },
    ]);
    expect(w?.expressions).toEqual([{ expression: 'm1+m2', id: 'e1' }]);
    expect(w?.roles).toEqual(['invocations']);
  });

  test('"..." then a new metric name keeps the namespace and dimensions', () => {
    const [w] = widgets(
      body(
        metricWidget([
          ['AWS/Bedrock', 'InputTokenCount', 'ModelId', MODEL_A],
          ['.', 'OutputTokenCount', '.', '.'],
        ]),
      ),
    );
    expect(w?.roles).toEqual(['tokens']);
  });

  test('rows keep their own ids; the others get the next free m1, m2, ... and e1, ...', () => {
    const ids = rowIds({
      metrics: [
        { namespace: 'n', metricName: 'a', dimensions: {} },
        { namespace: 'n', metricName: 'b', dimensions: {}, id: 'm1' },
        { namespace: 'n', metricName: 'c', dimensions: {} },
      ],
      expressions: [{ expression: 'm1+m2' }],
    });
    expect(ids).toEqual({ metrics: ['m2', 'm1', 'm3'], expressions: ['e1'] });
  });
});

test.describe('log widgets in another query language', () => {
  const sql = {
    type: 'log',
    properties: {
      query: `SELECT COUNT(*) FROM \`${LAB.logGroup}\``,
      queryLanguage: 'SQL',
      region: 'us-east-1',
      title: 'Calls',
    },
  };

  test('are not read as Logs Insights, and leave a role they might fill undecided', () => {
    const all = widgets(body(sql));
    expect(all[0]).toMatchObject({ otherLanguage: 'SQL', roles: [] });
    const verdict = checkWidget(LAB.dashboardName, all, 'invocations', [LAB.logGroup]);
    expect(verdict).toMatchObject({ status: 'inconclusive', actor: 'instructor' });
    expect(verdict.message).toContain('widget 1 ("Calls") is written in SQL');
  });

  test('do not hide a widget the grader can read', () => {
    const all = widgets(body(sql, logWidget(onGroup(LAB.logGroup, LAB.widgetQueries.invocations))));
    expect(checkWidget(LAB.dashboardName, all, 'invocations', [LAB.logGroup]).status).toBe('pass');
  });

  test('the console’s own name for Logs Insights is read as Logs Insights', () => {
    const cwli = {
      ...sql,
      properties: {
        ...sql.properties,
        queryLanguage: 'CWLI',
        query: onGroup(LAB.logGroup, LAB.widgetQueries.invocations),
      },
    };
    expect(widgets(body(cwli))[0]?.roles).toEqual(['invocations']);
  });
});
