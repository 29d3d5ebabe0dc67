import { expect, test } from '@playwright/test';
import {
  accountForRecords,
  metricsDueAt,
  notCounted,
  REJECTED,
  type RecordEvent,
} from '../../specs/genai-monitoring/lab/checks/provenance';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const MINUTE = 60_000;
const T0 = Date.UTC(2026, 11, 1, 12, 0);
const learner = { accountId: ACCOUNT, region: REGION };

/** A record as Bedrock delivers it, ingested `at` ms. */
function event(
  at: number,
  overrides: Partial<Record<string, unknown>> = {},
  stream = 'aws/bedrock/modelinvocations',
): RecordEvent {
  return {
    record: { accountId: ACCOUNT, region: REGION, requestId: `req-${at}`, modelId: 'm', ...overrides },
    ingestionTime: at,
    timestamp: at - 500,
    stream,
  };
}

const deliveries = (...points: [number, number][]) => ({
  periodMs: MINUTE,
  points: points.map(([startMs, value]) => ({ startMs, value })),
});

test('records each matched by a delivery Bedrock counted all count', () => {
  const events = [event(T0 + 1_000), event(T0 + 2_000), event(T0 + MINUTE + 5)];
  const p = accountForRecords(events, deliveries([T0, 2], [T0 + MINUTE, 1]), learner);
  expect(p.accounted).toHaveLength(3);
  expect(p.rejected).toEqual({});
});

test('records beyond the deliveries do not count, whatever their own timestamp says', () => {
  const forged = [event(T0 + 3_000, { timestamp: '2100-01-01T00:00:00Z' }), event(T0 + 4_000)];
  const p = accountForRecords([event(T0 + 1_000), ...forged], deliveries([T0, 1]), learner);
  expect(p.accounted).toHaveLength(1);
  expect(p.rejected).toEqual({ [REJECTED.unmatched]: 2 });
  expect(p.newestUnmatchedMs).toBe(T0 + 4_000);
});

test('no deliveries at all: forged records count for nothing', () => {
  const p = accountForRecords([event(T0), event(T0 + 1)], deliveries(), learner);
  expect(p.accounted).toEqual([]);
  expect(p.rejected).toEqual({ [REJECTED.unmatched]: 2 });
});

test('a delivery counts once: the earliest record takes it, later copies do not', () => {
  // One real delivery, then a forged record written a minute later: one of them counts.
  const p = accountForRecords([event(T0 + MINUTE + 10), event(T0 + 10)], deliveries([T0, 1]), learner);
  expect(p.accounted.map((e) => e.ingestionTime)).toEqual([T0 + 10]);
});

test('a delivery vouches only for records ingested near it', () => {
  const late = T0 + 20 * MINUTE; // past the 15-minute window
  const early = T0 - 2 * MINUTE; // before the delivery was counted, past the clock slack
  const p = accountForRecords([event(early), event(late)], deliveries([T0, 2]), learner);
  expect(p.accounted).toEqual([]);
  expect(p.rejected[REJECTED.unmatched]).toBe(2);
});

test('greedy in ingestion order matches as many records as deliveries allow', () => {
  // Record a fits deliveries in minutes 0 and 14; record b only minute 14 (its window starts later).
  const a = event(T0 + 14 * MINUTE);
  const b = event(T0 + 29 * MINUTE + 30_000);
  const p = accountForRecords([b, a], deliveries([T0, 1], [T0 + 14 * MINUTE, 1]), learner);
  expect(p.accounted).toHaveLength(2);
});

test('records outside Bedrock’s stream, of another account or Region, or repeating a request id do not count', () => {
  const events = [
    event(T0 + 1, {}, 'my-own-stream'),
    event(T0 + 2, { accountId: '210987654321' }),
    event(T0 + 3, { region: 'eu-west-1' }),
    event(T0 + 4, { requestId: 'same' }),
    event(T0 + 5, { requestId: 'same' }),
  ];
  const p = accountForRecords(events, deliveries([T0, 10]), learner);
  expect(p.accounted.map((e) => e.ingestionTime)).toEqual([T0 + 4]);
  expect(p.rejected).toEqual({
    [REJECTED.stream]: 1,
    [REJECTED.account]: 1,
    [REJECTED.region]: 1,
    [REJECTED.duplicate]: 1,
  });
});

test('rejections read as a sentence', () => {
  expect(notCounted({ [REJECTED.unmatched]: 3, [REJECTED.account]: 1 })).toBe(
    " 3 records with no matching delivery in Bedrock's metrics, 1 record naming another account do not count.",
  );
  expect(notCounted({ [REJECTED.account]: 1 })).toBe(' 1 record naming another account does not count.');
  expect(notCounted({})).toBe('');
});

test('records that lost to others are contested: unmatched ones and repeated request ids', () => {
  const events = [event(T0 + 1, { requestId: 'r' }), event(T0 + 2, { requestId: 'r' }), event(T0 + 3)];
  const p = accountForRecords(events, deliveries([T0, 1]), learner);
  expect(p.accounted.map((e) => e.ingestionTime)).toEqual([T0 + 1]);
  expect(p.contested.map((e) => e.ingestionTime).sort()).toEqual([T0 + 2, T0 + 3]);
});

test('Bedrock’s delivery metric is awaited only while it can still be late', () => {
  expect(metricsDueAt({ newestUnmatchedMs: T0 }, 5 * MINUTE, T0 + MINUTE)).toBe(T0 + 5 * MINUTE);
  expect(metricsDueAt({ newestUnmatchedMs: T0 }, 5 * MINUTE, T0 + 6 * MINUTE)).toBeUndefined();
  expect(metricsDueAt({ newestUnmatchedMs: T0 }, 0, T0)).toBeUndefined();
  expect(metricsDueAt({ newestUnmatchedMs: undefined }, 5 * MINUTE, T0)).toBeUndefined();
});
