/** Step 3's Logs Insights query (insights.query): what the lab's query returns, and which rows are records Bedrock wrote. */
import { quantity, fail, inconclusive, pass, type Verdict } from '../../../../helpers/verdict';
import { utcMinute, type RecordEvent } from './provenance';

export interface QueryOutcome {
  group: string;
  status: string;
  rows: number;
  /** Rows that are records Bedrock wrote (matched to them by time and model). */
  recordRows: number;
  /** Rows that look like invocation records but match none Bedrock wrote. */
  unprovenRows: number;
  fields: string[];
  error?: string;
  /** When Bedrock's delivery metric may yet vouch for unmatched records (AWS), if it may. */
  metricsDueAtMs?: number;
}

/** `2026-11-27 07:15:02.000`: how Logs Insights writes `@timestamp`. */
export function insightsTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

/**
 * Which query rows show records Bedrock wrote: a row names a record by its `@timestamp` and
 * `modelId`, and each record Bedrock wrote answers for one row at most.
 */
export function provenRows(
  rows: { timestamp?: string; modelId?: string }[],
  accounted: readonly RecordEvent[],
): { recordRows: number; unprovenRows: number } {
  const left = new Map<string, number>();
  for (const e of accounted) {
    const key = `${insightsTimestamp(e.timestamp)}|${String(e.record.modelId)}`;
    left.set(key, (left.get(key) ?? 0) + 1);
  }
  let recordRows = 0;
  let unprovenRows = 0;
  for (const row of rows.filter((r) => r.modelId !== undefined)) {
    const key = `${row.timestamp}|${row.modelId}`;
    const n = left.get(key) ?? 0;
    if (n > 0) {
      left.set(key, n - 1);
      recordRows++;
    } else unprovenRows++;
  }
  return { recordRows, unprovenRows };
}

export function checkInsightsQuery(outcome: QueryOutcome): Verdict {
  const { group } = outcome;
  if (outcome.status === 'Complete') {
    if (outcome.recordRows === 0 && outcome.metricsDueAtMs !== undefined) {
      return inconclusive(
        `The Step 3 query on ${group} returned ${quantity(outcome.rows, 'row')}; Bedrock's delivery metric may still vouch for the records among them, which can trail by minutes: grade again after ${utcMinute(outcome.metricsDueAtMs)}.`,
        'instructor',
        outcome,
      );
    }
    if (outcome.recordRows > 0) {
      return pass(
        `The Step 3 query on ${group} returned ${quantity(outcome.rows, 'row')} (${quantity(outcome.recordRows, 'invocation record')}) with fields ${outcome.fields.join(', ')}.`,
        outcome,
      );
    }
    if (outcome.unprovenRows > 0) {
      return fail(
        `The Step 3 query on ${group} returned ${quantity(outcome.unprovenRows, 'row')} that ${outcome.unprovenRows === 1 ? 'looks' : 'look'} like invocation records, but none is a record Bedrock wrote.`,
        'Only records Bedrock writes count: with logging on, send the five prompts (Step 2), then query again.',
        outcome,
      );
    }
    return outcome.rows > 0
      ? fail(
          `The Step 3 query on ${group} returned ${quantity(outcome.rows, 'row')}, but none is an invocation record (only lines such as Bedrock's permissions check).`,
          'The group holds no invocation records yet: send the five prompts (Step 2) after logging is on, then query again.',
          outcome,
        )
      : fail(
          `The Step 3 query on ${group} ran but returned no rows in the lab window.`,
          'Logs Insights reads only the events in its time range: send the five prompts (Step 2) and query again within the lab window.',
          outcome,
        );
  }
  if (outcome.status === 'Failed' && outcome.error) {
    return fail(
      `The Step 3 query on ${group} failed: ${outcome.error}`,
      outcome.error.includes('does not exist')
        ? 'Create the log group in CloudWatch Logs with the name logging delivers to (Step 1).'
        : "The lab's query fails in your account: make sure the log group can be read (a KMS key on it must be usable).",
      outcome,
    );
  }
  return inconclusive(
    `The Step 3 query on ${group} did not complete (status ${outcome.status}).`,
    'instructor',
    outcome,
  );
}
