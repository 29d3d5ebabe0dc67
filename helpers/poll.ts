import type { LabSettings } from './settings';

/**
 * How long to wait between reads, in ms: each wait in turn, the last one repeated. Chosen here
 * once, for every wait of the grader and the run-mode steps:
 * - `trailing`: state that trails the calls that made it (invocation records, Bedrock's metrics,
 *   an IAM change reaching Bedrock). It comes within seconds on the sandbox and minutes on AWS,
 *   and each read costs several calls, so the reads back off to one every 5 s.
 * - `queryStatus`: a Logs Insights query's status, one cheap call. Often on the sandbox; once a
 *   second on AWS, where GetQueryResults allows 5 calls a second per account, shared by every
 *   query of the run.
 */
export const CADENCE = {
  trailing: [500, 1_000, 2_000, 5_000],
  queryStatus: (target: LabSettings['target']): number[] => (target === 'aws' ? [1_000] : [250, 500]),
} as const;

export interface PollOptions {
  timeoutMs: number;
  intervals: readonly number[];
  /** What is waited for, for the timeout's message: `Bedrock to accept the logging configuration`. */
  what: string;
}

/** The wait ran out before `until` held; `last` is the last value read. */
export class PollTimeout<T> extends Error {
  constructor(
    readonly last: T,
    options: PollOptions,
  ) {
    const lastError = last instanceof Error ? `; the last read failed: ${last.message}` : '';
    super(`Gave up waiting for ${options.what} after ${options.timeoutMs / 1000} s${lastError}`, {
      cause: last instanceof Error ? last : undefined,
    });
    this.name = 'PollTimeout';
  }
}

/**
 * Reads until `until` holds of what was read, and returns that; throws PollTimeout when the next
 * wait would end past the deadline. A read that throws ends the wait with its error: a read that
 * should be retried returns its error as a value instead. A read under way at the deadline is let
 * finish (each AWS call carries the SDK's own timeouts).
 */
export async function poll<T>(
  read: () => Promise<T>,
  until: (value: T) => boolean,
  options: PollOptions,
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  const intervals = [...options.intervals];
  const last = intervals.at(-1) ?? 1_000;
  for (;;) {
    const value = await read();
    if (until(value)) return value;
    const wait = intervals.shift() ?? last;
    if (Date.now() + wait >= deadline) throw new PollTimeout(value, options);
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

/** For a wait whose outcome is judged from what was last read, satisfied or not. */
export function lastRead<T>(error: unknown): T {
  if (error instanceof PollTimeout) return error.last as T;
  throw error;
}
