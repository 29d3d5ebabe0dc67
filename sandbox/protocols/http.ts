import { AwsError } from './errors';
import type { IncomingHttpHeaders } from 'node:http';
import { gunzipSync } from 'node:zlib';

/** A request as the wire protocols see it: already read, nothing parsed beyond the URL. */
export interface SandboxRequest {
  method: string;
  /** The raw path as sent (percent-encoding kept: SigV4 signs it that way). */
  rawPath: string;
  /** The decoded path. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface SandboxResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

export function header(req: SandboxRequest, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The body before its `Content-Encoding`: SDKs gzip large CloudWatch PutMetricData requests.
 * SigV4 signs the compressed bytes, so protocols decode only after authentication.
 */
/** The most a compressed body may inflate to: the limit of a body sent as it is. */
const MAX_DECODED_BYTES = 20 * 1024 * 1024;

/**
 * Was the request sent by a page of another origin? Browsers name the page's origin in `Origin`
 * on every cross-origin request and every POST; clients that are not browsers send none.
 */
export function fromOtherOrigin(req: SandboxRequest): boolean {
  const origin = header(req, 'origin');
  return origin !== undefined && origin !== `http://${header(req, 'host') ?? ''}`;
}

export function decodedBody(req: SandboxRequest): Buffer {
  if (!/\bgzip\b/i.test(header(req, 'content-encoding') ?? '')) return req.body;
  try {
    // Bounded as the body itself is: 20 kB of gzip may inflate to 20 GB. UNVERIFIED: AWS's
    // answer to such a body; the error here is the sandbox's.
    return gunzipSync(req.body, { maxOutputLength: MAX_DECODED_BYTES });
  } catch {
    throw new AwsError(
      'SerializationException',
      `The gzip body could not be read, or is over ${MAX_DECODED_BYTES} bytes once inflated.`,
      400,
    );
  }
}
