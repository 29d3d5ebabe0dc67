import { AwsError } from './errors';
import { decodedBody, type SandboxRequest, type SandboxResponse } from './http';

/**
 * AWS JSON 1.0 / 1.1: `POST /` with `X-Amz-Target: <Prefix>.<Operation>`, JSON in and out.
 * Timestamps travel as epoch seconds; the SDK's shapes use `Date`, so handlers may return Dates.
 */
export function jsonOperationName(req: SandboxRequest, targetPrefix: string): string | undefined {
  const target = req.headers['x-amz-target'];
  if (typeof target !== 'string' || !target.startsWith(`${targetPrefix}.`)) return undefined;
  return target.slice(targetPrefix.length + 1);
}

export function decodeJsonBody(req: SandboxRequest): Record<string, unknown> {
  if (req.body.length === 0) return {};
  try {
    const parsed: unknown = JSON.parse(decodedBody(req).toString('utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {
    // fall through to AWS's error for an unreadable body
  }
  throw new AwsError('SerializationException', 'Start of structure or map found where not expected.');
}

/** JSON.stringify that writes Dates as epoch seconds, as the JSON protocols do. */
export function encodeJson(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, v: unknown) {
    const raw = this[key];
    return raw instanceof Date ? raw.getTime() / 1000 : v;
  });
}

export function jsonResponse(output: unknown, version: '1.0' | '1.1', requestId: string): SandboxResponse {
  return {
    status: 200,
    headers: { 'content-type': `application/x-amz-json-${version}`, 'x-amzn-requestid': requestId },
    body: encodeJson(output ?? {}),
  };
}

/**
 * Query-compatible services (CloudWatch) name a modeled error twice: in the body's `__type` by its
 * shape (`InvalidParameterValueException`), and in `x-amzn-query-error` by its Query code
 * (`InvalidParameterValue;Sender`), the code handlers throw. Recorded against AWS:
 * docs/aws-behaviours.md, "CloudWatch as recorded against AWS". Such a service registers its
 * model here: a code that is a shape's name names that shape (`ResourceNotFound`), else the first
 * shape whose `awsQueryError` it is, as the SDK resolves a query-compatible code (and as the RPC
 * v2 CBOR writer names shapes).
 */
const queryCompatibleShapes = new Map<string, string>();

export function registerQueryCompatibleErrors(model: Readonly<Record<string, unknown>>): void {
  // An error schema of the SDK is `[-3, namespace, name, traits, ...]`.
  const errors = Object.values(model).filter(
    (s): s is [number, string, string, { awsQueryError?: [string, number] } | 0] =>
      Array.isArray(s) && s[0] === -3,
  );
  for (const [, , name, traits] of errors) {
    const code = traits ? traits.awsQueryError?.[0] : undefined;
    if (code !== undefined && !queryCompatibleShapes.has(code)) queryCompatibleShapes.set(code, name);
  }
  for (const [, , name] of errors) queryCompatibleShapes.set(name, name);
}

/**
 * `{"__type": code, "message": text}`. Query-compatible services (CloudWatch) also send
 * `x-amzn-query-error: <Code>;<Fault>`, which the SDK uses to name the error, and write the
 * modeled shape's name in `__type` (a code no model names, such as the sandbox's own, as it is).
 */
export function jsonError(
  error: AwsError,
  version: '1.0' | '1.1',
  requestId: string,
  queryCompatible = false,
): SandboxResponse {
  const headers: Record<string, string> = {
    'content-type': `application/x-amz-json-${version}`,
    'x-amzn-requestid': requestId,
  };
  if (queryCompatible) headers['x-amzn-query-error'] = `${error.code};${error.fault}`;
  const type = (queryCompatible && queryCompatibleShapes.get(error.code)) || error.code;
  return {
    status: error.status,
    headers,
    body: encodeJson({ __type: type, message: error.message, ...error.fields }),
  };
}
