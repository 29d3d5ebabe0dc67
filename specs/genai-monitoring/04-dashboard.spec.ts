import {
  checkDashboardExists,
  checkDisplaysData,
  checkWidget,
  describeWidgets,
  type WidgetRole,
} from './lab/checks/dashboard';
import { targetLag } from './lab/checks/invocations';
import { metricsDueAt } from './lab/checks/provenance';
import type { LabReader } from './lab/reader';
import { LAB } from './lab/facts';
import { readTogether } from '../../helpers/reads';
import { check, test } from './lab/test';

/**
 * The dashboard judged (the lab's, or one named like it) and its widgets, read against the
 * groups a log widget may count on: the lab's, and the one logging really delivers to.
 */
async function judgedDashboard(reader: LabReader) {
  const groups = [...new Set([LAB.logGroup, await reader.invocationGroup()])];
  const { name, body } = await reader.dashboard();
  const described = body === undefined ? undefined : describeWidgets(body, groups);
  return {
    name,
    groups,
    bodyError: described && 'error' in described ? described.error : undefined,
    widgets: described && 'widgets' in described ? described.widgets : undefined,
  };
}

const widgetCheck =
  (role: WidgetRole) =>
  async ({ reader }: { reader: LabReader }) => {
    const { name, widgets, groups } = await judgedDashboard(reader);
    return checkWidget(name, widgets ?? (name ? [] : undefined), role, groups);
  };

test.describe('Step 4: Create CloudWatch Dashboard', () => {
  test(...check('dashboard.exists', async ({ reader }) => checkDashboardExists(await reader.dashboard())));

  test(...check('dashboard.invocations-widget', widgetCheck('invocations')));
  test(...check('dashboard.tokens-widget', widgetCheck('tokens')));
  test(...check('dashboard.latency-widget', widgetCheck('latency')));

  test(
    ...check('dashboard.displays-data', async ({ reader, settings }) => {
      const { name, bodyError, widgets = [] } = await judgedDashboard(reader);
      const data = name && !bodyError ? await reader.widgetData(widgets) : [];
      const read = data.find((d) => d.roles.includes('invocations'))?.sources ?? [];
      const logs = await readTogether(read.map((group) => reader.invocationLog(group)));
      const lag = targetLag(settings.target).metricMs;
      const due = logs.flatMap((l) => metricsDueAt(l.provenance, lag, Date.now()) ?? []);
      return checkDisplaysData({
        dashboard: name,
        bodyError,
        data,
        // Each delivery Bedrock counted put a real record into the group, whichever it is.
        provenRecords: Object.fromEntries(logs.map((l) => [l.group, l.provenance.accounted.length])),
        metricsDueAtMs: due.length ? Math.max(...due) : undefined,
        strict: settings.strict,
      });
    }),
  );
});
