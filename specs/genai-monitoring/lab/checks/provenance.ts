import { LAB } from '../facts';
import { quantity } from '../../../../helpers/verdict';

/**
 * Which invocation records Bedrock wrote. Every field of a record is the learner's to write
 * (PutLogEvents takes any text), so a record's own `timestamp`, `modelId` or `requestId` never
 * decides anything alone. What the learner cannot write:
 * - the event's ingestion time, set by CloudWatch Logs;
 * - Bedrock's metrics: nobody can PutMetricData into an `AWS/` namespace, and Bedrock counts
 *   each record it delivers in `ModelInvocationLogsCloudWatchDeliverySuccess`
 *   (docs/aws-behaviours.md, "AWS/Bedrock metrics").
 * A record counts when it sits in Bedrock's stream, names the learner's account and Region,
 * repeats no request id, and a delivery Bedrock counted near its ingestion time is left for it.
 */

/** One invocation log record as FilterLogEvents returned it. */
export interface RecordEvent {
  /** The parsed message: the learner's to write, every field of it. */
  record: Record<string, unknown>;
  /** When CloudWatch Logs took the event in: the service's clock, not the writer's. */
  ingestionTime: number;
  /** The event's own timestamp (the writer's), which query rows show as `@timestamp`. */
  timestamp: number;
  stream: string;
}

/** A metric over the lab window: the periods holding any of it, and their sums. */
export interface MetricSeries {
  periodMs: number;
  points: { startMs: number; value: number }[];
}

export const sumOf = (series: MetricSeries): number => series.points.reduce((sum, p) => sum + p.value, 0);

/**
 * How long after Bedrock counts a delivery the event may show as ingested, and how far the two
 * clocks may disagree the other way. Generous on purpose: a forged record still needs a delivery
 * Bedrock counted that no real record took, and real records take theirs first in time order.
 */
export const DELIVERY_METRIC_WINDOW = { beforeMs: 15 * 60_000, afterMs: 60_000 };

export interface Provenance {
  /** Records Bedrock wrote, as far as anything the learner cannot write shows. */
  accounted: RecordEvent[];
  /** Records that do not count, by reason (a phrase that follows "N records"). */
  rejected: Record<string, number>;
  /**
   * Records that lost to others: unmatched, or repeating a request id. Any of them may be a real
   * record displaced by a forged one that came first, so what the counted records carry is
   * judged in the worst case over both.
   */
  contested: RecordEvent[];
  /** Ingestion time of the newest record no delivery vouched for: the metric may only be late. */
  newestUnmatchedMs: number | undefined;
}

export const REJECTED = {
  stream: `outside Bedrock's stream ${LAB.logStream}`,
  account: 'naming another account',
  region: 'naming another Region',
  duplicate: 'repeating a request id',
  unmatched: "with no matching delivery in Bedrock's metrics",
} as const;

export function accountForRecords(
  events: readonly RecordEvent[],
  deliveries: MetricSeries,
  learner: { accountId: string; region: string },
): Provenance {
  const rejected: Record<string, number> = {};
  const reject = (reason: string) => (rejected[reason] = (rejected[reason] ?? 0) + 1);
  const requestIds = new Set<string>();
  const candidates: RecordEvent[] = [];
  const contested: RecordEvent[] = [];
  for (const event of [...events].sort((a, b) => a.ingestionTime - b.ingestionTime)) {
    const { record } = event;
    if (event.stream !== LAB.logStream) reject(REJECTED.stream);
    else if (record.accountId !== learner.accountId) reject(REJECTED.account);
    else if (record.region !== learner.region) reject(REJECTED.region);
    else if (typeof record.requestId === 'string' && requestIds.has(record.requestId)) {
      reject(REJECTED.duplicate);
      contested.push(event);
    } else {
      if (typeof record.requestId === 'string') requestIds.add(record.requestId);
      candidates.push(event);
    }
  }
  // Each delivery Bedrock counted vouches for one record ingested near it. Records in ingestion
  // order take the earliest delivery still open to them: with windows of one width, that greedy
  // choice matches as many records as any assignment could.
  const slots = [...deliveries.points]
    .sort((a, b) => a.startMs - b.startMs)
    .map((p) => ({ startMs: p.startMs, left: Math.round(p.value) }));
  const accounted: RecordEvent[] = [];
  let newestUnmatchedMs: number | undefined;
  let first = 0;
  for (const event of candidates) {
    const earliest = event.ingestionTime - DELIVERY_METRIC_WINDOW.beforeMs;
    const latest = event.ingestionTime + DELIVERY_METRIC_WINDOW.afterMs;
    while (first < slots.length && slots[first]!.startMs + deliveries.periodMs <= earliest) first++;
    const slot = slots.slice(first).find((s) => s.left > 0 && s.startMs <= latest);
    if (slot) {
      slot.left--;
      accounted.push(event);
    } else {
      reject(REJECTED.unmatched);
      contested.push(event);
      newestUnmatchedMs = event.ingestionTime;
    }
  }
  return { accounted, rejected, contested, newestUnmatchedMs };
}

/** ` 3 records with no matching delivery in Bedrock's metrics, 1 record naming another account do not count.`, or nothing. */
export function notCounted(rejected: Record<string, number>): string {
  const entries = Object.entries(rejected);
  if (entries.length === 0) return '';
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  const list = entries.map(([reason, n]) => `${quantity(n, 'record')} ${reason}`).join(', ');
  return ` ${list} ${total === 1 ? 'does' : 'do'} not count.`;
}

/**
 * When Bedrock's delivery metric may still vouch for records it does not yet: on AWS it trails
 * the deliveries by minutes. Until then a check that would fail for want of counted records is
 * inconclusive.
 */
export function metricsDueAt(
  p: Pick<Provenance, 'newestUnmatchedMs'>,
  metricLagMs: number,
  nowMs: number,
): number | undefined {
  if (p.newestUnmatchedMs === undefined) return undefined;
  const due = p.newestUnmatchedMs + metricLagMs;
  return due > nowMs ? due : undefined;
}

/** `2026-12-01 14:05 UTC`: when to grade again. */
export const utcMinute = (ms: number): string =>
  `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
