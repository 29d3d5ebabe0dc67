import { checkLogGroup, checkLoggingEnabled, checkLoggingRole, checkTextData } from './lab/checks/logging';
import { check, test } from './lab/test';

test.describe('Step 1: Enable Model Invocation Logging', () => {
  test(
    ...check('logging.enabled', async ({ reader, settings }) =>
      checkLoggingEnabled({ config: await reader.loggingConfig(), region: settings.region }),
    ),
  );

  test(
    ...check('logging.log-group', async ({ reader, settings }) => {
      const config = await reader.loggingConfig();
      const group = config?.cloudWatchConfig?.logGroupName;
      return checkLogGroup({
        config,
        region: settings.region,
        groupExists: group ? await reader.groupExists(group) : false,
      });
    }),
  );

  test(
    ...check('logging.text-data', async ({ reader, settings }) =>
      checkTextData({ config: await reader.loggingConfig(), region: settings.region }),
    ),
  );

  test(
    ...check('logging.role', async ({ reader }) =>
      checkLoggingRole(await reader.roleState(await reader.loggingConfig())),
    ),
  );
});
