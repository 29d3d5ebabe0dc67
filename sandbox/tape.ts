import { AsyncLocalStorage } from 'node:async_hooks';
import * as crypto from 'node:crypto';

/**
 * What makes a request's effect on the sandbox's state more than a function of that state and
 * its input: the clock and randomness. Sandbox code that changes state reads them here. While a
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

function read<T extends TapeValue>(fresh: () => T): T {
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
export const nowMs = (): number => read(() => Date.now());

export const randomUUID = (): string => read(() => crypto.randomUUID());

/** `n` random bytes (kept on the tape as base64). */
export const randomBytes = (n: number): Buffer =>
  Buffer.from(
    read(() => crypto.randomBytes(n).toString('base64')),
    'base64',
  );

/** Runs `fn` recording what it reads; the tape is complete once `fn` settles. */
export function recording<T>(fn: () => Promise<T>): { done: Promise<T>; tape: TapeValue[] } {
  const tape: Tape = { values: [] };
  return { done: current.run(tape, fn), tape: tape.values };
}

/** Runs `fn` with a recorded tape's values. */
export function replaying<T>(values: TapeValue[], fn: () => Promise<T>): Promise<T> {
  return current.run({ values, replayAt: 0 }, fn);
}

/** True while a journal entry is replayed: waits that stand for latency are skipped. */
export function isReplaying(): boolean {
  return current.getStore()?.replayAt !== undefined;
}
