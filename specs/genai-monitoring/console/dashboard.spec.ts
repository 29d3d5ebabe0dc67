import { consoleCheck, consolePageTest as test } from '../lab/test';
import { describeWidgets } from '../lab/checks/dashboard';
import { DashboardPage } from '../lab/console/dashboard-page';
import { judgeDashboard } from '../lab/console/verdicts';
import { LAB } from '../lab/facts';

test.describe('Step 4 in the console: the dashboard', () => {
  test(
    ...consoleCheck('console.dashboard', async ({ page, settings, reader }) => {
      const { name, body } = await reader.dashboard();
      const groups = [...new Set([LAB.logGroup, await reader.invocationGroup()])];
      const described = body === undefined ? undefined : describeWidgets(body, groups);
      const widgets = described && 'widgets' in described ? described.widgets : [];
      const dashboard = new DashboardPage(page, settings);
      if (!name) {
        // Opened all the same, so the screenshot shows what the learner would see.
        await page.goto(dashboard.url(LAB.dashboardName));
        return judgeDashboard({ opened: false, widgets: [], error: 'there is no dashboard by that name' });
      }
      await dashboard.open(name);
      // The console draws widgets in the body's order; the body says which one counts invocations.
      await dashboard.settle();
      // The console opens on the last 3 hours; the lab's window is a week.
      await dashboard.pickRange('1w');
      return judgeDashboard({
        name,
        opened: true,
        widgets: await dashboard.readAll(),
        invocationsIndex: widgets.find((w) => w.roles.includes('invocations'))?.index,
      });
    }),
  );
});
