import { LogRetentionSteps } from './lab/steps';
import { test } from './lab/test';

/** Run mode: carries out the lab in the account under test; grade mode never loads this file. */
test.describe.configure({ mode: 'serial' });

let steps: LogRetentionSteps;

test.beforeAll(({ aws, settings, preflight }) => {
  // Never change an account the preflight could not confirm (the wrong one, or no identity).
  if (preflight.blocker || !preflight.accountId) {
    throw new Error(`Run mode changes nothing here: ${preflight.blocker ?? 'the account is unknown'}`);
  }
  steps = new LogRetentionSteps(aws, settings.region);
});

test('Step 1: create the log group with a 7-day retention', async () => {
  await steps.createLogGroup();
});

test('Step 2: chart its incoming bytes on the App-Logs dashboard', async () => {
  await steps.createDashboard();
});
