import { GetModelInvocationLoggingConfigurationCommand, type LoggingConfig } from '@aws-sdk/client-bedrock';
import {
  GetDashboardCommand,
  paginateGetMetricData,
  paginateListDashboards,
  paginateListMetrics,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import {
  DescribeLogGroupsCommand,
  GetQueryResultsCommand,
  paginateFilterLogEvents,
  StartQueryCommand,
  type ResultField,
} from '@aws-sdk/client-cloudwatch-logs';
import { GetRoleCommand, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { expect } from '@playwright/test';
import type { AwsClients } from './aws-clients';
import { classifyAwsError, describeError, isAwsError, isServiceError } from './aws-errors';
import type { WidgetData, WidgetFacts } from './checks/dashboard';
import { DELIVERY_ACTIONS, type RoleState } from './checks/logging';
import type { QueryOutcome } from './checks/logs';
import { LAB, type LabSettings } from './settings';

/** Invocation records carry this marker; the permissions line and hand-written lines don't. */
const RECORD_PATTERN = '{ $.schemaType = "ModelInvocationLog" }';
const MAX_RECORDS = 10_000;
const METRIC_PERIOD_S = 300; // fine enough to tell when the last invocations were counted

export interface MetricTotal {
  sum: number;
  lastPeriodEndMs: number | undefined;
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
    const stream = `arn:aws:logs:${region}:${this.accountId}:log-group:${groupName}:log-stream:${LAB.logStream}`;
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

  /** Invocation log records in the lab group within the window, parsed. */
  async invocationRecords(): Promise<Record<string, unknown>[]> {
    const records: Record<string, unknown>[] = [];
    const pages = paginateFilterLogEvents(
      { client: this.aws.logs },
      {
        logGroupName: LAB.logGroup,
        filterPattern: RECORD_PATTERN,
        startTime: this.window.startMs,
        endTime: this.window.endMs,
      },
    );
    try {
      for await (const page of pages) {
        for (const event of page.events ?? []) {
          try {
            records.push(JSON.parse(event.message ?? '') as Record<string, unknown>);
          } catch {
            // A line that only looks like a record is not one.
          }
        }
        if (records.length >= MAX_RECORDS) break;
      }
    } catch (error) {
      if (isAwsError(error, 'ResourceNotFoundException')) return [];
      throw error;
    }
    return records;
  }

  /**
   * An AWS/Bedrock metric over the window, across every ModelId or undimensioned: its sum, and
   * when the newest 5-minute period holding any of it ended (undefined when there is none).
   */
  async bedrockMetric(metricName: string, byModel: boolean): Promise<MetricTotal> {
    const dimensionSets: { Name: string; Value: string }[][] = [];
    if (byModel) {
      const pages = paginateListMetrics(
        { client: this.aws.cloudwatch },
        { Namespace: 'AWS/Bedrock', MetricName: metricName },
      );
      for await (const page of pages) {
        for (const metric of page.Metrics ?? []) {
          const dims = (metric.Dimensions ?? []).map((d) => ({ Name: d.Name!, Value: d.Value! }));
          if (dims.length === 1 && dims[0]!.Name === 'ModelId') dimensionSets.push(dims);
        }
      }
    } else {
      dimensionSets.push([]);
    }
    if (dimensionSets.length === 0) return { sum: 0, lastPeriodEndMs: undefined };
    const points = await this.metricPoints(
      dimensionSets.map((Dimensions, i) => ({
        Id: `m${i}`,
        MetricStat: {
          Metric: { Namespace: 'AWS/Bedrock', MetricName: metricName, Dimensions },
          Period: METRIC_PERIOD_S,
          Stat: 'Sum',
        },
      })),
    );
    const counted = points.filter((p) => p.value > 0);
    return {
      sum: counted.reduce((sum, p) => sum + p.value, 0),
      lastPeriodEndMs: counted.length
        ? Math.max(...counted.map((p) => p.timestampMs)) + METRIC_PERIOD_S * 1000
        : undefined,
    };
  }

  private async metricPoints(queries: MetricDataQuery[]): Promise<{ timestampMs: number; value: number }[]> {
    const points: { timestampMs: number; value: number }[] = [];
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
          points.push({ timestampMs: result.Timestamps?.[i]?.getTime() ?? 0, value }),
        );
      }
    }
    return points;
  }

  /** Runs a Logs Insights query over the window and waits for it within the ingestion budget. */
  async runQuery(
    queryString: string,
    logGroupNames?: string[],
  ): Promise<QueryOutcome & { results: ResultField[][] }> {
    const { queryId } = await this.aws.logs.send(
      new StartQueryCommand({
        ...(logGroupNames && { logGroupNames }),
        queryString,
        startTime: Math.floor(this.window.startMs / 1000),
        endTime: Math.ceil(this.window.endMs / 1000),
      }),
    );
    let status = 'Scheduled';
    let results: ResultField[][] = [];
    try {
      await expect
        .poll(
          async () => {
            const output = await this.aws.logs.send(new GetQueryResultsCommand({ queryId }));
            status = output.status ?? 'Unknown';
            results = output.results ?? [];
            return status;
          },
          {
            timeout: this.settings.ingestionTimeoutSec * 1000,
            // Gentler against AWS, where GetQueryResults allows 5 calls a second per account.
            intervals: this.settings.target === 'aws' ? [1000] : [250, 500],
          },
        )
        .not.toMatch(/^(Scheduled|Running)$/);
    } catch {
      // Still running when the budget ran out: the status says so.
    }
    const fields = [...new Set(results.flatMap((row) => row.map((f) => f.field ?? '')))].filter(
      (f) => f !== '@ptr',
    );
    const recordRows = results.filter((row) => row.some((f) => f.field === 'modelId')).length;
    return { status, rows: results.length, recordRows, fields, results };
  }

  dashboard(): Promise<{ body?: string; names: string[] }> {
    return this.once('dashboard', () => this.readDashboard());
  }

  private async readDashboard(): Promise<{ body?: string; names: string[] }> {
    const names: string[] = [];
    for await (const page of paginateListDashboards({ client: this.aws.cloudwatch }, {})) {
      names.push(...(page.DashboardEntries ?? []).map((d) => d.DashboardName ?? ''));
    }
    if (!names.includes(LAB.dashboardName)) return { names };
    const { DashboardBody } = await this.aws.cloudwatch.send(
      new GetDashboardCommand({ DashboardName: LAB.dashboardName }),
    );
    return { body: DashboardBody, names };
  }

  /** Loads every widget as the dashboard would, over the lab window. */
  async widgetData(widgets: WidgetFacts[]): Promise<WidgetData[]> {
    return Promise.all(widgets.map((w) => this.loadWidget(w)));
  }

  private async loadWidget(w: WidgetFacts): Promise<WidgetData> {
    const data: WidgetData = { index: w.index, title: w.title, roles: w.roles, points: 0, emptyColumns: [] };
    try {
      if (w.type === 'log') {
        if (w.queryError || !w.query) return { ...data, error: w.queryError ?? 'the widget has no query' };
        const outcome = await this.runQuery(w.query);
        if (outcome.status === 'Failed' || outcome.status === 'Cancelled') {
          return { ...data, error: `its query ended ${outcome.status}` };
        }
        if (outcome.status !== 'Complete')
          return { ...data, unfinished: `its query was still ${outcome.status}` };
        data.points = outcome.rows;
        const columns = w.analysis?.aggregates.map((a) => a.outputName) ?? [];
        data.emptyColumns = outcome.rows > 0 ? columns.filter((c) => !outcome.fields.includes(c)) : [];
      } else if (w.type === 'metric') {
        const queries: MetricDataQuery[] = [
          ...w.metrics.map((m, i) => ({
            Id: `m${i}`,
            MetricStat: {
              Metric: {
                Namespace: m.namespace,
                MetricName: m.metricName,
                Dimensions: Object.entries(m.dimensions).map(([Name, Value]) => ({ Name, Value })),
              },
              Period: 300,
              Stat: 'Sum',
            },
          })),
          ...w.expressions.map((Expression, i) => ({ Id: `e${i}`, Expression, Period: 300 })),
        ];
        if (queries.length) data.points = (await this.metricPoints(queries)).length;
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
