import { AsyncLocalStorage } from 'node:async_hooks';
import * as crypto from 'node:crypto';

/**
 * What makes a request's effect on the sandbox's state more than a function of that state and
 * its input: the clock, randomness, and settings that may change meanwhile (the latency
 * profile's delays). Sandbox code that changes state reads them here. While a
 * request runs, every value it reads is recorded on its tape, which the journal keeps beside the
 * request (sandbox/journal.ts); a replay gives the same values back in the same order, so the
 * replayed request has exactly the effect it had: the same ids, keys, times.
 */

type TapeValue = number | string;

interface Tape {
  values: TapeValue[];
  /** Replaying: the next value to give back. Recording: undefined. */
  replayAt?: number;
}

const current = new AsyncLocalStorage<Tape>();

/** A value from outside the request's input and the state: recorded, or replayed. */
export function taped<T extends TapeValue>(fresh: () => T): T {
  const tape = current.getStore();
  if (!tape) return fresh();
  if (tape.replayAt === undefined) {
    const value = fresh();
    tape.values.push(value);
    return value;
  }
  if (tape.replayAt >= tape.values.length) {
    throw new Error(
      'The journal entry ran out of recorded values: the sandbox code changed since it was written.',
    );
  }
  return tape.values[tape.replayAt++] as T;
}

/** Milliseconds since the epoch, as `Date.now()`. */
export const nowMs = (): number => taped(() => Date.now());

export const randomUUID = (): string => taped(() => crypto.randomUUID());

/** `n` random bytes (kept on the tape as base64). */
export const randomBytes = (n: number): Buffer =>
  Buffer.from(
    taped(() => crypto.randomBytes(n).toString('base64')),
    'base64',
  );

/** Runs `fn` recording what it reads; the tape is complete once `fn` settles. */
export function recording<T>(fn: () => Promise<T>): { done: Promise<T>; tape: TapeValue[] } {
  const tape: Tape = { values: [] };
  return { done: current.run(tape, fn), tape: tape.values };
}

/** Runs `fn` with a recorded tape's values; it must read every one of them, as it did. */
export function replaying<T>(values: TapeValue[], fn: () => Promise<T>): Promise<T> {
  const tape: Tape = { values, replayAt: 0 };
  const complete = () => {
    if (tape.replayAt !== values.length) {
      throw new Error(`The request read ${tape.replayAt} of its ${values.length} recorded values.`);
    }
  };
  return current.run(tape, fn).then(
    (result) => {
      complete();
      return result;
    },
    (error: unknown) => {
      complete();
      throw error;
    },
  );
}

/** True while a journal entry is replayed: waits that stand for latency are skipped. */
export function isReplaying(): boolean {
  return current.getStore()?.replayAt !== undefined;
}
