import { checkDashboardExists, checkIngestionWidget } from './lab/checks';
import { check, test } from './lab/test';

test.describe('Step 2: Chart its ingestion on a dashboard', () => {
  test(
    ...check('dashboard.exists', async ({ reader }) => checkDashboardExists(await reader.dashboardBody())),
  );
  test(
    ...check('dashboard.ingestion-widget', async ({ reader, settings, preflight }) =>
      checkIngestionWidget(await reader.dashboardBody(), {
        region: settings.region,
        accountId: preflight.accountId,
      }),
    ),
  );
});
