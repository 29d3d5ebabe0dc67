import { GetModelInvocationLoggingConfigurationCommand, type LoggingConfig } from '@aws-sdk/client-bedrock';
import {
  GetDashboardCommand,
  paginateGetMetricData,
  paginateListDashboards,
  paginateListMetrics,
  type Metric,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import {
  DescribeLogGroupsCommand,
  GetQueryResultsCommand,
  type FilteredLogEvent,
  paginateFilterLogEvents,
  StartQueryCommand,
  type ResultField,
} from '@aws-sdk/client-cloudwatch-logs';
import { GetRoleCommand, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import type { AwsClients } from '../../../helpers/aws-clients';
import { classifyAwsError, describeError, isAwsError, isServiceError } from '../../../helpers/aws-errors';
import {
  pickDashboard,
  rowIds,
  searchesBedrock,
  type DashboardFound,
  type WidgetData,
  type WidgetFacts,
} from './checks/dashboard';
import type { RoleState } from './checks/logging';
import { DELIVERY_ACTIONS, invocationStreamArn } from './logging-role';
import { accountForRecords, type MetricSeries, type Provenance, type RecordEvent } from './checks/provenance';
import { CADENCE, poll, PollTimeout } from '../../../helpers/poll';
import { readTogether } from '../../../helpers/reads';
import { LAB } from './facts';
import type { LabSettings } from '../../../helpers/settings';

/** Invocation records carry this marker; the permissions line and hand-written lines don't. */
const RECORD_PATTERN = '{ $.schemaType = "ModelInvocationLog" }';
const MAX_RECORDS = 10_000;
/** The plain-text line Bedrock writes into the group when logging is switched on. */
const PERMISSIONS_CONFIRMATION = 'Permissions are correctly set for Amazon Bedrock logs.';
/** A query's statuses before it ends: Complete, Failed, Cancelled, Timeout or Unknown. */
const QUERY_UNDER_WAY = new Set(['Scheduled', 'Running']);
// Bedrock publishes its metrics at one-minute resolution: the finest period that tells when.
const METRIC_PERIOD_S = 60;
// A metric widget's rows are read in five-minute periods, a dashboard's default period.
const WIDGET_PERIOD_S = 300;

/** A Logs Insights query as the grader ran it. */
export interface QueryRun {
  status: string;
  rows: number;
  /** The fields any row carries, `@ptr` left out. */
  fields: string[];
  results: ResultField[][];
}

/** The invocation records of one log group, and which of them Bedrock wrote. */
export interface InvocationLog {
  group: string;
  records: RecordEvent[];
  /** True when the group held more records than the grader reads (MAX_RECORDS). */
  truncated: boolean;
  /** When Bedrock first confirmed logging into this group (its permissions line), if it did. */
  loggingSinceMs: number | undefined;
  deliveries: MetricSeries;
  provenance: Provenance;
}

/**
 * The ModelId a metric carries for a model a record names: an inference profile's ARN is logged
 * in full, its metrics carry the profile's id (docs/aws-behaviours.md, "AWS/Bedrock metrics").
 */
function metricModelId(modelId: string): string {
  return modelId.replace(/^arn:aws[\w-]*:bedrock:[^:]*:\d*:(inference-profile|foundation-model)\//, '');
}

/** A metric's sum per period, as GetMetricData takes it. */
function metricSum(id: MetricDataQuery['Id'], metric: Metric, periodS: number): MetricDataQuery {
  return { Id: id, MetricStat: { Metric: metric, Period: periodS, Stat: 'Sum' } };
}

/**
 * Everything the grader reads from an account, read-only. Checks get what it returns; they
 * never call AWS themselves.
 */
export class LabReader {
  constructor(
    private readonly aws: AwsClients,
    private readonly settings: LabSettings,
    readonly accountId: string,
  ) {}

  private readonly cache = new Map<string, Promise<unknown>>();

  /** Several checks judge the same state: read it once per worker. */
  private once<T>(key: string, read: () => Promise<T>): Promise<T> {
    let pending = this.cache.get(key) as Promise<T> | undefined;
    if (!pending) {
      pending = read();
      this.cache.set(key, pending);
      // A failed read is not remembered: the next check tries again.
      pending.catch(() => this.cache.delete(key));
    }
    return pending;
  }

  get window(): { startMs: number; endMs: number } {
    return { startMs: this.settings.since, endMs: Date.now() };
  }

  loggingConfig(): Promise<LoggingConfig | undefined> {
    return this.once('loggingConfig', async () => {
      const output = await this.aws.bedrock.send(new GetModelInvocationLoggingConfigurationCommand({}));
      return output.loggingConfig;
    });
  }

  async groupExists(name: string): Promise<boolean> {
    const { logGroups = [] } = await this.aws.logs.send(
      new DescribeLogGroupsCommand({ logGroupNamePrefix: name }),
    );
    return logGroups.some((g) => g.logGroupName === name);
  }

  async roleState(config: LoggingConfig | undefined): Promise<RoleState> {
    const roleArn = config?.cloudWatchConfig?.roleArn;
    const groupName = config?.cloudWatchConfig?.logGroupName ?? LAB.logGroup;
    const { region } = this.settings;
    const state: RoleState = {
      roleArn,
      trustPolicy: undefined,
      permissions: {},
      accountId: this.accountId,
      region,
      groupName,
    };
    if (!roleArn) return state;
    const roleName = roleArn.split('/').at(-1)!;
    try {
      const { Role } = await this.aws.iam.send(new GetRoleCommand({ RoleName: roleName }));
      // IAM returns policy documents URL-encoded.
      state.trustPolicy = decodeURIComponent(Role?.AssumeRolePolicyDocument ?? '');
    } catch (error) {
      if (isAwsError(error, 'NoSuchEntity')) return state;
      throw error;
    }
    const stream = invocationStreamArn(region, this.accountId, groupName);
    const { EvaluationResults = [] } = await this.aws.iam.send(
      new SimulatePrincipalPolicyCommand({
        PolicySourceArn: roleArn,
        ActionNames: [...DELIVERY_ACTIONS],
        ResourceArns: [stream],
      }),
    );
    for (const result of EvaluationResults) {
      if (result.EvalActionName) {
        state.permissions[result.EvalActionName] = result.EvalDecision as RoleState['permissions'][string];
      }
    }
    return state;
  }

  /** The group invocation logging delivers to, or the lab's when logging names none: what Steps 2-4 are judged on. */
  async invocationGroup(): Promise<string> {
    return (await this.loggingConfig())?.cloudWatchConfig?.logGroupName ?? LAB.logGroup;
  }

  /**
   * The invocation records in `group` over the window, judged by what the learner cannot write
   * (checks/provenance.ts). Read once per worker unless `fresh`.
   */
  invocationLog(group: string, fresh = false): Promise<InvocationLog> {
    const read = () => this.readInvocationLog(group);
    return fresh ? read() : this.once(`invocationLog:${group}`, read);
  }

  private async readInvocationLog(group: string): Promise<InvocationLog> {
    const [events, confirmations, deliveries] = await readTogether([
      this.events(group, RECORD_PATTERN),
      this.events(group, `"${PERMISSIONS_CONFIRMATION}"`),
      this.bedrockMetric('ModelInvocationLogsCloudWatchDeliverySuccess'),
    ]);
    const records: RecordEvent[] = [];
    for (const event of events) {
      try {
        const record = JSON.parse(event.message ?? '') as unknown;
        if (record && typeof record === 'object' && !Array.isArray(record)) {
          records.push({
            record: record as Record<string, unknown>,
            ingestionTime: event.ingestionTime ?? 0,
            timestamp: event.timestamp ?? 0,
            stream: event.logStreamName ?? '',
          });
        }
      } catch {
        // A line that only looks like a record is not one.
      }
    }
    const switchedOn = confirmations
      .filter((e) => e.message?.trim() === PERMISSIONS_CONFIRMATION)
      .map((e) => e.ingestionTime ?? Infinity);
    return {
      group,
      records,
      truncated: events.length >= MAX_RECORDS,
      loggingSinceMs: switchedOn.length ? Math.min(...switchedOn) : undefined,
      deliveries,
      provenance: accountForRecords(records, deliveries, {
        accountId: this.accountId,
        region: this.settings.region,
      }),
    };
  }

  /** Events of `group` over the window that match `filterPattern`; none when the group is missing. */
  private async events(group: string, filterPattern: string): Promise<FilteredLogEvent[]> {
    const events: FilteredLogEvent[] = [];
    const pages = paginateFilterLogEvents(
      { client: this.aws.logs },
      { logGroupName: group, filterPattern, startTime: this.window.startMs, endTime: this.window.endMs },
    );
    try {
      for await (const page of pages) {
        events.push(...(page.events ?? []));
        if (events.length >= MAX_RECORDS) break;
      }
    } catch (error) {
      if (isAwsError(error, 'ResourceNotFoundException')) return [];
      throw error;
    }
    return events.slice(0, MAX_RECORDS);
  }

  /**
   * An AWS/Bedrock metric over the window in periods of a minute. By model, the series read are
   * those ListMetrics lists plus those `modelIds` name: ListMetrics may take up to 15 minutes to
   * list a new series, GetMetricData does not wait for it. Without models, the undimensioned
   * series (Bedrock's delivery metrics).
   */
  async bedrockMetric(metricName: string, modelIds?: readonly string[]): Promise<MetricSeries> {
    const dimensionSets: { Name: string; Value: string }[][] = [];
    if (modelIds) {
      const models = new Set(modelIds.map(metricModelId));
      const pages = paginateListMetrics(
        { client: this.aws.cloudwatch },
        { Namespace: 'AWS/Bedrock', MetricName: metricName },
      );
      for await (const page of pages) {
        for (const metric of page.Metrics ?? []) {
          const dims = metric.Dimensions ?? [];
          if (dims.length === 1 && dims[0]!.Name === 'ModelId' && dims[0]!.Value) models.add(dims[0]!.Value);
        }
      }
      for (const model of models) dimensionSets.push([{ Name: 'ModelId', Value: model }]);
    } else {
      dimensionSets.push([]);
    }
    const series: MetricSeries = { periodMs: METRIC_PERIOD_S * 1000, points: [] };
    if (dimensionSets.length === 0) return series;
    const sums = new Map<number, number>();
    const points = await this.metricPoints(
      dimensionSets.map((Dimensions, i) =>
        metricSum(`m${i}`, { Namespace: 'AWS/Bedrock', MetricName: metricName, Dimensions }, METRIC_PERIOD_S),
      ),
    );
    for (const p of points)
      if (p.value > 0) sums.set(p.timestampMs, (sums.get(p.timestampMs) ?? 0) + p.value);
    series.points = [...sums]
      .map(([startMs, value]) => ({ startMs, value }))
      .sort((a, b) => a.startMs - b.startMs);
    return series;
  }

  private async metricPoints(
    queries: MetricDataQuery[],
  ): Promise<{ id: string; timestampMs: number; value: number }[]> {
    const points: { id: string; timestampMs: number; value: number }[] = [];
    const pages = paginateGetMetricData(
      { client: this.aws.cloudwatch },
      {
        MetricDataQueries: queries,
        StartTime: new Date(this.window.startMs),
        EndTime: new Date(this.window.endMs),
      },
    );
    for await (const page of pages) {
      for (const result of page.MetricDataResults ?? []) {
        (result.Values ?? []).forEach((value, i) =>
          points.push({ id: result.Id ?? '', timestampMs: result.Timestamps?.[i]?.getTime() ?? 0, value }),
        );
      }
    }
    return points;
  }

  /** Runs a Logs Insights query over the window and waits for it within the ingestion budget. */
  async runQuery(queryString: string, logGroupNames?: string[]): Promise<QueryRun> {
    const { queryId } = await this.aws.logs.send(
      new StartQueryCommand({
        ...(logGroupNames && { logGroupNames }),
        queryString,
        startTime: Math.floor(this.window.startMs / 1000),
        endTime: Math.ceil(this.window.endMs / 1000),
      }),
    );
    // Until the query ends or the budget runs out: the last status read says how far it got. A
    // read that fails (denied, throttled past the SDK's retries) is the check's error to explain.
    let answer: { status?: string; results?: ResultField[][] } = { status: 'Scheduled' };
    await poll(
      async () => (answer = await this.aws.logs.send(new GetQueryResultsCommand({ queryId }))),
      (read) => !QUERY_UNDER_WAY.has(read.status ?? 'Unknown'),
      {
        timeoutMs: this.settings.ingestionTimeoutSec * 1000,
        intervals: CADENCE.queryStatus(this.settings.target),
        what: `the Logs Insights query ${queryId} to end`,
      },
    ).catch((error: unknown) => {
      if (!(error instanceof PollTimeout)) throw error;
    });
    const status = answer.status ?? 'Unknown';
    const results = answer.results ?? [];
    const fields = [...new Set(results.flatMap((row) => row.map((f) => f.field ?? '')))].filter(
      (f) => f !== '@ptr',
    );
    return { status, rows: results.length, fields, results };
  }

  /** The lab's dashboard, or one whose name differs only in case or spacing (pickDashboard). */
  dashboard(): Promise<DashboardFound> {
    return this.once('dashboard', () => this.readDashboard());
  }

  private async readDashboard(): Promise<DashboardFound> {
    const names: string[] = [];
    for await (const page of paginateListDashboards({ client: this.aws.cloudwatch }, {})) {
      names.push(...(page.DashboardEntries ?? []).map((d) => d.DashboardName ?? ''));
    }
    const name = pickDashboard(names);
    if (!name) return { names };
    const { DashboardBody } = await this.aws.cloudwatch.send(
      new GetDashboardCommand({ DashboardName: name }),
    );
    return { name, body: DashboardBody, names };
  }

  /** Loads every widget as the dashboard would, over the lab window. */
  async widgetData(widgets: WidgetFacts[]): Promise<WidgetData[]> {
    return readTogether(widgets.map((w) => this.loadWidget(w)));
  }

  private async loadWidget(w: WidgetFacts): Promise<WidgetData> {
    const data: WidgetData = {
      index: w.index,
      title: w.title,
      type: w.type,
      sources: w.sources,
      roles: w.roles,
      points: 0,
      emptyColumns: [],
    };
    try {
      if (w.type === 'log') {
        if (w.otherLanguage)
          return {
            ...data,
            unfinished: `it is written in ${w.otherLanguage}, which the grader does not run yet`,
          };
        if (w.queryError || !w.query) return { ...data, error: w.queryError ?? 'the widget has no query' };
        const { queryString, logGroupNames } = w.queryRequest ?? { queryString: w.query };
        const outcome = await this.runQuery(queryString, logGroupNames);
        if (outcome.status === 'Failed' || outcome.status === 'Cancelled') {
          return { ...data, error: `its query ended ${outcome.status}` };
        }
        if (outcome.status !== 'Complete')
          return { ...data, unfinished: `its query was still ${outcome.status}` };
        data.points = outcome.rows;
        const columns = w.analysis?.aggregates.map((a) => a.outputName) ?? [];
        data.emptyColumns = outcome.rows > 0 ? columns.filter((c) => !outcome.fields.includes(c)) : [];
      } else if (w.type === 'metric') {
        const ids = rowIds(w);
        const queries: MetricDataQuery[] = [
          ...w.metrics.map((m, i) =>
            metricSum(
              ids.metrics[i],
              {
                Namespace: m.namespace,
                MetricName: m.metricName,
                Dimensions: Object.entries(m.dimensions).map(([Name, Value]) => ({ Name, Value })),
              },
              WIDGET_PERIOD_S,
            ),
          ),
          ...w.expressions.map(({ expression }, i) => ({
            Id: ids.expressions[i],
            Expression: expression,
            Period: WIDGET_PERIOD_S,
          })),
        ];
        // Only what Bedrock published shows invocations: a row on the learner's own namespace, or
        // math over it, could draw anything.
        const bedrock = new Set([
          ...w.metrics.flatMap((m, i) => (m.namespace === 'AWS/Bedrock' ? [ids.metrics[i]!] : [])),
          ...w.expressions.flatMap((e, i) => (searchesBedrock(e.expression) ? [ids.expressions[i]!] : [])),
        ]);
        if (queries.length)
          data.points = (await this.metricPoints(queries)).filter((p) => bedrock.has(p.id)).length;
      }
    } catch (error) {
      // The grader's own trouble (throttled, denied, unreachable, or an error AWS never sent) is
      // not the widget's: only a service's answer to the widget's own query or metrics is.
      if (classifyAwsError(error) !== 'learner' || !isServiceError(error)) throw error;
      return { ...data, error: describeError(error) };
    }
    return data;
  }
}
