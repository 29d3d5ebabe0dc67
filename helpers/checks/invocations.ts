import { LAB } from '../settings';
import { counted, fail, inconclusive, pass, type Verdict } from '../verdict';

/** Step 2 as the grader found it, over the lab window. */
export interface InvocationState {
  /** Invocation log records in the lab's group. */
  records: number;
  /** Sum of AWS/Bedrock Invocations over every model: only Bedrock can publish it. */
  metricInvocations: number;
  /** ModelInvocationLogsCloudWatchDeliveryFailure over the window. */
  deliveryFailures: number;
  /** Models named by the records, for the message. */
  modelIds: string[];
  min: number;
  /** True when the grader stopped waiting for records Bedrock had already counted. */
  waitExhausted: boolean;
  /** The group invocation logging delivers to now, if any. */
  loggingGroup: string | undefined;
  /** How long ago the newest record was written; undefined without records. */
  newestRecordAgeMs: number | undefined;
  /** How late Bedrock's metrics may arrive on this target (minutes on AWS, none on the sandbox). */
  metricLagMs: number;
  /** How long ago the newest period in which Bedrock counted invocations ended (<= 0: still open). */
  invocationsSettledMs: number | undefined;
}

/**
 * Invocation records reach the group within minutes of the call. Once Bedrock's last counted
 * invocations are older than this, records still missing will not come: those calls were made
 * while logging was off (or delivered elsewhere).
 */
export const LOG_DELIVERY_LAG_MS = 15 * 60_000;

/** Whether waiting for records can still change the answer. */
export function recordsMayStillArrive(s: Pick<InvocationState, 'invocationsSettledMs'>): boolean {
  return s.invocationsSettledMs === undefined || s.invocationsSettledMs <= LOG_DELIVERY_LAG_MS;
}

/** AWS/Bedrock metrics can trail the invocations they count by a few minutes on AWS. */
export const AWS_METRIC_LAG_MS = 5 * 60_000;

export function checkInvocationCount(s: InvocationState): Verdict {
  const evidence = { ...s };
  const confirmed = Math.min(s.records, s.metricInvocations);
  const models = s.modelIds.length ? ` (models: ${s.modelIds.join(', ')})` : '';
  if (confirmed >= s.min) {
    return pass(
      `${counted(s.records, 'invocation record')}, and Bedrock counted ${counted(s.metricInvocations, 'invocation')}${models}.`,
      evidence,
    );
  }
  if (s.records >= s.min && s.newestRecordAgeMs !== undefined && s.newestRecordAgeMs < s.metricLagMs) {
    return inconclusive(
      `${s.records} invocation records are in the group, but Bedrock has counted only ${counted(s.metricInvocations, 'invocation')} so far, and its metrics can still be on their way: grade again in a few minutes.`,
      evidence,
    );
  }
  if (s.records >= s.min) {
    return fail(
      `${s.records} invocation records are in the group, but Bedrock counted only ${counted(s.metricInvocations, 'invocation')}: records not written by Bedrock do not count.`,
      evidence,
    );
  }
  if (s.metricInvocations >= s.min && s.deliveryFailures > 0) {
    return fail(
      `Bedrock counted ${counted(s.metricInvocations, 'invocation')} but failed to deliver ${counted(s.deliveryFailures, 'log record')}: only ${s.records} arrived.`,
      evidence,
    );
  }
  if (s.metricInvocations >= s.min && s.loggingGroup !== LAB.logGroup) {
    return fail(
      `Bedrock counted ${counted(s.metricInvocations, 'invocation')}, but logging delivers ${s.loggingGroup ? `to ${s.loggingGroup}` : 'nowhere'}, so only ${counted(s.records, 'record')} are in ${LAB.logGroup}.`,
      evidence,
    );
  }
  if (s.metricInvocations >= s.min && !recordsMayStillArrive(s)) {
    return fail(
      `Bedrock counted ${counted(s.metricInvocations, 'invocation')}, the last more than ${LOG_DELIVERY_LAG_MS / 60_000} minutes ago, but only ${counted(s.records, 'record')} reached ${LAB.logGroup}: calls made before logging was enabled are never logged.`,
      evidence,
    );
  }
  if (s.metricInvocations >= s.min && s.waitExhausted) {
    return inconclusive(
      `Bedrock counted ${counted(s.metricInvocations, 'invocation')} but only ${counted(s.records, 'record')} arrived before the ingestion wait ran out.`,
      evidence,
    );
  }
  return fail(
    `Found ${counted(s.records, 'invocation record')}${models}; expected at least ${s.min}.`,
    evidence,
  );
}
