import { Sha256 } from '@aws-crypto/sha256-js';
import { createHash, timingSafeEqual } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { SandboxRequest } from '../protocols/http';
import { header } from '../protocols/http';

/** The parts of a SigV4 `Authorization` header. */
export interface SigV4Authorization {
  accessKeyId: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/;

export function parseAuthorization(req: SandboxRequest): SigV4Authorization | undefined {
  const value = header(req, 'authorization');
  const m = value ? AUTHORIZATION.exec(value.trim()) : null;
  if (!m) return undefined;
  return {
    accessKeyId: m[1]!,
    region: m[2]!,
    service: m[3]!,
    signedHeaders: m[4]!.split(';'),
    signature: m[5]!,
  };
}

/** `20261127T071502Z` as a Date. */
function amzDate(value: string | undefined): Date | undefined {
  const m = value && /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
}

/** AWS accepts a request signed at most this long before or after its own clock. */
export const MAX_CLOCK_SKEW_MS = 15 * 60_000;

/** `20261127T071502Z`, as SigV4 and its errors write a time. */
function basicIso(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/**
 * Why a request's signing time is outside AWS's 15 minutes, in AWS's words; undefined when it is
 * within them (or has no usable x-amz-date, which the signature check refuses).
 */
export function clockSkewProblem(req: SandboxRequest, nowMs = Date.now()): string | undefined {
  const signed = amzDate(header(req, 'x-amz-date'))?.getTime();
  if (signed === undefined) return undefined;
  if (signed < nowMs - MAX_CLOCK_SKEW_MS) {
    return `Signature expired: ${basicIso(signed)} is now earlier than ${basicIso(nowMs - MAX_CLOCK_SKEW_MS)} (${basicIso(nowMs)} - 15 min.)`;
  }
  if (signed > nowMs + MAX_CLOCK_SKEW_MS) {
    // UNVERIFIED: the future-dated text, written after the expired one.
    return `Signature not yet current: ${basicIso(signed)} is still later than ${basicIso(nowMs + MAX_CLOCK_SKEW_MS)} (${basicIso(nowMs)} + 15 min.)`;
  }
  return undefined;
}

/**
 * Verifies a request's signature by signing the same canonical request again with the secret
 * key (the maintained SDK signer, so canonicalisation matches the clients exactly). The scope's
 * date comes from x-amz-date, so a credential scoped to another day fails the comparison. The
 * payload's hash is always the received bytes': a signed x-amz-content-sha256 that differs from
 * them fails, as AWS's own hash of the body would.
 */
export async function signatureMatches(
  req: SandboxRequest,
  auth: SigV4Authorization,
  secretAccessKey: string,
  sessionToken: string | undefined,
): Promise<boolean> {
  const signingDate = amzDate(header(req, 'x-amz-date'));
  if (!signingDate) return false;
  const claimed = header(req, 'x-amz-content-sha256');
  // UNSIGNED-PAYLOAD leaves the body out of the signature, as S3 allows; the SDK clients of the
  // lab's services never send it.
  if (claimed !== undefined && claimed !== 'UNSIGNED-PAYLOAD') {
    if (claimed !== createHash('sha256').update(req.body).digest('hex')) return false;
  }
  const headers: Record<string, string> = {};
  for (const name of auth.signedHeaders) {
    const value = header(req, name);
    if (value !== undefined) headers[name] = value;
  }
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(req.query.keys())) {
    const values = req.query.getAll(key);
    query[key] = values.length === 1 ? values[0]! : values;
  }
  const signer = new SignatureV4({
    credentials: { accessKeyId: auth.accessKeyId, secretAccessKey, sessionToken },
    region: auth.region,
    service: auth.service,
    sha256: Sha256,
    // Hash the payload as the client did; only add x-amz-content-sha256 if the client signed it.
    applyChecksum: false,
  });
  const signed = await signer.sign(
    {
      method: req.method,
      protocol: 'http:',
      hostname: '',
      path: req.rawPath,
      query,
      headers,
      body: req.body,
    },
    {
      signingDate,
      signingRegion: auth.region,
      signingService: auth.service,
      // Sign exactly the headers the client signed, no more.
      unsignableHeaders: new Set(),
      signableHeaders: new Set(auth.signedHeaders),
    },
  );
  const expected = /Signature=([0-9a-f]{64})/.exec(String(signed.headers['authorization']))?.[1];
  // Constant-time, as a signature check should be; both are 64 hex digits when present.
  return expected !== undefined && timingSafeEqual(Buffer.from(expected), Buffer.from(auth.signature));
}
