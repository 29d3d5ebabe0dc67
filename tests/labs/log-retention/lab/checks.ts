import type { LogGroup } from '@aws-sdk/client-cloudwatch-logs';
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

/** A metric widget's series, as the dashboard's JSON writes them: namespace, metric, then dimension pairs. */
type MetricRow = unknown[];

/**
 * True when a row charts the log group's IncomingBytes: AWS/Logs, IncomingBytes, and the
 * dimension LogGroupName naming the lab's group. A `.` repeats the row above at its place; a
 * trailing object holds the row's options.
 */
function chartsIngestion(row: MetricRow, previous: MetricRow | undefined): boolean {
  const [namespace, metric, ...dimensions] = row
    .map((value, i) => (value === '.' ? previous?.[i] : value))
    .filter((value) => typeof value === 'string');
  if (namespace !== 'AWS/Logs' || metric !== 'IncomingBytes') return false;
  for (let i = 0; i + 1 < dimensions.length; i += 2) {
    if (dimensions[i] === 'LogGroupName' && dimensions[i + 1] === LAB.logGroup) return true;
  }
  return false;
}

export function checkIngestionWidget(body: string | undefined): Verdict {
  if (body === undefined)
    return fail(
      `There is no dashboard named ${LAB.dashboardName} to hold the widget.`,
      `Create ${LAB.dashboardName} first.`,
    );
  let widgets: unknown;
  try {
    widgets = (JSON.parse(body) as { widgets?: unknown }).widgets;
  } catch {
    return fail(
      `The body of ${LAB.dashboardName} is not JSON.`,
      'Save the dashboard from the console or with PutDashboard.',
    );
  }
  const metricWidgets = (Array.isArray(widgets) ? widgets : []).filter(
    (w): w is { properties?: { metrics?: unknown } } => (w as { type?: unknown })?.type === 'metric',
  );
  const found = metricWidgets.findIndex((widget) => {
    const rows = widget.properties?.metrics;
    return (
      Array.isArray(rows) &&
      rows.some((row, i) => Array.isArray(row) && chartsIngestion(row, rows[i - 1] as MetricRow))
    );
  });
  return found >= 0
    ? pass(`A metric widget of ${LAB.dashboardName} charts IncomingBytes of ${LAB.logGroup}.`, {
        widget: found + 1,
      })
    : fail(
        `No metric widget of ${LAB.dashboardName} charts AWS/Logs IncomingBytes for LogGroupName ${LAB.logGroup} (${metricWidgets.length} metric widgets).`,
        `Add a metric widget: CloudWatch > Logs > Log group metrics > IncomingBytes of ${LAB.logGroup}.`,
        { metricWidgets: metricWidgets.length },
      );
}
