import {
  checkInvocationCount,
  mayStillArrive,
  targetLag,
  type InvocationState,
} from './lab/checks/invocations';
import { sumOf } from './lab/checks/provenance';
import { CADENCE, lastRead, poll } from '../../helpers/poll';
import { LAB } from './lab/facts';
import { check, note, test } from './lab/test';

test.describe('Step 2: Generate Sample Invocations', () => {
  test(
    ...check('invocations.count', async ({ reader, settings }) => {
      const group = await reader.invocationGroup();
      const loggingOn = (await reader.loggingConfig())?.cloudWatchConfig?.logGroupName !== undefined;
      const read = async (fresh: boolean) => {
        const log = await reader.invocationLog(group, fresh);
        // The models the records name find Bedrock's series before ListMetrics lists them.
        const named = log.records.map((r) => String(r.record.modelId ?? ''));
        return { log, invocations: await reader.bedrockMetric('Invocations', named) };
      };
      const firstReadAt = Date.now();
      let current = await read(false);
      const firstRead = { atMs: firstReadAt, invocations: sumOf(current.invocations) };
      const stateOf = ({ log, invocations }: typeof current): InvocationState => ({
        group,
        loggingOn,
        accounted: log.provenance.accounted.length,
        rejected: log.provenance.rejected,
        newestUnmatchedMs: log.provenance.newestUnmatchedMs,
        invocations,
        deliveryFailures: 0,
        modelIds: [...new Set(log.provenance.accounted.map((e) => String(e.record.modelId)))],
        min: settings.minInvocations,
        loggingSinceMs: log.loggingSinceMs,
        lag: targetLag(settings.target),
        callsJustMade: settings.mode === 'run',
        firstRead,
        nowMs: Date.now(),
      });
      // Records and metrics trail the calls: wait only while what is missing may still arrive. A
      // read that fails (throttled, denied) is the grader's trouble, not an exhausted wait: it ends the check.
      if (mayStillArrive(stateOf(current))) {
        current = await poll(
          () => read(true),
          (next) => !mayStillArrive(stateOf(next)),
          {
            timeoutMs: settings.ingestionTimeoutSec * 1000,
            intervals: CADENCE.trailing,
            what: 'the invocation records and metrics',
          },
        ).catch(lastRead<typeof current>);
      }
      const verdictState = {
        ...stateOf(current),
        deliveryFailures: sumOf(await reader.bedrockMetric('ModelInvocationLogsCloudWatchDeliveryFailure')),
      };
      if (!verdictState.modelIds.some((id) => id.includes(LAB.modelId))) {
        note(
          'lab-model-end-of-life',
          // A note is said once for a whole class: it carries no learner's text (the finding names their models).
          `The lab's model ${LAB.modelId} has reached end of life; invocations of any model count.`,
        );
      }
      return checkInvocationCount(verdictState);
    }),
  );
});
