/**
 * Reads made together, failing as if made one after another: every read settles, then the first
 * to fail in the order given is the error. With Promise.all it would be whichever failed first in
 * time, and two gradings of one account could explain the same refusal by different reads.
 */
export async function readTogether<T extends readonly unknown[]>(reads: {
  [K in keyof T]: Promise<T[K]>;
}): Promise<T> {
  const settled = await Promise.allSettled(reads as readonly Promise<unknown>[]);
  const failed = settled.find((read) => read.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((read) => (read as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
