import { checkInsightsQuery, checkLogEntries, recordParts } from '../helpers/checks/logs';
import { LAB } from '../helpers/settings';
import { check, note, test } from '../fixtures/lab';

test.describe('Step 3: View Logs in CloudWatch', () => {
  test(
    ...check('logs.entries', async ({ reader, settings }) => {
      const records = await reader.invocationRecords();
      return checkLogEntries(
        records.map(recordParts),
        Math.min(settings.minInvocations, Math.max(records.length, 1)),
      );
    }),
  );

  test(
    ...check('insights.query', async ({ reader }) => {
      if (!(await reader.groupExists(LAB.logGroup))) {
        return checkInsightsQuery({
          status: 'Failed',
          rows: 0,
          recordRows: 0,
          fields: [],
          error: `the log group ${LAB.logGroup} does not exist`,
        });
      }
      const outcome = await reader.runQuery(LAB.step3Query, [LAB.logGroup]);
      if (outcome.status === 'Complete' && !outcome.fields.includes('inputTokenCount')) {
        note(
          'lab-query-fields',
          "The lab's queries name fields Bedrock's records do not have: inputTokenCount and outputTokenCount are input.inputTokenCount and output.outputTokenCount, and @duration exists only for Lambda logs (latency is in the AWS/Bedrock InvocationLatency metric). Their columns stay empty; that costs no points unless LAB_STRICT=1.",
        );
      }
      const { results: _results, ...summary } = outcome;
      return checkInsightsQuery(summary);
    }),
  );
});
