import type { LabSettings } from '../../../../helpers/settings';
import { quantity, fail, inconclusive, pass, type Verdict } from '../../../../helpers/verdict';
import { metricsDueAt, notCounted, REJECTED, sumOf, utcMinute, type MetricSeries } from './provenance';

/** Step 2 as the grader found it, over the lab window. */
export interface InvocationState {
  /** The group judged: where logging delivers, or the lab's when it names none. */
  group: string;
  /** Whether logging delivers to CloudWatch Logs at all. */
  loggingOn: boolean;
  /** Records in the group that Bedrock wrote (checks/provenance.ts). */
  accounted: number;
  /** Records that do not count, by reason. */
  rejected: Record<string, number>;
  /** Ingestion time of the newest record no delivery metric vouched for, if any. */
  newestUnmatchedMs: number | undefined;
  /** AWS/Bedrock Invocations over every model: only Bedrock can publish it. */
  invocations: MetricSeries;
  /** ModelInvocationLogsCloudWatchDeliveryFailure over the window. */
  deliveryFailures: number;
  /** Models the counted records name, for the message. */
  modelIds: string[];
  min: number;
  /** When Bedrock first confirmed logging into the group, if it did. */
  loggingSinceMs: number | undefined;
  lag: TargetLag;
  /** Run mode made the calls moments ago: their records and metrics may not show yet. */
  callsJustMade: boolean;
  /** When the grader first read Bedrock's counts, and the total it saw then. */
  firstRead: { atMs: number; invocations: number };
  nowMs: number;
}

/** How late records and Bedrock's metrics may arrive after a call. */
export interface TargetLag {
  deliveryMs: number;
  metricMs: number;
}

/**
 * On AWS, invocation records reach the group within minutes of the call (15 is the grader's
 * allowance) and Bedrock's metrics within a few. The sandbox publishes its metrics with the call
 * and delivers records at once, or after 5 s with its realistic latency.
 */
export function targetLag(target: LabSettings['target']): TargetLag {
  return target === 'aws'
    ? { deliveryMs: 15 * 60_000, metricMs: 5 * 60_000 }
    : { deliveryMs: 7_000, metricMs: 0 };
}

/** Invocations Bedrock's metric shows in minutes that ended before logging was switched on. */
function metricInvocationsBeforeLogging(s: InvocationState): number {
  if (s.loggingSinceMs === undefined) return 0;
  const { periodMs, points } = s.invocations;
  return sumOf({ periodMs, points: points.filter((p) => p.startMs + periodMs <= s.loggingSinceMs!) });
}

/**
 * Invocations whose records may still arrive. An invocation Bedrock's metric showed when the
 * grader first read it was made by then, so its record is due by that read plus the delivery lag;
 * one that showed later is due by its minute's end plus the lag. Minutes that ended before
 * logging was on can deliver nothing.
 */
export function invocationsInFlight(s: InvocationState): number {
  const { periodMs, points } = s.invocations;
  const total = sumOf(s.invocations);
  const sinceFirstRead = Math.max(0, total - s.firstRead.invocations);
  const open = points
    .filter((p) => s.loggingSinceMs === undefined || p.startMs + periodMs > s.loggingSinceMs)
    .filter((p) => Math.min(p.startMs + periodMs, s.firstRead.atMs) + s.lag.deliveryMs > s.nowMs)
    .reduce((sum, p) => sum + p.value, 0);
  return Math.min(total, sinceFirstRead + open);
}

/** Unmatched records new enough that Bedrock's delivery metric may not show them yet. */
function unmatchedMayBeLate(s: InvocationState): number {
  const due = metricsDueAt({ newestUnmatchedMs: s.newestUnmatchedMs }, s.lag.metricMs, s.nowMs);
  return due === undefined ? 0 : (s.rejected[REJECTED.unmatched] ?? 0);
}

/** Whether waiting can still change the verdict: what is missing may yet arrive. */
export function mayStillArrive(s: InvocationState): boolean {
  if (s.accounted >= s.min) return false;
  if (s.accounted + unmatchedMayBeLate(s) >= s.min) return true;
  if (s.callsJustMade && s.nowMs < s.firstRead.atMs + s.lag.deliveryMs) return true;
  return sumOf(s.invocations) >= s.min && s.accounted + invocationsInFlight(s) >= s.min;
}

export function checkInvocationCount(s: InvocationState): Verdict {
  const evidence = { ...s };
  const total = sumOf(s.invocations);
  const bedrock = `Bedrock counted ${quantity(total, 'invocation')}`;
  const rejected = notCounted(s.rejected);
  const models = s.modelIds.length ? ` (models: ${s.modelIds.join(', ')})` : '';
  if (s.accounted >= s.min) {
    return pass(
      `${quantity(s.accounted, 'invocation record')} Bedrock wrote are in ${s.group}${models}; ${bedrock}.${rejected}`,
      evidence,
    );
  }
  const late = unmatchedMayBeLate(s);
  if (late > 0 && s.accounted + late >= s.min) {
    return inconclusive(
      `${quantity(late, 'record')} in ${s.group} are newer than Bedrock's delivery metrics, which can trail by minutes: grade again after ${utcMinute(s.newestUnmatchedMs! + s.lag.metricMs)}.`,
      'instructor',
      evidence,
    );
  }
  if (total >= s.min && !s.loggingOn) {
    return fail(
      `${bedrock}, but model invocation logging is off, so none of them was logged.`,
      'Turn on model invocation logging (Step 1), then run the Step 2 script again: only calls made while logging is on are logged.',
      evidence,
    );
  }
  if (total >= s.min && s.deliveryFailures > 0) {
    return fail(
      `${bedrock} but failed to deliver ${quantity(s.deliveryFailures, 'log record')} to ${s.group}; ${s.accounted} arrived.`,
      'Bedrock could not write to the log group: make sure the logging role trusts Bedrock and may write to the group, and that the group exists (Step 1); then send the prompts again.',
      evidence,
    );
  }
  if (mayStillArrive(s)) {
    return inconclusive(
      `${bedrock}; ${quantity(s.accounted, 'record')} reached ${s.group} so far, and more may still arrive: grade again after ${utcMinute(s.firstRead.atMs + s.lag.deliveryMs)}.`,
      'instructor',
      evidence,
    );
  }
  if (total >= s.min) {
    const before = metricInvocationsBeforeLogging(s);
    const why =
      before > 0
        ? `${before} of them were made before logging was switched on (${utcMinute(s.loggingSinceMs!)}), and calls made then are never logged.`
        : s.loggingSinceMs !== undefined
          ? `Logging was switched on at ${utcMinute(s.loggingSinceMs)}: calls made before then are never logged.`
          : 'The others will not be logged now.';
    return fail(
      `${bedrock}, but only ${quantity(s.accounted, 'record')} of them reached ${s.group}. ${why}${rejected}`,
      'Logging records only the calls made while it is on: now that it is on, run the Step 2 script again.',
      evidence,
    );
  }
  if (rejected) {
    return fail(
      `${quantity(s.accounted, 'invocation record')} Bedrock wrote are in ${s.group} (expected at least ${s.min}).${rejected}`,
      'Only records Bedrock writes count: send the five prompts (Step 2) through Bedrock with logging on.',
      evidence,
    );
  }
  return fail(
    `${bedrock}, and ${quantity(s.accounted, 'invocation record')} are in ${s.group}; expected at least ${s.min}.`,
    'Run the Step 2 script after logging is on: it sends the five prompts to a model.',
    evidence,
  );
}
