import type { AwsError } from './errors';

/**
 * Opaque paging tokens, as every paged operation of the sandbox gives them: an offset,
 * base64-encoded so callers don't depend on their form. A token the sandbox did not give is the
 * service's own error (`invalid`).
 */
export const pageToken = {
  encode: (offset: number): string => Buffer.from(`offset:${offset}`).toString('base64'),
  decode: (token: string | undefined, invalid: () => AwsError): number => {
    if (!token) return 0;
    const m = /^offset:(\d+)$/.exec(Buffer.from(token, 'base64').toString('utf8'));
    if (!m) throw invalid();
    return Number(m[1]);
  },
};
