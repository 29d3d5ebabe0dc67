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
export function decodedBody(req: SandboxRequest): Buffer {
  return /\bgzip\b/i.test(header(req, 'content-encoding') ?? '') ? gunzipSync(req.body) : req.body;
}
