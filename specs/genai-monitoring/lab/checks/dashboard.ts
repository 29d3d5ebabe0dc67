import { analyzeQuery, type QueryAnalysis } from '../../../../insights';
import { metricRows, rowMetric } from '../../../../helpers/dashboard-metrics';
import { LAB } from '../facts';
import { utcMinute } from './provenance';
import { quantity, fail, inconclusive, pass, type Verdict } from '../../../../helpers/verdict';

export type WidgetRole = 'invocations' | 'tokens' | 'latency';

export interface MetricRef {
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  /** The row's own id, which metric math refers to. */
  id?: string;
}

/** One widget of a dashboard body, and what it computes. */
export interface WidgetFacts {
  index: number;
  type: string;
  title?: string;
  region?: string;
  query?: string;
  /**
   * What StartQuery is sent to load the widget. StartQuery documents its groups as parameters or
   * `SOURCE logGroups(...)`, while a dashboard writes `SOURCE 'group' |`: named groups become
   * parameters and leave the query (docs/aws-behaviours.md, "Logs Insights").
   */
  queryRequest?: { queryString: string; logGroupNames?: string[] };
  /**
   * Log groups a log widget reads, as far as the grader can tell: those its SOURCE names, or,
   * when it chooses groups by prefix, the judged groups the prefixes cover.
   */
  sources: string[];
  /** Name prefixes a log widget chooses its groups by (none: every group); absent when it names them. */
  namePrefixes?: string[];
  analysis?: QueryAnalysis;
  /** Why a log widget's query could not be analysed. */
  queryError?: string;
  /** A log widget's query language when it is not Logs Insights' own (SQL, PPL): not read. */
  otherLanguage?: string;
  metrics: MetricRef[];
  /** Metric math or search expressions, kept as text, with the ids their rows give. */
  expressions: { expression: string; id?: string }[];
  roles: WidgetRole[];
}

const INPUT_TOKENS = /^(input\.)?inputTokenCount$/;
const OUTPUT_TOKENS = /^(output\.)?outputTokenCount$/;
/** `@duration` is what the lab writes; Bedrock records have no latency field, so any name with "latency" counts too. */
const LATENCY = /^@duration$|latency/i;

type Json = Record<string, unknown>;

/**
 * Reads a dashboard body into widget facts, or says why it cannot. A log widget counts for a
 * role only on one of `groups`: the lab's group, and the one logging really delivers to.
 */
export function describeWidgets(
  body: string,
  groups: readonly string[] = [LAB.logGroup],
): { widgets: WidgetFacts[] } | { error: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { error: 'The dashboard body is not valid JSON.' };
  }
  const widgets = (parsed as Json | null)?.widgets;
  if (!Array.isArray(widgets)) return { error: 'The dashboard body has no widgets list.' };
  return { widgets: widgets.map((w, index) => describeWidget((w ?? {}) as Json, index, groups)) };
}

function describeWidget(widget: Json, index: number, groups: readonly string[]): WidgetFacts {
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
  const language = properties.queryLanguage;
  if (facts.type === 'log' && typeof language === 'string' && !LOGS_INSIGHTS.test(language)) {
    facts.otherLanguage = language;
  } else if (facts.type === 'log' && typeof properties.query === 'string') {
    describeLogWidget(properties.query, properties, facts, groups);
  }
  if (facts.type === 'metric' && Array.isArray(properties.metrics)) {
    readMetrics(properties.metrics, facts);
    facts.roles = metricWidgetRoles(facts);
  }
  return facts;
}

function describeLogWidget(
  query: string,
  properties: Json,
  facts: WidgetFacts,
  groups: readonly string[],
): void {
  facts.query = query;
  const result = analyzeQuery(query);
  if (!result.ok) {
    facts.queryError = result.error.message;
    return;
  }
  const { analysis } = result;
  facts.analysis = analysis;
  const named = analysis.sources.map(logGroupName);
  const selections = analysis.sourceSelections;
  if (selections.length > 0) {
    facts.namePrefixes = selections.some((s) => s.namePrefixes.length === 0)
      ? []
      : selections.flatMap((s) => s.namePrefixes);
    facts.queryRequest = { queryString: query };
  } else if (named.length > 0) {
    facts.queryRequest = { queryString: query.replace(LEADING_SOURCES, ''), logGroupNames: named };
  } else {
    // No SOURCE: the console's own choice of groups, which it writes beside the query.
    facts.namePrefixes = consoleSelection(properties);
    if (facts.namePrefixes) {
      const prefixes = facts.namePrefixes.map((p) => `'${p.replace(/[\\']/g, '\\$&')}'`).join(', ');
      facts.queryRequest = { queryString: `SOURCE logGroups(namePrefix: [${prefixes}]) | ${query}` };
    }
  }
  facts.sources = facts.namePrefixes
    ? groups.filter(
        (g) => facts.namePrefixes!.length === 0 || facts.namePrefixes!.some((p) => g.startsWith(p)),
      )
    : named;
  facts.roles = facts.sources.some((g) => groups.includes(g)) ? logWidgetRoles(analysis) : [];
}

/**
 * The groups a console-made log widget chooses beside its query: `queryBy` `logGroupPrefix` with
 * `logGroupPrefixes.logGroupPrefix`, or `allLogGroups` (UNVERIFIED: seen with a matching
 * `SOURCE logGroups(...)` in the query, never without one).
 */
function consoleSelection(properties: Json): string[] | undefined {
  const prefixes = (properties.logGroupPrefixes as Json | undefined)?.logGroupPrefix;
  if (properties.queryBy === 'allLogGroups') return [];
  if (properties.queryBy === 'logGroupPrefix' && Array.isArray(prefixes)) {
    return prefixes.filter((p): p is string => typeof p === 'string');
  }
  return undefined;
}

/** Which groups a log widget reads, in words: its names, or its prefixes. */
function sourcesRead(w: Pick<WidgetFacts, 'sources' | 'namePrefixes'>): string[] {
  if (!w.namePrefixes) return w.sources;
  return [
    w.namePrefixes.length === 0 ? 'every log group' : `log groups starting with ${w.namePrefixes.join(', ')}`,
  ];
}

/** How a dashboard names Logs Insights' own language (UNVERIFIED beyond `CWLI`, the console's). */
const LOGS_INSIGHTS = /^(CWLI|Logs|LogsInsights|LOGS_INSIGHTS)$/i;

/** `SOURCE 'a' | SOURCE "b" START=... |` at the start of a query: the parser holds SOURCE to lead. */
const LEADING_SOURCES = /^\s*(?:SOURCE(?:\s+(?:'[^']*'|"[^"]*"|START=\S+|END=\S+))+\s*\|\s*)+/i;

/** SOURCE may name a group by its ARN. */
function logGroupName(source: string): string {
  return source.replace(/^arn:aws[\w-]*:logs:[^:]*:\d{12}:log-group:/, '').replace(/:\*$/, '');
}

function logWidgetRoles(analysis: QueryAnalysis): WidgetRole[] {
  const roles: WidgetRole[] = [];
  const aggregate = (fns: string[], field: RegExp) =>
    analysis.aggregates.some((a) => fns.includes(a.fn) && a.args.some((arg) => field.test(arg)));
  const byTime = analysis.groupBy.some((g) => g.binPeriodMs !== undefined);
  if (byTime && analysis.aggregates.some((a) => a.fn === 'count')) roles.push('invocations');
  if (aggregate(['sum'], INPUT_TOKENS) && aggregate(['sum'], OUTPUT_TOKENS)) roles.push('tokens');
  if (aggregate(['avg', 'max'], LATENCY)) roles.push('latency');
  return roles;
}

/** A widget's metric rows (helpers/dashboard-metrics.ts): a row's `id` is kept, as metric math names rows by it. */
function readMetrics(rows: unknown, facts: WidgetFacts): void {
  for (const row of metricRows(rows)) {
    const id = typeof row.options?.id === 'string' ? row.options.id : undefined;
    if (typeof row.options?.expression === 'string')
      facts.expressions.push({ expression: row.options.expression, id });
    const metric = rowMetric(row);
    if (metric) facts.metrics.push({ ...metric, id });
  }
}

/**
 * The ids GetMetricData gets for a widget's rows: each row's own, else the console's default,
 * `m1`, `m2`, ... for metrics and `e1`, ... for expressions in their order (UNVERIFIED: the
 * default numbering as the console assigns it), skipping ids rows already take.
 */
export function rowIds(facts: Pick<WidgetFacts, 'metrics' | 'expressions'>): {
  metrics: string[];
  expressions: string[];
} {
  const taken = new Set([...facts.metrics, ...facts.expressions].flatMap((r) => (r.id ? [r.id] : [])));
  const next = (prefix: string) => {
    let n = 1;
    while (taken.has(`${prefix}${n}`)) n++;
    taken.add(`${prefix}${n}`);
    return `${prefix}${n}`;
  };
  return {
    metrics: facts.metrics.map((m) => m.id ?? next('m')),
    expressions: facts.expressions.map((e) => e.id ?? next('e')),
  };
}

/** A SEARCH over Bedrock's own namespace: a learner may publish into `Custom/AWS/Bedrock`, never `AWS/Bedrock`. */
export function searchesBedrock(expression: string): boolean {
  return /SEARCH\s*\(\s*['"]\s*\{\s*"?AWS\/Bedrock"?\s*[,}]/i.test(expression);
}

function metricWidgetRoles(facts: WidgetFacts): WidgetRole[] {
  const names = new Set(facts.metrics.filter((m) => m.namespace === 'AWS/Bedrock').map((m) => m.metricName));
  // A search expression over AWS/Bedrock names its metric in text: SEARCH('{AWS/Bedrock,ModelId} Invocations', ...).
  for (const { expression } of facts.expressions) {
    if (!searchesBedrock(expression)) continue;
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

/** The dashboard the grader judged: the lab's name, or one that differs from it only in case or spacing. */
export interface DashboardFound {
  /** The dashboard judged, if any. */
  name?: string;
  body?: string;
  /** Every dashboard in the account (Region), for the finding. */
  names: string[];
}

const loose = (name: string) => name.toLowerCase().replace(/[-_\s]/g, '');

/** The lab's dashboard among `names`, or else the first whose name differs only in case or spacing. */
export function pickDashboard(names: readonly string[]): string | undefined {
  return names.includes(LAB.dashboardName)
    ? LAB.dashboardName
    : names.find((n) => loose(n) === loose(LAB.dashboardName));
}

/** `GenAI-Monitoring`, or `'genai-monitoring' (judged in place of GenAI-Monitoring)`. */
export function judgedName(name: string): string {
  return name === LAB.dashboardName ? name : `'${name}' (judged in place of ${LAB.dashboardName})`;
}

const CREATE_DASHBOARD = `Create the dashboard in CloudWatch, Dashboards, named exactly ${LAB.dashboardName} (Step 4).`;

export function checkDashboardExists({ name, names }: DashboardFound): Verdict {
  if (name === LAB.dashboardName) return pass(`The dashboard ${LAB.dashboardName} exists.`);
  if (name) {
    return fail(
      `No dashboard is named exactly ${LAB.dashboardName}; '${name}' differs only in case or spacing, and the widget checks judge it.`,
      `Dashboard names are case-sensitive: save the dashboard as ${LAB.dashboardName} (Actions, Save as) and delete '${name}'.`,
      { dashboards: names },
    );
  }
  return fail(
    `No dashboard named ${LAB.dashboardName} (found ${quantity(names.length, 'other dashboard')}).`,
    CREATE_DASHBOARD,
    { dashboards: names },
  );
}

const ROLE_TEXT: Record<WidgetRole, string> = {
  invocations: 'counts invocations over time',
  tokens: 'sums input and output tokens',
  latency: 'shows average or maximum latency',
};

const ROLE_HINT: Record<WidgetRole, string> = {
  invocations:
    'Add a Logs table or line widget on the invocation log group that counts events by a time bin, or a metric widget on AWS/Bedrock Invocations.',
  tokens:
    'Add one widget that sums both the input and the output token counts (input.inputTokenCount and output.outputTokenCount, or the AWS/Bedrock token metrics).',
  latency:
    'Add a widget with the average or maximum latency: the AWS/Bedrock InvocationLatency metric has it.',
};

/** `widgets` undefined: there is no dashboard to judge. */
export function checkWidget(
  dashboard: string | undefined,
  widgets: WidgetFacts[] | undefined,
  role: WidgetRole,
  groups: readonly string[],
): Verdict {
  if (!dashboard || !widgets)
    return fail(
      `There is no ${LAB.dashboardName} dashboard, so no widget ${ROLE_TEXT[role]}.`,
      CREATE_DASHBOARD,
    );
  const evidence = widgets.map(summary);
  const match = widgets.find((w) => w.roles.includes(role));
  if (match)
    return pass(
      `Widget ${match.index + 1}${titled(match)} of ${judgedName(dashboard)} ${ROLE_TEXT[role]}.`,
      evidence,
    );
  const unread = widgets.filter((w) => w.otherLanguage);
  if (unread.length) {
    return inconclusive(
      `No widget of ${judgedName(dashboard)} the grader can read ${ROLE_TEXT[role]}; ${unread.map((w) => `widget ${w.index + 1}${titled(w)} is written in ${w.otherLanguage}`).join(', ')}, which the grader does not read yet.`,
      'instructor',
      evidence,
    );
  }
  const elsewhere = widgets.filter(
    (w) => w.type === 'log' && w.queryRequest && !w.sources.some((g) => groups.includes(g)),
  );
  if (elsewhere.length) {
    return fail(
      `No widget of ${judgedName(dashboard)} ${ROLE_TEXT[role]} from ${[...new Set(groups)].join(' or ')}: ${quantity(elsewhere.length, 'log widget')} ${elsewhere.length === 1 ? 'reads' : 'read'} other log groups (${[...new Set(elsewhere.flatMap(sourcesRead))].join(', ')}).`,
      `Point the widget's query at the invocation log group (${[...new Set(groups)].join(' or ')}). ${ROLE_HINT[role]}`,
      evidence,
    );
  }
  return fail(
    `No widget of ${judgedName(dashboard)} ${ROLE_TEXT[role]} from the invocation log group or AWS/Bedrock metrics (it has ${quantity(widgets.length, 'widget')}).`,
    ROLE_HINT[role],
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
    otherLanguage: w.otherLanguage,
  };
}

/** What running one widget's query or metrics gave. */
export interface WidgetData {
  index: number;
  title?: string;
  type: string;
  /** Log groups a log widget reads. */
  sources: string[];
  roles: WidgetRole[];
  error?: string;
  /** Why the grader could not finish loading it (a query still running when the wait ran out). */
  unfinished?: string;
  /** Rows (log widgets) or datapoints (metric widgets). */
  points: number;
  /** Log widgets: aggregate columns that came back with no value in any row (fields the records lack). */
  emptyColumns: string[];
}

export interface DisplayState {
  /** The dashboard judged; undefined when there is none. */
  dashboard: string | undefined;
  /** Why its body could not be read. */
  bodyError?: string;
  data: WidgetData[];
  /** Records Bedrock wrote, per log group the invocations widget reads. */
  provenRecords: Record<string, number>;
  /** When Bedrock's delivery metric may yet vouch for unmatched records (AWS), if it may. */
  metricsDueAtMs?: number;
  strict: boolean;
}

export function checkDisplaysData({
  dashboard,
  bodyError,
  data,
  provenRecords,
  metricsDueAtMs,
  strict,
}: DisplayState): Verdict {
  if (!dashboard)
    return fail(`There is no ${LAB.dashboardName} dashboard to display data.`, CREATE_DASHBOARD);
  const name = judgedName(dashboard);
  if (bodyError) {
    return fail(
      `${name}: ${bodyError}`,
      "Fix the dashboard's source (Actions, View/edit source): it must be valid JSON with a widgets list.",
    );
  }
  const failing = data.filter((d) => d.error);
  if (failing.length) {
    return fail(
      `${failing.length} widget(s) of ${name} fail to load: ${failing.map((d) => `widget ${d.index + 1}: ${d.error}`).join('; ')}.`,
      'Open the dashboard and fix each widget that shows an error: its query must run and its metrics must exist.',
      data,
    );
  }
  const unfinished = data.filter((d) => d.unfinished);
  if (unfinished.length) {
    return inconclusive(
      `The grader could not finish loading ${unfinished.map((d) => `widget ${d.index + 1} (${d.unfinished})`).join(', ')} of ${name} within its wait.`,
      'instructor',
      data,
    );
  }
  const invocations = data.find((d) => d.roles.includes('invocations'));
  if (!invocations) {
    return fail(
      `No widget of ${name} counts invocations, so it cannot show them.`,
      ROLE_HINT.invocations,
      data,
    );
  }
  if (invocations.points === 0) {
    return fail(
      `The invocations widget (widget ${invocations.index + 1} of ${name}) shows no data for the lab window.`,
      'Send the five prompts (Step 2) after logging is on; the widget shows the invocations of its time range.',
      data,
    );
  }
  const proven = invocations.sources.reduce((sum, g) => sum + (provenRecords[g] ?? 0), 0);
  if (invocations.type === 'log' && proven === 0 && metricsDueAtMs !== undefined) {
    return inconclusive(
      `The invocations widget (widget ${invocations.index + 1} of ${name}) reads records Bedrock's delivery metric does not vouch for yet; it can trail by minutes: grade again after ${utcMinute(metricsDueAtMs)}.`,
      'instructor',
      { data, provenRecords },
    );
  }
  if (invocations.type === 'log' && proven === 0) {
    return fail(
      `The invocations widget (widget ${invocations.index + 1} of ${name}) reads ${invocations.sources.join(', ')}, where no record Bedrock wrote is: its ${quantity(invocations.points, 'row')} count other lines.`,
      'Only records Bedrock writes count: with logging on, send the five prompts (Step 2) into the group the widget reads.',
      { data, provenRecords },
    );
  }
  const empty = data.filter((d) => d.emptyColumns.length > 0);
  if (strict && empty.length) {
    return fail(
      `Widgets of ${name} show no values for ${empty.map((d) => d.emptyColumns.join(', ')).join('; ')} (strict mode).`,
      "Name the fields Bedrock's records have: input.inputTokenCount and output.outputTokenCount; latency is in the AWS/Bedrock InvocationLatency metric.",
      data,
    );
  }
  const note = empty.length
    ? ` ${empty.length} widget(s) have columns without values (${empty.flatMap((d) => d.emptyColumns).join(', ')}): the fields they name are not in Bedrock's records.`
    : '';
  return pass(
    `Every widget of ${name} loads and the invocations widget shows ${quantity(invocations.points, 'data point')}.${note}`,
    data,
  );
}
