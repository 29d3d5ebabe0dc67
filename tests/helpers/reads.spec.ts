import { expect, test } from '@playwright/test';
import { readTogether } from '../../helpers/reads';

const after = <T>(ms: number, value: () => T) =>
  new Promise<T>((resolve, reject) =>
    setTimeout(() => {
      try {
        resolve(value());
      } catch (error) {
        reject(error as Error);
      }
    }, ms),
  );
const refused = (action: string) => () => {
  throw new Error(`access denied for ${action}`);
};

test('the values come back in the order the reads were given', async () => {
  expect(await readTogether([after(20, () => 'query'), after(1, () => 7)])).toEqual(['query', 7]);
});

test('the error is the first failed read in the order given, not the first to fail in time', async () => {
  // FilterLogEvents is refused sooner; the query, read first, is what the check is about.
  const reads = readTogether([
    after(30, refused('logs:StartQuery')),
    after(1, refused('logs:FilterLogEvents')),
  ]);
  await expect(reads).rejects.toThrow('access denied for logs:StartQuery');
});

test('it waits for every read before failing, so none is left running unseen', async () => {
  let finished = false;
  const reads = readTogether([
    after(1, refused('logs:StartQuery')),
    after(30, () => {
      finished = true;
    }),
  ]);
  await expect(reads).rejects.toThrow('logs:StartQuery');
  expect(finished).toBe(true);
});
