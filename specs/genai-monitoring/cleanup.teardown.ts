import { LabSteps } from './lab/steps';
import { test as teardown } from './lab/test';

teardown('clean up what the run created (LAB_CLEANUP=1)', async ({ aws, settings, preflight }) => {
  teardown.skip(!settings.cleanup, 'LAB_CLEANUP is not set: the lab resources stay for inspection.');
  if (preflight.blocker || !preflight.accountId) {
    throw new Error(`Cleanup deletes nothing here: ${preflight.blocker ?? 'the account is unknown'}`);
  }
  await new LabSteps(aws, settings, preflight.accountId).cleanUp();
});
