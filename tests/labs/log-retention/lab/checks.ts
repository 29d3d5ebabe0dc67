import type { LogGroup } from '@aws-sdk/client-cloudwatch-logs';
import { metricRows, rowMetric, type MetricRow } from '../../../../helpers/dashboard-metrics';
import { fail, pass, type Verdict } from '../../../../helpers/verdict';
import { LAB } from './facts';

/** Pure checks: the state read in, a verdict out. */

export function checkLogGroupExists(group: LogGroup | undefined): Verdict {
  return group
    ? pass(`The log group ${LAB.logGroup} exists.`, { logGroupName: group.logGroupName })
    : fail(
        `There is no log group named ${LAB.logGroup}.`,
        `Create the log group ${LAB.logGroup} (its name exactly, in this Region).`,
      );
}

export function checkRetention(group: LogGroup | undefined): Verdict {
  if (!group)
    return fail(
      `There is no log group named ${LAB.logGroup} to keep events.`,
      `Create ${LAB.logGroup} first.`,
    );
  const days = group.retentionInDays;
  return days === LAB.retentionDays
    ? pass(`${LAB.logGroup} keeps its events for ${days} days.`, { retentionInDays: days })
    : fail(
        days === undefined
          ? `${LAB.logGroup} keeps its events forever (no retention set).`
          : `${LAB.logGroup} keeps its events for ${days} days, not ${LAB.retentionDays}.`,
        `Set the log group's retention to ${LAB.retentionDays} days (Actions > Edit retention setting).`,
        { retentionInDays: days ?? null },
      );
}

export function checkDashboardExists(body: string | undefined): Verdict {
  return body !== undefined
    ? pass(`The dashboard ${LAB.dashboardName} exists.`)
    : fail(
        `There is no dashboard named ${LAB.dashboardName}.`,
        `Create a dashboard named ${LAB.dashboardName}.`,
      );
}

/** Where the grader read the dashboard: a widget must chart the lab's group there. */
export interface Graded {
  region: string;
  accountId?: string;
}

/**
 * True when a row charts the lab's group's IncomingBytes where it was graded, and shows it:
 * AWS/Logs, IncomingBytes, the one dimension LogGroupName naming the group, in the graded Region
 * (the row's, else the widget's) and account, and not hidden.
 */
function chartsIngestion(row: MetricRow, widgetRegion: unknown, graded: Graded): boolean {
  const metric = rowMetric(row);
  const region = row.options?.region ?? widgetRegion ?? graded.region;
  const account = row.options?.accountId;
  return (
    metric?.namespace === 'AWS/Logs' &&
    metric.metricName === 'IncomingBytes' &&
    Object.keys(metric.dimensions).length === 1 &&
    metric.dimensions.LogGroupName === LAB.logGroup &&
    region === graded.region &&
    (account === undefined || account === graded.accountId) &&
    row.options?.visible !== false
  );
}

export function checkIngestionWidget(body: string | undefined, graded: Graded): Verdict {
  if (body === undefined)
    return fail(
      `There is no dashboard named ${LAB.dashboardName} to hold the widget.`,
      `Create ${LAB.dashboardName} first.`,
    );
  let widgets: unknown;
  try {
    widgets = (JSON.parse(body) as { widgets?: unknown } | null)?.widgets;
  } catch {
    return fail(
      `The body of ${LAB.dashboardName} is not JSON.`,
      'Save the dashboard from the console or with PutDashboard.',
    );
  }
  const metricWidgets = (Array.isArray(widgets) ? widgets : []).filter(
    (w): w is { properties?: { metrics?: unknown; region?: unknown } } =>
      (w as { type?: unknown } | null)?.type === 'metric',
  );
  const found = metricWidgets.findIndex((widget) =>
    metricRows(widget.properties?.metrics).some((row) =>
      chartsIngestion(row, widget.properties?.region, graded),
    ),
  );
  return found >= 0
    ? pass(`A metric widget of ${LAB.dashboardName} charts IncomingBytes of ${LAB.logGroup}.`, {
        widget: found + 1,
      })
    : fail(
        `No metric widget of ${LAB.dashboardName} shows AWS/Logs IncomingBytes for LogGroupName ${LAB.logGroup} in ${graded.region} (${metricWidgets.length} metric widgets).`,
        `Add a metric widget: CloudWatch > Logs > Log group metrics > IncomingBytes of ${LAB.logGroup}, in ${graded.region}.`,
        { metricWidgets: metricWidgets.length },
      );
}
