import { counted, fail, inconclusive, pass, type Verdict } from '../verdict';

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

/** Passes when at least `min` records carry every part (records logged with text data on). */
export function checkLogEntries(records: RecordParts[], min: number): Verdict {
  const complete = records.filter((r) => Object.values(r).every(Boolean)).length;
  const missing = (Object.keys(PART_NAMES) as (keyof RecordParts)[])
    .map((part) => ({ part, count: records.filter((r) => !r[part]).length }))
    .filter((m) => m.count > 0);
  const evidence = {
    records: records.length,
    complete,
    missing: Object.fromEntries(missing.map((m) => [m.part, m.count])),
  };
  if (records.length === 0) return fail('No invocation log records in the group to examine.', evidence);
  if (complete >= min) {
    return pass(
      `${complete} of ${counted(records.length, 'record')} carry the model id, token counts and both bodies.`,
      evidence,
    );
  }
  const lacking = missing.map((m) => `${m.count} lack the ${PART_NAMES[m.part]}`).join(', ');
  return fail(
    `Only ${complete} of ${counted(records.length, 'record')} are complete (expected ${min}): ${lacking}.`,
    evidence,
  );
}

export interface QueryOutcome {
  status: string;
  rows: number;
  /** Rows that are invocation records (they carry a modelId), not the permissions line. */
  recordRows: number;
  fields: string[];
  error?: string;
}

export function checkInsightsQuery(outcome: QueryOutcome): Verdict {
  if (outcome.status === 'Complete') {
    if (outcome.recordRows > 0) {
      return pass(
        `The Step 3 query returned ${counted(outcome.rows, 'row')} (${counted(outcome.recordRows, 'invocation record')}) with fields ${outcome.fields.join(', ')}.`,
        outcome,
      );
    }
    return outcome.rows > 0
      ? fail(
          `The Step 3 query returned ${counted(outcome.rows, 'row')}, but none is an invocation record (only lines such as Bedrock's permissions check).`,
          outcome,
        )
      : fail('The Step 3 query ran but returned no rows in the lab window.', outcome);
  }
  if (outcome.status === 'Failed' && outcome.error)
    return fail(`The Step 3 query failed: ${outcome.error}`, outcome);
  return inconclusive(`The Step 3 query did not complete (status ${outcome.status}).`, outcome);
}
