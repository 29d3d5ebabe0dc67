import { consoleCheck, consolePageTest as test } from '../lab/test';
import { BedrockSettingsPage } from '../lab/console/bedrock-settings-page';
import { judgeBedrockSettings } from '../lab/console/verdicts';

test.describe('Step 1 in the console: Bedrock settings', () => {
  test(
    ...consoleCheck('console.bedrock-settings', async ({ page, settings }) => {
      const settingsPage = new BedrockSettingsPage(page, settings);
      await settingsPage.open();
      return judgeBedrockSettings(await settingsPage.read(), settings.region);
    }),
  );
});
