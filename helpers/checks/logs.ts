import { counted, fail, inconclusive, pass, type Verdict } from '../verdict';
import { notCounted, utcMinute, type RecordEvent } from './provenance';

/** The parts of an invocation log record Step 3 says each entry contains. */
export interface RecordParts {
  modelId: boolean;
  inputTokenCount: boolean;
  outputTokenCount: boolean;
  inputBody: boolean;
  outputBody: boolean;
}

/** Which parts one invocation log record (the JSON Bedrock writes) carries. */
export function recordParts(record: unknown): RecordParts {
  const r = (record ?? {}) as {
    modelId?: unknown;
    input?: { inputTokenCount?: unknown; inputBodyJson?: unknown; inputBodyText?: unknown };
    output?: { outputTokenCount?: unknown; outputBodyJson?: unknown; outputBodyText?: unknown };
  };
  return {
    modelId: typeof r.modelId === 'string' && r.modelId !== '',
    inputTokenCount: typeof r.input?.inputTokenCount === 'number',
    outputTokenCount: typeof r.output?.outputTokenCount === 'number',
    inputBody: r.input?.inputBodyJson !== undefined || r.input?.inputBodyText !== undefined,
    outputBody: r.output?.outputBodyJson !== undefined || r.output?.outputBodyText !== undefined,
  };
}

const PART_NAMES: Record<keyof RecordParts, string> = {
  modelId: 'model id',
  inputTokenCount: 'input token count',
  outputTokenCount: 'output token count',
  inputBody: 'request body',
  outputBody: 'response body',
};

export interface LogEntriesState {
  group: string;
  /** The parts of each record Bedrock wrote. */
  records: RecordParts[];
  /** The parts of each contested record: one may be a real record a forged one displaced. */
  contested?: RecordParts[];
  /** Records that do not count, by reason. */
  rejected: Record<string, number>;
  min: number;
  /** When Bedrock's delivery metric may yet vouch for unmatched records (AWS), if it may. */
  metricsDueAtMs?: number;
}

const BODIES: (keyof RecordParts)[] = ['inputBody', 'outputBody'];

/** Passes when at least `min` of the records Bedrock wrote carry every part (text data on). */
export function checkLogEntries({
  group,
  records,
  contested = [],
  rejected,
  min,
  metricsDueAtMs,
}: LogEntriesState): Verdict {
  const isComplete = (r: RecordParts) => Object.values(r).every(Boolean);
  // In the worst case the incomplete contested records are real ones whose deliveries forged
  // complete records took: those count against the counted records.
  const complete = Math.max(
    0,
    records.length - [...records, ...contested].filter((r) => !isComplete(r)).length,
  );
  const missing = (Object.keys(PART_NAMES) as (keyof RecordParts)[])
    .map((part) => ({ part, count: records.filter((r) => !r[part]).length }))
    .filter((m) => m.count > 0);
  const evidence = {
    group,
    records: records.length,
    complete,
    missing: Object.fromEntries(missing.map((m) => [m.part, m.count])),
    contested: contested.length,
    rejected,
  };
  const others = notCounted(rejected);
  if (complete < min && metricsDueAtMs !== undefined) {
    return inconclusive(
      `${counted(records.length, 'record')} in ${group} count so far; Bedrock's delivery metric may still vouch for more, which can trail by minutes: grade again after ${utcMinute(metricsDueAtMs)}.`,
      'instructor',
      evidence,
    );
  }
  if (records.length === 0 && others) {
    return fail(
      `No record in ${group} was written by Bedrock:${others}`,
      'Only records Bedrock writes count: with logging on, send the five prompts (Step 2).',
      evidence,
    );
  }
  if (records.length === 0) {
    return fail(
      `No invocation log records in ${group} to examine.`,
      'Send the five prompts (Step 2) after logging is on: their records are what this step reads.',
      evidence,
    );
  }
  if (complete >= min) {
    return pass(
      `${complete} of ${counted(records.length, 'record')} in ${group} carry the model id, token counts and both bodies.${others}`,
      evidence,
    );
  }
  const lacking = missing.length
    ? `: ${missing.map((m) => `${m.count} lack the ${PART_NAMES[m.part]}`).join(', ')}`
    : '';
  const worstCase =
    contested.length > 0
      ? ` Counted at worst: ${counted(contested.length, 'other record')} claim the same deliveries of Bedrock's, and incomplete ones among them may be the real ones.`
      : '';
  return fail(
    `Only ${complete} of ${counted(records.length, 'record')} in ${group} are complete (expected ${min})${lacking}.${others}${worstCase}`,
    entriesHint(
      missing.map((m) => m.part),
      contested.length > 0,
    ),
    evidence,
  );
}

/** What to do about records that are too few or incomplete, by what they lack. */
function entriesHint(missing: (keyof RecordParts)[], contested: boolean): string {
  if (missing.length === 0) {
    return contested
      ? 'Only records Bedrock writes count: records written by hand make the grader assume the worst. With logging and text data on, send the five prompts again.'
      : 'Send the five prompts (Step 2) after logging is on.';
  }
  return missing.every((part) => BODIES.includes(part))
    ? 'Entries without bodies were logged while text data delivery was off: turn it on (Step 1) and send the prompts again.'
    : 'Records of calls that failed carry no response and no output tokens: send the five prompts again and check that each call succeeds.';
}

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
        `The Step 3 query on ${group} returned ${counted(outcome.rows, 'row')}; Bedrock's delivery metric may still vouch for the records among them, which can trail by minutes: grade again after ${utcMinute(outcome.metricsDueAtMs)}.`,
        'instructor',
        outcome,
      );
    }
    if (outcome.recordRows > 0) {
      return pass(
        `The Step 3 query on ${group} returned ${counted(outcome.rows, 'row')} (${counted(outcome.recordRows, 'invocation record')}) with fields ${outcome.fields.join(', ')}.`,
        outcome,
      );
    }
    if (outcome.unprovenRows > 0) {
      return fail(
        `The Step 3 query on ${group} returned ${counted(outcome.unprovenRows, 'row')} that ${outcome.unprovenRows === 1 ? 'looks' : 'look'} like invocation records, but none is a record Bedrock wrote.`,
        'Only records Bedrock writes count: with logging on, send the five prompts (Step 2), then query again.',
        outcome,
      );
    }
    return outcome.rows > 0
      ? fail(
          `The Step 3 query on ${group} returned ${counted(outcome.rows, 'row')}, but none is an invocation record (only lines such as Bedrock's permissions check).`,
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
