import {
  AWS_METRIC_LAG_MS,
  checkInvocationCount,
  recordsMayStillArrive,
  type InvocationState,
} from '../helpers/checks/invocations';
import { LAB } from '../helpers/settings';
import { check, expect, note, test } from '../fixtures/lab';

test.describe('Step 2: Generate Sample Invocations', () => {
  test(
    ...check('invocations.count', async ({ reader, settings }) => {
      const min = settings.minInvocations;
      const read = async () => {
        const [records, invocations] = await Promise.all([
          reader.invocationRecords(),
          reader.bedrockMetric('Invocations', true),
        ]);
        return { records, metricInvocations: invocations.sum, lastPeriodEndMs: invocations.lastPeriodEndMs };
      };
      const settled = () =>
        state.lastPeriodEndMs === undefined ? undefined : Date.now() - state.lastPeriodEndMs;
      const loggingGroup = (await reader.loggingConfig())?.cloudWatchConfig?.logGroupName;
      let state = await read();
      let waitExhausted = false;
      // Records and metrics trail the calls. Wait only when waiting can change the answer: the two
      // disagree (one has arrived before the other), or this run has just made the calls.
      const counted = () => Math.min(state.records.length, state.metricInvocations);
      const waitingCanHelp =
        loggingGroup === LAB.logGroup &&
        recordsMayStillArrive({ invocationsSettledMs: settled() }) &&
        (state.records.length !== state.metricInvocations || settings.mode === 'run');
      if (counted() < min && waitingCanHelp) {
        // A read that failed last (throttled, denied) leaves the state stale: the grader's trouble, not an exhausted wait.
        let lastReadError: unknown;
        await expect
          .poll(
            async () => {
              lastReadError = undefined;
              state = await read().catch((error: unknown) => {
                lastReadError = error;
                throw error;
              });
              return counted();
            },
            { timeout: settings.ingestionTimeoutSec * 1000, intervals: [500, 1000, 2000, 5000] },
          )
          .toBeGreaterThanOrEqual(min)
          .catch(() => {
            if (lastReadError !== undefined) throw lastReadError;
            waitExhausted = true;
          });
      }
      const modelIds = [...new Set(state.records.map((r) => String(r.modelId)))];
      const newest = Math.max(
        ...state.records.map((r) => Date.parse(String(r.timestamp))).filter(Number.isFinite),
      );
      if (!modelIds.some((id) => id.includes(LAB.modelId))) {
        note(
          'lab-model-end-of-life',
          `The lab's model ${LAB.modelId} has reached end of life; invocations of any model count (found: ${modelIds.join(', ') || 'none'}).`,
        );
      }
      const verdictState: InvocationState = {
        records: state.records.length,
        metricInvocations: state.metricInvocations,
        deliveryFailures: (await reader.bedrockMetric('ModelInvocationLogsCloudWatchDeliveryFailure', false))
          .sum,
        modelIds,
        min,
        waitExhausted,
        loggingGroup,
        newestRecordAgeMs: Number.isFinite(newest) ? Date.now() - newest : undefined,
        // The sandbox publishes its metrics with the call itself.
        metricLagMs: settings.target === 'aws' ? AWS_METRIC_LAG_MS : 0,
        invocationsSettledMs: settled(),
      };
      return checkInvocationCount(verdictState);
    }),
  );
});
