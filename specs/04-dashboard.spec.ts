import {
  checkDashboardExists,
  checkDisplaysData,
  checkWidget,
  describeWidgets,
} from '../helpers/checks/dashboard';
import type { LabReader } from '../helpers/lab-reader';
import { fail } from '../helpers/verdict';
import { check, test } from '../fixtures/lab';

/** The dashboard's widgets, or undefined when there is no dashboard. */
async function widgetsOf(reader: LabReader) {
  const { body } = await reader.dashboard();
  if (body === undefined) return undefined;
  const described = describeWidgets(body);
  return 'error' in described ? [] : described.widgets;
}

test.describe('Step 4: Create CloudWatch Dashboard', () => {
  test(
    ...check('dashboard.exists', async ({ reader }) => {
      const { body, names } = await reader.dashboard();
      return checkDashboardExists(body !== undefined, names);
    }),
  );

  test(
    ...check('dashboard.invocations-widget', async ({ reader }) =>
      checkWidget(await widgetsOf(reader), 'invocations'),
    ),
  );
  test(
    ...check('dashboard.tokens-widget', async ({ reader }) => checkWidget(await widgetsOf(reader), 'tokens')),
  );
  test(
    ...check('dashboard.latency-widget', async ({ reader }) =>
      checkWidget(await widgetsOf(reader), 'latency'),
    ),
  );

  test(
    ...check('dashboard.displays-data', async ({ reader, settings }) => {
      const { body } = await reader.dashboard();
      if (body !== undefined) {
        const described = describeWidgets(body);
        if ('error' in described) return fail(described.error);
      }
      const widgets = await widgetsOf(reader);
      return checkDisplaysData(widgets && (await reader.widgetData(widgets)), settings.strict);
    }),
  );
});
