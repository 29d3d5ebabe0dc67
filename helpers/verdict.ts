import type { Actor, CheckStatus } from './grade-contract';

/** What a check returns; the grade holds it as a RecordedVerdict (helpers/grade-contract.ts). */
export interface Verdict {
  status: CheckStatus;
  /** What was found, and for a failure what was expected. */
  message: string;
  /** What to do: a failure's own hint, or how to unblock an inconclusive check. */
  hint?: string;
  /** An inconclusive verdict's actor. */
  actor?: Actor;
  /** The state the check judged; redacted before it leaves the grader. */
  evidence?: unknown;
}

export const pass = (message: string, evidence?: unknown): Verdict => ({ status: 'pass', message, evidence });

export const fail = (message: string, hint: string, evidence?: unknown): Verdict => ({
  status: 'fail',
  message,
  hint,
  evidence,
});

export const inconclusive = (message: string, actor: Actor, evidence?: unknown): Verdict => ({
  status: 'inconclusive',
  message,
  actor,
  evidence,
});

/** A number and its noun, `1 row`, `6 rows`: findings read as sentences. */
export function quantity(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
