import { expect, test } from '@playwright/test';
import { lastRead, poll, PollTimeout } from '../../helpers/poll';

/** A read that answers `values` in turn, counting its calls and when they came. */
function reads<T>(values: T[]): { read: () => Promise<T>; times: number[] } {
  const times: number[] = [];
  let next = 0;
  return {
    times,
    read: () => {
      times.push(Date.now());
      return Promise.resolve(values[Math.min(next++, values.length - 1)]!);
    },
  };
}

test('returns the first value that satisfies, reading no more', async () => {
  const { read, times } = reads([1, 2, 3, 4]);
  const value = await poll(read, (n) => n >= 3, { timeoutMs: 5_000, intervals: [10], what: 'three' });
  expect(value).toBe(3);
  expect(times).toHaveLength(3);
});

test('waits each interval in turn, then repeats the last', async () => {
  const { read, times } = reads([0, 0, 0, 0, 1]);
  await poll(read, (n) => n === 1, { timeoutMs: 5_000, intervals: [20, 200], what: 'one' });
  const waits = times.slice(1).map((t, i) => t - times[i]!);
  expect(waits).toHaveLength(4);
  expect(waits[0]).toBeGreaterThanOrEqual(19);
  expect(waits[0]).toBeLessThan(200);
  for (const wait of waits.slice(1)) expect(wait).toBeGreaterThanOrEqual(199);
});

test('gives up before a wait that would end past the deadline, with the last value read', async () => {
  const { read, times } = reads([0]);
  const started = Date.now();
  const error = await poll(read, (n) => n === 1, { timeoutMs: 1_000, intervals: [400], what: 'one' }).catch(
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PollTimeout);
  expect((error as PollTimeout<number>).last).toBe(0);
  expect((error as Error).message).toBe('Gave up waiting for one after 1 s');
  // Reads at 0, 400 and 800 ms: a fourth would come after the deadline.
  expect(times).toHaveLength(3);
  expect(Date.now() - started).toBeLessThan(1_000);
});

test('names the last error read when it gives up', async () => {
  const refused = new Error('Failed to validate permissions');
  const error = await poll(
    () => Promise.resolve(refused),
    (e) => e === undefined,
    { timeoutMs: 50, intervals: [10], what: 'Bedrock to accept' },
  ).catch((e: unknown) => e as Error);
  expect(error.message).toBe(
    'Gave up waiting for Bedrock to accept after 0.05 s; the last read failed: Failed to validate permissions',
  );
  expect(error.cause).toBe(refused);
});

test('a read that throws ends the wait with its error', async () => {
  let calls = 0;
  const throttled = new Error('Rate exceeded');
  const outcome = poll(
    () => (++calls === 2 ? Promise.reject(throttled) : Promise.resolve(0)),
    () => false,
    { timeoutMs: 5_000, intervals: [10], what: 'never' },
  );
  await expect(outcome).rejects.toBe(throttled);
  expect(calls).toBe(2);
});

test('lastRead turns a timeout into its last value and passes any other error on', async () => {
  const late = await poll(
    () => Promise.resolve('Running'),
    (s) => s === 'Complete',
    {
      timeoutMs: 30,
      intervals: [10],
      what: 'the query',
    },
  ).catch(lastRead<string>);
  expect(late).toBe('Running');
  const other = new Error('denied');
  expect(() => lastRead(other)).toThrow(other);
});
