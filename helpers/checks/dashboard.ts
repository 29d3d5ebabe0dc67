import { analyzeQuery, type QueryAnalysis } from '../../insights';
import { LAB } from '../settings';
import { counted, fail, inconclusive, pass, type Verdict } from '../verdict';

export type WidgetRole = 'invocations' | 'tokens' | 'latency';

export interface MetricRef {
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
}

/** One widget of a dashboard body, and what it computes. */
export interface WidgetFacts {
  index: number;
  type: string;
  title?: string;
  region?: string;
  query?: string;
  /** Log groups a log widget reads (its SOURCE). */
  sources: string[];
  analysis?: QueryAnalysis;
  /** Why a log widget's query could not be analysed. */
  queryError?: string;
  metrics: MetricRef[];
  /** Metric math or search expressions, kept as text. */
  expressions: string[];
  roles: WidgetRole[];
}

const INPUT_TOKENS = /^(input\.)?inputTokenCount$/;
const OUTPUT_TOKENS = /^(output\.)?outputTokenCount$/;
/** `@duration` is what the lab writes; Bedrock records have no latency field, so any name with "latency" counts too. */
const LATENCY = /^@duration$|latency/i;

type Json = Record<string, unknown>;

/** Reads a dashboard body into widget facts, or says why it cannot. */
export function describeWidgets(body: string): { widgets: WidgetFacts[] } | { error: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { error: 'The dashboard body is not valid JSON.' };
  }
  const widgets = (parsed as Json | null)?.widgets;
  if (!Array.isArray(widgets)) return { error: 'The dashboard body has no widgets list.' };
  return { widgets: widgets.map((w, index) => describeWidget((w ?? {}) as Json, index)) };
}

function describeWidget(widget: Json, index: number): WidgetFacts {
  const properties = (widget.properties ?? {}) as Json;
  const facts: WidgetFacts = {
    index,
    type: String(widget.type ?? ''),
    title: typeof properties.title === 'string' ? properties.title : undefined,
    region: typeof properties.region === 'string' ? properties.region : undefined,
    sources: [],
    metrics: [],
    expressions: [],
    roles: [],
  };
  if (facts.type === 'log' && typeof properties.query === 'string') {
    facts.query = properties.query;
    const result = analyzeQuery(properties.query);
    if (result.ok) {
      facts.analysis = result.analysis;
      facts.sources = result.analysis.sources.map(logGroupName);
      facts.roles = logWidgetRoles(result.analysis);
    } else {
      facts.queryError = result.error.message;
    }
  }
  if (facts.type === 'metric' && Array.isArray(properties.metrics)) {
    readMetrics(properties.metrics as unknown[], facts);
    facts.roles = metricWidgetRoles(facts);
  }
  return facts;
}

/** SOURCE may name a group by its ARN. */
function logGroupName(source: string): string {
  return source.replace(/^arn:aws[\w-]*:logs:[^:]*:\d{12}:log-group:/, '').replace(/:\*$/, '');
}

function logWidgetRoles(analysis: QueryAnalysis): WidgetRole[] {
  if (!analysis.sources.map(logGroupName).includes(LAB.logGroup)) return [];
  const roles: WidgetRole[] = [];
  const aggregate = (fns: string[], field: RegExp) =>
    analysis.aggregates.some((a) => fns.includes(a.fn) && a.args.some((arg) => field.test(arg)));
  const byTime = analysis.groupBy.some((g) => g.binPeriodMs !== undefined);
  if (byTime && analysis.aggregates.some((a) => a.fn === 'count')) roles.push('invocations');
  if (aggregate(['sum'], INPUT_TOKENS) && aggregate(['sum'], OUTPUT_TOKENS)) roles.push('tokens');
  if (aggregate(['avg', 'max'], LATENCY)) roles.push('latency');
  return roles;
}

/** `[ns, name, dimName, dimValue, ..., {options}]`, where "." repeats the item above. */
function readMetrics(rows: unknown[], facts: WidgetFacts): void {
  let previous: unknown[] = [];
  for (const row of rows) {
    if (!Array.isArray(row)) continue;
    const items = row
      .filter((item) => typeof item === 'string')
      .map((item, i) => (item === '.' ? previous[i] : item));
    const options = row.find((item): item is Json => typeof item === 'object' && item !== null);
    if (typeof options?.expression === 'string') facts.expressions.push(options.expression);
    if (items.length >= 2) {
      const [namespace, metricName, ...dims] = items as string[];
      const dimensions: Record<string, string> = {};
      for (let i = 0; i + 1 < dims.length; i += 2) dimensions[dims[i]!] = dims[i + 1]!;
      facts.metrics.push({ namespace: namespace!, metricName: metricName!, dimensions });
    }
    previous = items;
  }
}

function metricWidgetRoles(facts: WidgetFacts): WidgetRole[] {
  const names = new Set(facts.metrics.filter((m) => m.namespace === 'AWS/Bedrock').map((m) => m.metricName));
  // A search expression over AWS/Bedrock names its metric in text: SEARCH('{AWS/Bedrock,ModelId} Invocations', ...).
  for (const expression of facts.expressions) {
    if (!expression.includes('AWS/Bedrock')) continue;
    for (const name of ['Invocations', 'InputTokenCount', 'OutputTokenCount', 'InvocationLatency']) {
      if (new RegExp(`\\b${name}\\b`).test(expression)) names.add(name);
    }
  }
  const roles: WidgetRole[] = [];
  if (names.has('Invocations')) roles.push('invocations');
  if (names.has('InputTokenCount') && names.has('OutputTokenCount')) roles.push('tokens');
  if (names.has('InvocationLatency')) roles.push('latency');
  return roles;
}

export function checkDashboardExists(found: boolean, otherNames: string[]): Verdict {
  if (found) return pass(`The dashboard ${LAB.dashboardName} exists.`);
  const near = otherNames.filter((n) => n.toLowerCase().replace(/[-_ ]/g, '') === 'genaimonitoring');
  if (near.length) {
    return fail(
      `No dashboard named exactly ${LAB.dashboardName}; found ${near.map((n) => `'${n}'`).join(', ')} (names are case-sensitive).`,
      { dashboards: otherNames },
    );
  }
  return fail(`No dashboard named ${LAB.dashboardName} (found ${otherNames.length} other dashboards).`, {
    dashboards: otherNames,
  });
}

const ROLE_TEXT: Record<WidgetRole, string> = {
  invocations: 'counts invocations over time',
  tokens: 'sums input and output tokens',
  latency: 'shows average or maximum latency',
};

export function checkWidget(widgets: WidgetFacts[] | undefined, role: WidgetRole): Verdict {
  if (!widgets)
    return fail(`The dashboard ${LAB.dashboardName} does not exist, so no widget ${ROLE_TEXT[role]}.`);
  const evidence = widgets.map(summary);
  const match = widgets.find((w) => w.roles.includes(role));
  if (match) return pass(`Widget ${match.index + 1}${titled(match)} ${ROLE_TEXT[role]}.`, evidence);
  const elsewhere = widgets.filter(
    (w) => w.type === 'log' && w.sources.length > 0 && !w.sources.includes(LAB.logGroup),
  );
  const note = elsewhere.length
    ? ` ${elsewhere.length} log widget(s) read other log groups (${[...new Set(elsewhere.flatMap((w) => w.sources))].join(', ')}).`
    : '';
  return fail(
    `No widget ${ROLE_TEXT[role]} from ${LAB.logGroup} or AWS/Bedrock metrics (the dashboard has ${counted(widgets.length, 'widget')}).${note}`,
    evidence,
  );
}

function titled(w: WidgetFacts): string {
  return w.title ? ` ("${w.title}")` : '';
}

function summary(w: WidgetFacts) {
  return {
    widget: w.index + 1,
    type: w.type,
    title: w.title,
    sources: w.sources,
    metrics: w.metrics,
    roles: w.roles,
    queryError: w.queryError,
  };
}

/** What running one widget's query or metrics gave. */
export interface WidgetData {
  index: number;
  title?: string;
  roles: WidgetRole[];
  error?: string;
  /** Why the grader could not finish loading it (a query still running when the wait ran out). */
  unfinished?: string;
  /** Rows (log widgets) or datapoints (metric widgets). */
  points: number;
  /** Log widgets: aggregate columns that came back with no value in any row (fields the records lack). */
  emptyColumns: string[];
}

export function checkDisplaysData(data: WidgetData[] | undefined, strict: boolean): Verdict {
  if (!data) return fail(`The dashboard ${LAB.dashboardName} does not exist.`);
  const failing = data.filter((d) => d.error);
  if (failing.length) {
    return fail(
      `${failing.length} widget(s) fail to load: ${failing.map((d) => `widget ${d.index + 1}: ${d.error}`).join('; ')}.`,
      data,
    );
  }
  const unfinished = data.filter((d) => d.unfinished);
  if (unfinished.length) {
    return inconclusive(
      `The grader could not finish loading ${unfinished.map((d) => `widget ${d.index + 1} (${d.unfinished})`).join(', ')} within its wait.`,
      data,
    );
  }
  const invocations = data.find((d) => d.roles.includes('invocations'));
  if (!invocations) return fail('No widget counts invocations, so the dashboard cannot show them.', data);
  if (invocations.points === 0) {
    return fail(
      `The invocations widget (widget ${invocations.index + 1}) shows no data for the lab window.`,
      data,
    );
  }
  const empty = data.filter((d) => d.emptyColumns.length > 0);
  if (strict && empty.length) {
    return fail(
      `Widgets show no values for ${empty.map((d) => d.emptyColumns.join(', ')).join('; ')} (strict mode).`,
      data,
    );
  }
  const note = empty.length
    ? ` ${empty.length} widget(s) have columns without values (${empty.flatMap((d) => d.emptyColumns).join(', ')}): the fields they name are not in Bedrock's records.`
    : '';
  return pass(
    `Every widget loads and the invocations widget shows ${counted(invocations.points, 'data point')}.${note}`,
    data,
  );
}
