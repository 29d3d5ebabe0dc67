import { LogRetentionSteps } from './lab/steps';
import { test as teardown } from './lab/test';

teardown('clean up what the run created (LAB_CLEANUP=1)', async ({ aws, settings, preflight }) => {
  teardown.skip(!settings.cleanup, 'LAB_CLEANUP is not set: the lab resources stay for inspection.');
  teardown.skip(!!preflight.blocker, `Cleanup deletes nothing here: ${preflight.blocker}`);
  await new LogRetentionSteps(aws, settings.region).cleanUp();
});
