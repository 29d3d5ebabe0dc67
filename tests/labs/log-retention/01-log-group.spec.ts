import { checkLogGroupExists, checkRetention } from './lab/checks';
import { check, test } from './lab/test';

test.describe('Step 1: Create the log group with a week’s retention', () => {
  test(...check('log-group.exists', async ({ reader }) => checkLogGroupExists(await reader.logGroup())));
  test(...check('log-group.retention', async ({ reader }) => checkRetention(await reader.logGroup())));
});
