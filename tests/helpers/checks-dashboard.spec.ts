import { expect, test } from '@playwright/test';
import {
  checkDashboardExists,
  checkDisplaysData,
  checkWidget,
  describeWidgets,
  type WidgetData,
  type WidgetFacts,
  type WidgetRole,
} from '../../helpers/checks/dashboard';
import { LAB } from '../../helpers/settings';
import { logWidget, metricWidget } from '../fixtures/widgets';

const SOURCE = `SOURCE '${LAB.logGroup}'`;

const body = (...widgets: unknown[]) => JSON.stringify({ widgets });

/** The lab's three widgets, saved in the console on the lab's log group. */
const LAB_WIDGETS = [
  logWidget(`${SOURCE} | ${LAB.widgetQueries.invocations.replace(/\n/g, ' ')}`, 'Invocation Count'),
  logWidget(`${SOURCE} | ${LAB.widgetQueries.tokens.replace(/\n/g, ' ')}`, 'Token Usage'),
  logWidget(`${SOURCE} | ${LAB.widgetQueries.latency.replace(/\n/g, ' ')}`, 'Latency'),
];

function widgets(text: string): WidgetFacts[] {
  const described = describeWidgets(text);
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
    expect(w?.expressions).toEqual([expression]);
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
});

test.describe('checkDashboardExists', () => {
  test('found', () => {
    const verdict = checkDashboardExists(true, []);
    expect(verdict.status).toBe('pass');
    expect(verdict.message).toContain(LAB.dashboardName);
  });

  test('a case-variant name fails naming it', () => {
    const verdict = checkDashboardExists(false, ['Billing', 'genai-monitoring']);
    expect(verdict.status).toBe('fail');
    expect(verdict.message).toContain("found 'genai-monitoring'");
    expect(verdict.message).toContain('case-sensitive');
    expect(verdict.message).not.toContain('Billing');
    expect(verdict.evidence).toEqual({ dashboards: ['Billing', 'genai-monitoring'] });
  });

  test('separator variants are named too', () => {
    const verdict = checkDashboardExists(false, ['GenAI_Monitoring', 'GenAI Monitoring']);
    expect(verdict.message).toContain("'GenAI_Monitoring', 'GenAI Monitoring'");
  });

  test('unrelated dashboards are counted', () => {
    const verdict = checkDashboardExists(false, ['Billing', 'Lambda']);
    expect(verdict.status).toBe('fail');
    expect(verdict.message).toContain('found 2 other dashboards');
  });
});

test.describe('checkWidget', () => {
  const cases: { name: string; role: WidgetRole; widgets: unknown[]; pass: boolean; says: string[] }[] = [
    {
      name: 'the lab widget for invocations',
      role: 'invocations',
      widgets: LAB_WIDGETS,
      pass: true,
      says: ['Widget 1 ("Invocation Count") counts invocations over time'],
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
      says: ['Widget 1 shows average or maximum latency'],
    },
    {
      name: 'a widget on another log group names the group',
      role: 'invocations',
      widgets: [logWidget(`SOURCE '/aws/lambda/chatbot' | ${LAB.widgetQueries.invocations}`)],
      pass: false,
      says: ['the dashboard has 1 widget', '1 log widget(s) read other log groups (/aws/lambda/chatbot)'],
    },
    {
      name: 'a query without SOURCE',
      role: 'invocations',
      widgets: [logWidget(LAB.widgetQueries.invocations)],
      pass: false,
      says: ['No widget counts invocations'],
    },
    {
      name: 'only input tokens summed',
      role: 'tokens',
      widgets: [logWidget(`${SOURCE} | stats sum(input.inputTokenCount) by bin(1h)`)],
      pass: false,
      says: ['sums input and output tokens', LAB.logGroup],
    },
    {
      name: 'an empty dashboard',
      role: 'latency',
      widgets: [],
      pass: false,
      says: ['the dashboard has 0 widgets'],
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const verdict = checkWidget(widgets(body(...c.widgets)), c.role);
      expect(verdict.status, verdict.message).toBe(c.pass ? 'pass' : 'fail');
      for (const fragment of c.says) expect(verdict.message).toContain(fragment);
      expect(verdict.evidence).toHaveLength(c.widgets.length);
    });
  }

  test('no dashboard', () => {
    const verdict = checkWidget(undefined, 'tokens');
    expect(verdict.status).toBe('fail');
    expect(verdict.message).toContain(`${LAB.dashboardName} does not exist`);
  });
});

test.describe('checkDisplaysData', () => {
  const data = (overrides: Partial<WidgetData>[]): WidgetData[] =>
    overrides.map((o, index) => ({ index, roles: [], points: 3, emptyColumns: [], ...o }));
  const LAB_DATA = data([
    { roles: ['invocations'], points: 2 },
    { roles: ['tokens'], emptyColumns: ['totalInput', 'totalOutput'] },
    { roles: ['latency'], emptyColumns: ['avgLatency'] },
  ]);
  const cases: {
    name: string;
    data: WidgetData[] | undefined;
    strict: boolean;
    pass: boolean;
    says: string[];
  }[] = [
    {
      name: 'no dashboard',
      data: undefined,
      strict: false,
      pass: false,
      says: [`${LAB.dashboardName} does not exist`],
    },
    {
      name: 'a failing widget',
      data: data([{ roles: ['invocations'] }, { error: 'MalformedQueryException: bad query' }]),
      strict: false,
      pass: false,
      says: ['1 widget(s) fail to load', 'widget 2: MalformedQueryException: bad query'],
    },
    {
      name: 'invocations widget without points',
      data: data([{ roles: ['invocations'], points: 0 }]),
      strict: false,
      pass: false,
      says: ['invocations widget (widget 1) shows no data'],
    },
    {
      name: 'no invocations widget',
      data: data([{ roles: ['tokens'] }]),
      strict: false,
      pass: false,
      says: ['No widget counts invocations'],
    },
    {
      name: 'empty columns pass when not strict, with a note',
      data: LAB_DATA,
      strict: false,
      pass: true,
      says: [
        'shows 2 data points',
        '2 widget(s) have columns without values (totalInput, totalOutput, avgLatency)',
      ],
    },
    {
      name: 'empty columns fail when strict',
      data: LAB_DATA,
      strict: true,
      pass: false,
      says: ['no values for totalInput, totalOutput; avgLatency', 'strict mode'],
    },
    {
      name: 'all columns filled pass when strict',
      data: data([{ roles: ['invocations'], points: 5 }, { roles: ['tokens'] }]),
      strict: true,
      pass: true,
      says: ['shows 5 data points.'],
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const verdict = checkDisplaysData(c.data, c.strict);
      expect(verdict.status, verdict.message).toBe(c.pass ? 'pass' : 'fail');
      for (const fragment of c.says) expect(verdict.message).toContain(fragment);
    });
  }

  test('a widget still loading when the wait ran out is inconclusive, not a failure', () => {
    const verdict = checkDisplaysData(
      data([{ roles: ['invocations'] }, { unfinished: 'its query was still Running' }]),
      false,
    );
    expect(verdict.status).toBe('inconclusive');
    expect(verdict.message).toContain('widget 2 (its query was still Running)');
  });

  test('a widget that fails outweighs one still loading', () => {
    const verdict = checkDisplaysData(
      data([{ error: 'MalformedQueryException: bad query' }, { unfinished: 'its query was still Running' }]),
      false,
    );
    expect(verdict.status).toBe('fail');
  });

  test('no note without empty columns', () => {
    const verdict = checkDisplaysData(data([{ roles: ['invocations'] }]), false);
    expect(verdict.message).not.toContain('columns without values');
  });
});
