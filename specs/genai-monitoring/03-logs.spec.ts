import { targetLag } from './lab/checks/invocations';
import { checkInsightsQuery, provenRows } from './lab/checks/insights-query';
import { checkLogEntries, recordParts } from './lab/checks/log-entries';
import { metricsDueAt } from './lab/checks/provenance';
import { LAB } from './lab/facts';
import { readTogether } from '../../helpers/reads';
import { check, note, test } from './lab/test';

test.describe('Step 3: View Logs in CloudWatch', () => {
  test(
    ...check('logs.entries', async ({ reader, settings }) => {
      const group = await reader.invocationGroup();
      const { provenance } = await reader.invocationLog(group);
      const records = provenance.accounted.map((e) => recordParts(e.record));
      return checkLogEntries({
        group,
        records,
        contested: provenance.contested.map((e) => recordParts(e.record)),
        rejected: provenance.rejected,
        metricsDueAtMs: metricsDueAt(provenance, targetLag(settings.target).metricMs, Date.now()),
        // Step 3 judges what the records carry; how many there are is Step 2's.
        min: Math.min(settings.minInvocations, Math.max(records.length, 1)),
      });
    }),
  );

  test(
    ...check('insights.query', async ({ reader, settings }) => {
      const group = await reader.invocationGroup();
      const none = { group, rows: 0, recordRows: 0, unprovenRows: 0, fields: [] };
      if (!(await reader.groupExists(group))) {
        return checkInsightsQuery({
          ...none,
          status: 'Failed',
          error: `the log group ${group} does not exist`,
        });
      }
      const [run, { provenance }] = await readTogether([
        reader.runQuery(LAB.step3Query, [group]),
        reader.invocationLog(group),
      ]);
      if (run.status === 'Complete' && !run.fields.includes('inputTokenCount')) {
        note(
          'lab-query-fields',
          "The lab's queries name fields Bedrock's records do not have: inputTokenCount and outputTokenCount are input.inputTokenCount and output.outputTokenCount, and @duration exists only for Lambda logs (latency is in the AWS/Bedrock InvocationLatency metric). Their columns stay empty; that costs no points unless LAB_STRICT=1.",
        );
      }
      const rows = run.results.map((row) => {
        const value = (name: string) => row.find((f) => f.field === name)?.value;
        return { timestamp: value('@timestamp'), modelId: value('modelId') };
      });
      // Bedrock's records are among the counted and the contested ones; at worst, every row a
      // contested record could answer for is a forged one.
      const matched = provenRows(rows, [...provenance.accounted, ...provenance.contested]);
      const forged = Math.min(matched.recordRows, provenance.contested.length);
      return checkInsightsQuery({
        ...none,
        status: run.status,
        rows: run.rows,
        fields: run.fields,
        recordRows: matched.recordRows - forged,
        unprovenRows: matched.unprovenRows + forged,
        metricsDueAtMs: metricsDueAt(provenance, targetLag(settings.target).metricMs, Date.now()),
      });
    }),
  );
});
