import { cloudWatchAccess } from './access';
import * as cloudWatchModel from '@aws-sdk/client-cloudwatch';
import type {
  Datapoint,
  DeleteDashboardsCommandInput,
  DeleteDashboardsCommandOutput,
  GetDashboardCommandInput,
  GetDashboardCommandOutput,
  GetMetricDataCommandInput,
  GetMetricDataCommandOutput,
  GetMetricStatisticsCommandInput,
  GetMetricStatisticsCommandOutput,
  ListDashboardsCommandInput,
  ListDashboardsCommandOutput,
  ListMetricsCommandInput,
  ListMetricsCommandOutput,
  MessageData,
  MetricDataQuery,
  MetricDataResult,
  MetricDatum,
  PutDashboardCommandInput,
  PutDashboardCommandOutput,
  PutMetricDataCommandInput,
  PutMetricDataCommandOutput,
  StandardUnit,
} from '@aws-sdk/client-cloudwatch';
import { registerQueryCompatibleErrors } from '../protocols/aws-json';
import { AwsError, rejectUnsupported } from '../protocols/errors';
import { pageToken } from '../protocols/page-token';
import type { RequestContext, ServiceDefinition } from '../service';
import type { CloudWatchBackend } from './backend';
import { checkDashboardBody } from './dashboard-body';
import {
  dashboardInvalid,
  dashboardNotFound,
  invalidCombination,
  invalidParameter,
  invalidValue,
  missingParameter,
} from './errors';
import { ExpressionError, type TimeSeries, evaluate, parseExpression } from './expressions';
import { optionalBoolean, optionalNumber, optionalTime, list, requiredNumber, requiredString } from './input';
import {
  type Dimension,
  type MetricIdentity,
  type Observation,
  bucketize,
  isPercentile,
  isSupportedStatistic,
  statistic,
  unitsOf,
} from './metrics';
import { nowMs } from '../tape';

type Output<T> = Omit<T, '$metadata'>;

/*
 * The model's constraints (required members, lengths, list sizes, enums such as Unit and
 * Statistics, Period's minimum) are checked before any handler runs
 * (protocols/input-constraints.ts), with CloudWatch's own wording. The checks here are those AWS
 * makes that the model does not state.
 */

const backend = (ctx: RequestContext): CloudWatchBackend => ctx.world.cloudwatch.get(ctx.accountId);

// Over JSON, an error's body names the model's shape for its Query code.
registerQueryCompatibleErrors(cloudWatchModel);

// ---- dashboards (global per account) ----

const DASHBOARD_NAME = /^[A-Za-z0-9_-]+$/;

function putDashboard(
  input: PutDashboardCommandInput,
  ctx: RequestContext,
): Output<PutDashboardCommandOutput> {
  const name = String(input.DashboardName);
  const body = String(input.DashboardBody);
  if (!DASHBOARD_NAME.test(name)) {
    throw invalidValue(
      // AWS's text ends with a line break (recorded).
      'The value for field DashboardName contains invalid characters. It can only contain alphanumerics, dash (-) and underscore (_).\n',
    );
  }
  // UNVERIFIED text: AWS documents the 255 limit, not the message.
  if (name.length > 255)
    throw invalidValue('The value for field DashboardName must be at most 255 characters long.');
  const { errors, warnings } = checkDashboardBody(body);
  if (errors.length) throw dashboardInvalid(errors);
  backend(ctx).putDashboard(name, body);
  return {
    DashboardValidationMessages: warnings.map((w) => ({ DataPath: w.dataPath, Message: w.message })),
  };
}

function getDashboard(
  input: GetDashboardCommandInput,
  ctx: RequestContext,
): Output<GetDashboardCommandOutput> {
  const name = String(input.DashboardName);
  const cw = backend(ctx);
  const dashboard = cw.getDashboard(name);
  if (!dashboard) throw dashboardNotFound(name);
  return { DashboardArn: cw.dashboardArn(name), DashboardBody: dashboard.body, DashboardName: name };
}

/** Sandbox: no paging; the lab's account holds far fewer than AWS's page of 1000. */
function listDashboards(
  input: ListDashboardsCommandInput,
  ctx: RequestContext,
): Output<ListDashboardsCommandOutput> {
  const cw = backend(ctx);
  return {
    DashboardEntries: cw.listDashboards(input.DashboardNamePrefix ?? '').map((d) => ({
      DashboardName: d.name,
      DashboardArn: cw.dashboardArn(d.name),
      LastModified: d.lastModified,
      Size: Buffer.byteLength(d.body, 'utf8'),
    })),
  };
}

function deleteDashboards(
  input: DeleteDashboardsCommandInput,
  ctx: RequestContext,
): Output<DeleteDashboardsCommandOutput> {
  const names = list(input.DashboardNames);
  const [missing] = backend(ctx).deleteDashboards(names);
  if (missing !== undefined) throw dashboardNotFound(missing);
  return {};
}

// ---- metrics (per region) ----

const TWO_WEEKS_MS = 14 * 24 * 3600 * 1000;
const TWO_HOURS_MS = 2 * 3600 * 1000;

function putMetricData(
  input: PutMetricDataCommandInput,
  ctx: RequestContext,
): Output<PutMetricDataCommandOutput> {
  const namespace = String(input.Namespace);
  if (namespace.startsWith('AWS/')) throw invalidParameter(namespace, 'Namespace');
  const data = list(input.MetricData);
  if (!data.length) throw missingParameter('MetricData');
  // UNVERIFIED: the collection-size texts here and below follow one pattern; the limits are AWS's.
  if (data.length > 1000)
    throw invalidValue('The collection MetricData must not have a size greater than 1000.');
  // Validate everything before storing anything: a refused call changes nothing.
  const observations = data.map((datum, i) => observationOf(datum, namespace, `MetricData.member.${i + 1}`));
  const cw = backend(ctx);
  for (const [identity, observation] of observations) cw.record(ctx.region, identity, observation);
  return {};
}

function observationOf(datum: MetricDatum, namespace: string, at: string): [MetricIdentity, Observation] {
  const metricName = String(datum.MetricName);
  const dimensions = dimensionsOf(datum.Dimensions, `${at}.Dimensions`, true);

  const unit = datum.Unit === undefined || (datum.Unit as string) === '' ? 'None' : String(datum.Unit);

  const now = nowMs();
  const timestamp = optionalTime(datum.Timestamp, `${at}.Timestamp`)?.getTime() ?? now;
  if (timestamp < now - TWO_WEEKS_MS)
    throw invalidValue(`The parameter ${at}.Timestamp must specify a time within the past two weeks.`);
  // UNVERIFIED text for the future side of the window.
  if (timestamp > now + TWO_HOURS_MS)
    throw invalidValue(
      `The parameter ${at}.Timestamp must specify a time no more than two hours in the future.`,
    );

  const value = optionalNumber(datum.Value, `${at}.Value`);
  const values = list(datum.Values).map((v, j) =>
    finite(requiredNumber(v, `${at}.Values.member.${j + 1}`), `${at}.Values.member.${j + 1}`),
  );
  const counts = list(datum.Counts).map((c, j) => requiredNumber(c, `${at}.Counts.member.${j + 1}`));
  const stats = datum.StatisticValues;
  // Value excludes the other two; Values together with StatisticValues AWS accepts (LocalStack's
  // AWS-validated test_put_metric_data_validation). UNVERIFIED which of the two it then counts:
  // here the Values.
  const given = [
    value !== undefined && 'Value',
    values.length > 0 && 'Values',
    stats && 'StatisticValues',
  ].filter((x): x is string => !!x);
  if (value !== undefined && given.length > 1) {
    throw invalidCombination(
      `The parameters ${at}.${given[0]} and ${at}.${given[1]} are mutually exclusive and you have specified both.`,
    );
  }
  const identity = { namespace, metricName, dimensions };

  if (value !== undefined) {
    finite(value, `${at}.Value`);
    return [
      identity,
      { timestamp, sampleCount: 1, sum: value, min: value, max: value, unit, samples: [[value, 1]] },
    ];
  }
  if (values.length) {
    if (values.length > 150)
      throw invalidValue(`The collection ${at}.Values must not have a size greater than 150.`);
    if (counts.length && counts.length !== values.length) {
      // Code and text as recorded against AWS.
      throw invalidValue(`The parameters ${at}.Values and ${at}.Counts must be of the same size.`);
    }
    const samples = values.map((v, j): [number, number] => [v, counts[j] ?? 1]);
    return [
      identity,
      {
        timestamp,
        sampleCount: samples.reduce((n, [, c]) => n + c, 0),
        sum: samples.reduce((s, [v, c]) => s + v * c, 0),
        min: Math.min(...values),
        max: Math.max(...values),
        unit,
        samples,
      },
    ];
  }
  if (stats) {
    const field = (name: 'SampleCount' | 'Sum' | 'Minimum' | 'Maximum') =>
      finite(optionalNumber(stats[name], `${at}.StatisticValues.${name}`)!, `${at}.StatisticValues.${name}`);
    const s = {
      sampleCount: field('SampleCount'),
      sum: field('Sum'),
      min: field('Minimum'),
      max: field('Maximum'),
    };
    if (s.max < s.min)
      throw invalidValue(
        `The parameter ${at}.StatisticValues.Maximum must be greater than ${at}.StatisticValues.Minimum.`,
      );
    if (s.sampleCount <= 0)
      throw invalidValue(`The parameter ${at}.StatisticValues.SampleCount must be greater than 0.`);
    return [identity, { timestamp, ...s, unit }];
  }
  throw missingParameter(`${at}.Value`);
}

function finite(n: number, parameter: string): number {
  if (!Number.isFinite(n)) throw invalidParameter(n, parameter);
  return n;
}

function dimensionsOf(value: unknown, at: string, requireValues: true): Dimension[];
function dimensionsOf(value: unknown, at: string, requireValues: false): { Name: string; Value?: string }[];
function dimensionsOf(
  value: unknown,
  at: string,
  requireValues: boolean,
): { Name: string; Value?: string }[] {
  // The model requires Name, and Value where a dimension is not a filter.
  const dims = list(value as { Name?: string; Value?: string }[] | undefined);
  return dims.map((d) => {
    const name = String(d.Name);
    if (!requireValues && (d.Value === undefined || d.Value === '')) return { Name: name };
    return { Name: name, Value: String(d.Value) };
  });
}

const HIGH_RESOLUTION_PERIODS = [1, 5, 10, 20, 30];

/** The model requires a whole Period of at least 1; CloudWatch also wants a multiple of 60 past 30. */
function periodOf(value: unknown, at: string): number {
  const period = optionalNumber(value, at)!;
  if (!HIGH_RESOLUTION_PERIODS.includes(period) && period % 60 !== 0)
    throw invalidValue(`The parameter ${at} must be a multiple of 60.`);
  return period;
}

function timeRange(input: { StartTime?: unknown; EndTime?: unknown }): [number, number] {
  const start = optionalTime(input.StartTime, 'StartTime')!.getTime();
  const end = optionalTime(input.EndTime, 'EndTime')!.getTime();
  if (start >= end) throw invalidValue('The parameter StartTime must be less than the parameter EndTime.');
  return [start, end];
}

function getMetricStatistics(
  input: GetMetricStatisticsCommandInput,
  ctx: RequestContext,
): Output<GetMetricStatisticsCommandOutput> {
  const namespace = String(input.Namespace);
  const metricName = String(input.MetricName);
  const dimensions = dimensionsOf(input.Dimensions, 'Dimensions', true);
  const [start, end] = timeRange(input);
  const period = periodOf(input.Period, 'Period');
  const statistics = list(input.Statistics).map(String);
  const extended = list(input.ExtendedStatistics);
  if (!statistics.length && !extended.length) {
    throw missingParameter('Statistics or ExtendedStatistics');
  }
  extended.forEach((s, i) => {
    if (!isPercentile(s)) throw invalidParameter(s, `ExtendedStatistics.member.${i + 1}`);
  });
  const requested = Math.ceil((end - start) / (period * 1000));
  if (requested > 1440) {
    throw invalidCombination(
      // Numbers without thousands separators, as recorded.
      `You have requested up to ${requested} datapoints, which exceeds the limit of 1440. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`,
    );
  }
  const unit = input.Unit === undefined ? undefined : String(input.Unit);
  const observations =
    backend(ctx).series(ctx.region, { namespace, metricName, dimensions })?.range(start, end) ?? [];
  const Datapoints = bucketize(observations, period * 1000, unit).map((b): Datapoint => {
    const point: Datapoint = { Timestamp: new Date(b.start), Unit: b.unit as StandardUnit };
    for (const s of statistics) (point as Record<string, unknown>)[s] = statistic(b, s);
    if (extended.length)
      point.ExtendedStatistics = Object.fromEntries(
        extended.flatMap((s) => {
          const v = statistic(b, s);
          return v === undefined ? [] : [[s, v]];
        }),
      );
    return point;
  });
  return { Label: metricName, Datapoints };
}

const QUERY_ID = /^[a-z][a-zA-Z0-9_]*$/;

/**
 * MetricStat queries and arithmetic expressions over them (see expressions.ts). Not emulated,
 * and refused when given: paging (NextToken, and an answer of more datapoints than
 * MaxDatapoints), LabelOptions, an AccountId naming another account.
 */
function getMetricData(
  input: GetMetricDataCommandInput,
  ctx: RequestContext,
): Output<GetMetricDataCommandOutput> {
  rejectUnsupported('monitoring', 'GetMetricData', input, ['NextToken', 'LabelOptions']);
  const queries = list(input.MetricDataQueries);
  // Another account's metrics need cross-account observability: never the caller's own instead.
  queries.forEach((query) => {
    if (query.AccountId !== undefined && query.AccountId !== ctx.accountId) {
      rejectUnsupported('monitoring', 'GetMetricData', query, ['AccountId']);
    }
  });
  if (queries.length > 500)
    throw invalidValue('The collection MetricDataQueries must not have a size greater than 500.');
  const [start, end] = timeRange(input);
  const scanBy = input.ScanBy ?? 'TimestampDescending';

  const byId = new Map<string, { query: MetricDataQuery; at: string }>();
  queries.forEach((query, i) => {
    const at = `MetricDataQueries.member.${i + 1}`;
    const id = query.Id!;
    // UNVERIFIED texts for a bad or repeated id.
    if (!QUERY_ID.test(id)) throw invalidParameter(id, `${at}.Id`);
    if (byId.has(id)) throw invalidValue(`The value ${id} for parameter ${at}.Id is not unique.`);
    if (!!query.MetricStat === !!query.Expression) {
      throw invalidCombination(`Exactly one of ${at}.MetricStat and ${at}.Expression must be specified.`);
    }
    byId.set(id, { query, at });
  });

  const cw = backend(ctx);
  const messages = new Map<string, MessageData[]>();
  const computed = new Map<string, TimeSeries>();
  const inProgress = new Set<string>();
  const seriesOf = (id: string): TimeSeries => {
    const done = computed.get(id);
    if (done) return done;
    const entry = byId.get(id);
    if (!entry) throw new ExpressionError(`Unrecognized metric or expression id '${id}'`);
    if (inProgress.has(id)) throw new ExpressionError(`Circular reference through '${id}'`);
    inProgress.add(id);
    const result = entry.query.MetricStat
      ? metricStatSeries(entry.query, entry.at, cw, ctx.region, start, end, (m) => messages.set(id, [m]))
      : expressionSeries(entry.query, seriesOf);
    inProgress.delete(id);
    computed.set(id, result);
    return result;
  };

  const labelOf = defaultLabels([...byId.values()].map(({ query }) => query));
  const MetricDataResults: MetricDataResult[] = [];
  for (const [id, { query }] of byId) {
    let series: TimeSeries;
    try {
      series = seriesOf(id);
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      // UNVERIFIED: AWS's wording for an expression it cannot evaluate.
      throw new AwsError('ValidationError', `Error in expression '${id}': ${error.message}`);
    }
    if (optionalBoolean(query.ReturnData) === false) continue;
    const points = [...series].sort((a, b) => (scanBy === 'TimestampAscending' ? a[0] - b[0] : b[0] - a[0]));
    MetricDataResults.push({
      Id: id,
      Label: query.Label ?? labelOf(query),
      ...(messages.has(id) && { Messages: messages.get(id) }),
      Timestamps: points.map(([t]) => new Date(t)),
      Values: points.map(([, v]) => v),
      StatusCode: 'Complete',
    });
  }
  const maxDatapoints = optionalNumber(input.MaxDatapoints, 'MaxDatapoints');
  const datapoints = MetricDataResults.reduce((n, r) => n + r.Values!.length, 0);
  if (maxDatapoints !== undefined && datapoints > maxDatapoints) {
    throw new AwsError(
      'NotImplementedException',
      `The lab sandbox does not implement paging of monitoring:GetMetricData: the answer holds ${datapoints} datapoints, more than MaxDatapoints (${maxDatapoints}).`,
      501,
    );
  }
  return { MetricDataResults, Messages: [] };
}

/**
 * The label AWS gives a MetricStat query that names none: the metric's name, followed by the
 * query's Stat when the request's MetricStat queries do not all have the same Stat, then by its
 * Period when they do not all have the same Period (`metric1 Sum 60`, `metric1 Minimum`,
 * `metric1 30`). Units never enter it. Recorded against AWS: docs/aws-behaviours.md,
 * "CloudWatch as recorded against AWS". An expression without a label is labelled with its id
 * (UNVERIFIED).
 */
function defaultLabels(queries: readonly MetricDataQuery[]): (query: MetricDataQuery) => string {
  const stats = queries.flatMap((q) => (q.MetricStat ? [q.MetricStat] : []));
  const differ = (member: 'Stat' | 'Period') => new Set(stats.map((s) => String(s[member]))).size > 1;
  const additions = (['Stat', 'Period'] as const).filter(differ);
  return (query) => {
    const stat = query.MetricStat;
    if (!stat) return query.Id!;
    return [String(stat.Metric?.MetricName), ...additions.map((member) => String(stat[member]))].join(' ');
  };
}

function metricStatSeries(
  query: MetricDataQuery,
  at: string,
  cw: CloudWatchBackend,
  region: string,
  start: number,
  end: number,
  onMessage: (message: MessageData) => void,
): TimeSeries {
  const stat = query.MetricStat!;
  const metric = stat.Metric ?? {};
  const identity = {
    namespace: requiredString(metric.Namespace, `${at}.MetricStat.Metric.Namespace`),
    metricName: requiredString(metric.MetricName, `${at}.MetricStat.Metric.MetricName`),
    dimensions: dimensionsOf(metric.Dimensions, `${at}.MetricStat.Metric.Dimensions`, true),
  };
  const period = periodOf(stat.Period, `${at}.MetricStat.Period`);
  const statName = stat.Stat!;
  if (!isSupportedStatistic(statName)) throw invalidParameter(statName, `${at}.MetricStat.Stat`);
  const observations = cw.series(region, identity)?.range(start, end) ?? [];
  let unit = stat.Unit === undefined ? undefined : String(stat.Unit);
  if (unit === undefined) {
    // Without a unit, a query over datapoints of several units reads those of the first.
    const units = unitsOf(observations);
    if (units.length > 1) {
      onMessage({ Code: 'MultipleUnits', Value: `Multiple units returned: '[${units.join(', ')}]'` });
    }
    unit = units[0];
  }
  const out: TimeSeries = new Map();
  for (const bucket of bucketize(observations, period * 1000, unit)) {
    const v = statistic(bucket, statName);
    if (v !== undefined) out.set(bucket.start, v);
  }
  return out;
}

function expressionSeries(query: MetricDataQuery, seriesOf: (id: string) => TimeSeries): TimeSeries {
  const tree = parseExpression(query.Expression!);
  const result = evaluate(tree, seriesOf);
  if (typeof result === 'number')
    throw new ExpressionError('The lab sandbox evaluates only expressions that read at least one metric');
  return result;
}

/**
 * Sandbox: no paging, and every metric stays listed (AWS drops those idle for two weeks). A new
 * metric is listed once the latency profile's listing lag has passed (none by default).
 */
function listMetrics(input: ListMetricsCommandInput, ctx: RequestContext): Output<ListMetricsCommandOutput> {
  const metrics = backend(ctx).listMetrics(ctx.region, {
    namespace: input.Namespace || undefined,
    metricName: input.MetricName || undefined,
    dimensions: dimensionsOf(input.Dimensions, 'Dimensions', false),
    activeSince: input.RecentlyActive ? nowMs() - 3 * 3600 * 1000 : undefined,
    firstPutBy: nowMs() - ctx.world.latency.metricListingMs,
  });
  // AWS answers at most 500 metrics a call, and a NextToken for the rest.
  // UNVERIFIED: AWS's error for a token it did not give.
  const start = pageToken.decode(input.NextToken, () =>
    invalidValue('The value for parameter NextToken is invalid.'),
  );
  return {
    Metrics: metrics.slice(start, start + METRICS_PER_PAGE).map((m) => ({
      Namespace: m.namespace,
      MetricName: m.metricName,
      Dimensions: m.dimensions,
    })),
    ...(start + METRICS_PER_PAGE < metrics.length && {
      NextToken: pageToken.encode(start + METRICS_PER_PAGE),
    }),
  };
}

const METRICS_PER_PAGE = 500;

export const cloudWatchService: ServiceDefinition = {
  access: cloudWatchAccess,
  model: cloudWatchModel,
  name: 'monitoring',
  signingName: 'monitoring',
  actionPrefix: 'cloudwatch',
  json: { targetPrefix: 'GraniteServiceVersion20100801', version: '1.0', queryCompatible: true },
  query: { xmlNamespace: 'http://monitoring.amazonaws.com/doc/2010-08-01/' },
  cbor: { serviceId: 'com.amazonaws.cloudwatch#GraniteServiceVersion20100801', queryCompatible: true },
  operations: {
    PutDashboard: putDashboard,
    GetDashboard: getDashboard,
    ListDashboards: listDashboards,
    DeleteDashboards: deleteDashboards,
    PutMetricData: putMetricData,
    GetMetricData: getMetricData,
    GetMetricStatistics: getMetricStatistics,
    ListMetrics: listMetrics,
  },
  readOnly: new Set([
    'GetDashboard',
    'ListDashboards',
    'GetMetricData',
    'GetMetricStatistics',
    'ListMetrics',
  ]),
};
