/**
 * What a check concluded. `inconclusive` means the grader could not tell (throttled, its own
 * permission denied, endpoint unreachable, ingestion wait exhausted): never scored as pass or fail.
 */
export type CheckStatus = 'pass' | 'fail' | 'inconclusive' | 'skipped';

export interface Verdict {
  status: CheckStatus;
  /** What was found, and for a failure what was expected. */
  message: string;
  /** The state the check judged; redacted before it leaves the grader. */
  evidence?: unknown;
}

export const pass = (message: string, evidence?: unknown): Verdict => ({ status: 'pass', message, evidence });
export const fail = (message: string, evidence?: unknown): Verdict => ({ status: 'fail', message, evidence });
export const inconclusive = (message: string, evidence?: unknown): Verdict => ({
  status: 'inconclusive',
  message,
  evidence,
});

/** `1 row`, `6 rows`: findings read as sentences. */
export function counted(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
