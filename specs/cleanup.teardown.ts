import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { LabSteps } from '../helpers/lab-steps';
import { test as teardown } from '../fixtures/lab';

teardown('clean up what the run created (LAB_CLEANUP=1)', async ({ aws, settings }) => {
  teardown.skip(!settings.cleanup, 'LAB_CLEANUP is not set: the lab resources stay for inspection.');
  const { Account } = await aws.sts.send(new GetCallerIdentityCommand({}));
  await new LabSteps(aws, settings, Account!).cleanUp();
});
