/**
 * What a check concluded. `inconclusive` means the grader could not tell (throttled, a read
 * denied, endpoint unreachable, a wait exhausted): it earns nothing and never shrinks the
 * maximum, so it can never make a grade look better.
 */
export type CheckStatus = 'pass' | 'fail' | 'inconclusive' | 'skipped';

/**
 * Who must act before an inconclusive check can be decided: the learner (their account blocks a
 * read the grader needs) or the instructor, who runs the grader (its credentials, quotas,
 * network, or simply grading again later).
 */
export type Actor = 'learner' | 'instructor';

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

/** `1 row`, `6 rows`: findings read as sentences. */
export function counted(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
