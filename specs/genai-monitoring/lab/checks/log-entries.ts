/** Step 3's log entries (logs.entries): what each invocation record Bedrock wrote carries. */
import { quantity, fail, inconclusive, pass, type Verdict } from '../../../../helpers/verdict';
import { notCounted, utcMinute } from './provenance';

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
      `${quantity(records.length, 'record')} in ${group} count so far; Bedrock's delivery metric may still vouch for more, which can trail by minutes: grade again after ${utcMinute(metricsDueAtMs)}.`,
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
      `${complete} of ${quantity(records.length, 'record')} in ${group} carry the model id, token counts and both bodies.${others}`,
      evidence,
    );
  }
  const lacking = missing.length
    ? `: ${missing.map((m) => `${m.count} lack the ${PART_NAMES[m.part]}`).join(', ')}`
    : '';
  const worstCase =
    contested.length > 0
      ? ` Counted at worst: ${quantity(contested.length, 'other record')} claim the same deliveries of Bedrock's, and incomplete ones among them may be the real ones.`
      : '';
  return fail(
    `Only ${complete} of ${quantity(records.length, 'record')} in ${group} are complete (expected ${min})${lacking}.${others}${worstCase}`,
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
