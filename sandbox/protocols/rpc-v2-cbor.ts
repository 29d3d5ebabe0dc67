/**
 * Smithy RPC v2 CBOR (https://smithy.io/2.0/additional-specs/protocols/smithy-rpc-v2.html):
 * `POST {prefix}/service/<Service>/operation/<Operation>` with `smithy-protocol: rpc-v2-cbor`, CBOR
 * in and out through the AWS SDK's own codec. Timestamps travel as tag 1 (epoch seconds), blobs as
 * byte strings; an error names its absolute shape id in `__type`. Handlers see the input the JSON
 * protocols would have given them. docs/aws-behaviours.md, "Smithy RPC v2 CBOR".
 */

import { cbor, dateToTag, tagSymbol } from '@smithy/core/cbor';
import { NormalizedSchema } from '@smithy/core/schema';
import { AwsError } from './errors';
import { decodedBody, header, type SandboxRequest, type SandboxResponse } from './http';

const PROTOCOL = 'rpc-v2-cbor';
const CONTENT_TYPE = 'application/cbor';
/** A Smithy identifier: https://smithy.io/2.0/spec/model.html#shape-id-abnf */
const IDENTIFIER = '(?:_+[A-Za-z0-9]|[A-Za-z])[A-Za-z0-9_]*';
/** Only the last four segments route: a prefix before them is the client's endpoint path. */
const PATH = new RegExp(`/service/((?:${IDENTIFIER}\\.)*${IDENTIFIER})/operation/(${IDENTIFIER})$`);

/**
 * The operation a request names when it claims this protocol for the service `serviceId`
 * (`namespace#Name`): a POST with the protocol's header, to a path naming the service by its name
 * or by its absolute id with `.` for `#`. A request without the header is not this protocol's.
 */
export function rpcV2CborOperationName(req: SandboxRequest, serviceId: string): string | undefined {
  if (req.method !== 'POST' || header(req, 'smithy-protocol') !== PROTOCOL) return undefined;
  const match = PATH.exec(req.path);
  const [namespace, name] = serviceId.split('#');
  return match && (match[1] === name || match[1] === `${namespace}.${name}`) ? match[2] : undefined;
}

/** A request with this protocol's path but not its method or header, which the spec does not claim. */
export function unclaimedRpcV2Cbor(req: SandboxRequest): boolean {
  return PATH.test(req.path) && (req.method !== 'POST' || header(req, 'smithy-protocol') !== PROTOCOL);
}

/** The input as a JSON body would have given it: `{}` for an empty body, as the spec allows. */
export function decodeCborBody(req: SandboxRequest): Record<string, unknown> {
  // The spec makes such a request malformed, and has servers refuse it.
  if (header(req, 'x-amz-target') !== undefined || header(req, 'x-amzn-target') !== undefined) {
    throw unreadable('A Smithy RPC v2 CBOR request must not carry X-Amz-Target or X-Amzn-Target.');
  }
  const body = decodedBody(req);
  if (body.length === 0) return {};
  const problem = cborProblem(body);
  if (problem) throw unreadable(problem);
  let decoded: unknown;
  try {
    decoded = cbor.deserialize(body);
  } catch (error) {
    throw unreadable(`The body is not valid CBOR: ${(error as Error).message}`);
  }
  const input = asJsonValue(decoded);
  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    throw unreadable('The body must be a CBOR map of the operation input.');
  }
  return input as Record<string, unknown>;
}

/**
 * A body Smithy's own servers cannot deserialize is their SerializationException, 400.
 * UNVERIFIED: CloudWatch's text for it; the texts here are the sandbox's.
 */
function unreadable(message: string): AwsError {
  return new AwsError('SerializationException', message, 400);
}

/**
 * A decoded value as JSON.parse would have given the JSON protocols' equivalent: timestamps
 * (tag 1) as epoch seconds, byte strings as base64 text, integers past 2^53 as rounded numbers.
 * The CBOR `undefined` is already null, as the spec wants.
 */
function asJsonValue(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Uint8Array) {
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  }
  if (Array.isArray(value)) return value.map(asJsonValue);
  if (value && typeof value === 'object') {
    // cborProblem lets through no tag but 1, and that holding a number.
    if (tagSymbol in value && 'value' in value) return value.value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asJsonValue(v)]));
  }
  return value;
}

/** Containers nested deeper than any model goes are refused before anything recurses through them. */
const MAX_DEPTH = 64;
const BREAK = 0xff;
const TEXT = 3;

interface OpenItem {
  /** Items still expected; Infinity until a break ends an indefinite length. */
  size: number;
  /** Items read so far: in a map, keys are the even ones. */
  read: number;
  map: boolean;
  /** An indefinite-length string: the major type its chunks must have. */
  chunksOf?: number;
}

/**
 * Why `bytes` is not one well-formed CBOR data item of the kinds the protocol uses, or undefined
 * when it is. Walks the items without building any, before the SDK's decoder does: that decoder
 * trusts its input (a 200 kB bignum takes minutes to build, one decimal fraction's exponent
 * allocates hundreds of megabytes, deep nesting overflows the stack, bytes after the item are
 * ignored).
 */
function cborProblem(bytes: Uint8Array): string | undefined {
  const open: OpenItem[] = [];
  let at = 0;
  let inTimestamp = false;
  for (;;) {
    if (at >= bytes.length) return 'The body ends inside a CBOR item.';
    const initial = bytes[at++]!;
    const major = initial >> 5;
    const info = initial & 0x1f;
    const parent = open.at(-1);
    if (initial === BREAK) {
      if (inTimestamp || !parent || parent.size !== Infinity) {
        return 'The body has a CBOR break outside an indefinite-length item.';
      }
      if (parent.map && parent.read % 2 === 1) return 'A CBOR map has a key without a value.';
      open.pop();
    } else {
      if (parent?.chunksOf !== undefined && (major !== parent.chunksOf || info === 31)) {
        return 'An indefinite-length CBOR string holds something other than definite strings of its type.';
      }
      if (parent?.map && parent.read % 2 === 0 && major !== TEXT)
        return 'A CBOR map key is not a text string.';
      if (inTimestamp && !(major <= 1 || (major === 7 && info >= 25 && info <= 27))) {
        return 'A CBOR timestamp (tag 1) holds something other than a number.';
      }
      inTimestamp = false;
      if (info === 31) {
        if (major < 2 || major > 5) return `CBOR major type ${major} cannot have an indefinite length.`;
        if (open.length >= MAX_DEPTH) return 'The body is nested too deeply.';
        open.push({ size: Infinity, read: 0, map: major === 5, chunksOf: major <= TEXT ? major : undefined });
        continue;
      }
      if (info >= 28) return `The body uses the reserved CBOR additional information ${info}.`;
      const width = info < 24 ? 0 : 2 ** (info - 24);
      if (width > bytes.length - at) return 'The body ends inside a CBOR item.';
      let argument = info < 24 ? info : 0;
      for (let i = 0; i < width; i++) argument = argument * 256 + bytes[at + i]!;
      at += width;
      if (major === 2 || major === TEXT) {
        if (argument > bytes.length - at) return 'The body ends inside a CBOR item.';
        at += argument;
      } else if (major === 4 || major === 5) {
        const items = major === 5 ? argument * 2 : argument;
        // Every item takes a byte at least: a count past the body's end would only allocate.
        if (items > bytes.length - at) return 'The body ends inside a CBOR item.';
        if (items > 0) {
          if (open.length >= MAX_DEPTH) return 'The body is nested too deeply.';
          open.push({ size: items, read: 0, map: major === 5 });
          continue;
        }
      } else if (major === 6) {
        // Tag 1 is a timestamp. Tags 2-4 are the big numbers the spec has a server refuse when it
        // has none in its model, as CloudWatch has none.
        if (argument !== 1) return `The body holds CBOR tag ${argument}, which this service does not take.`;
        inTimestamp = true;
        continue;
      } else if (major === 7 && (info < 20 || info === 24)) {
        return 'The body holds a CBOR simple value the protocol does not use.';
      }
    }
    // One item is complete: count it in its container, and close each container it fills.
    for (;;) {
      const container = open.at(-1);
      if (!container) return at === bytes.length ? undefined : 'The body has bytes after its CBOR item.';
      container.read++;
      if (container.read < container.size) break;
      open.pop();
    }
  }
}

/**
 * A handler's output. An operation whose model has no output (PutMetricData) answers no body and
 * no Content-Type, as the spec says.
 */
export function rpcV2CborResponse(
  output: unknown,
  operationSchema: unknown,
  requestId: string,
): SandboxResponse {
  const headers = { 'smithy-protocol': PROTOCOL, 'x-amzn-requestid': requestId };
  const outputSchema = (operationSchema as unknown[] | undefined)?.[5];
  if (outputSchema !== undefined && NormalizedSchema.of(outputSchema as never).isUnitSchema()) {
    return { status: 200, headers, body: '' };
  }
  return { status: 200, headers: { ...headers, 'content-type': CONTENT_TYPE }, body: encode(output ?? {}) };
}

/**
 * `{__type: <absolute shape id>, message, ...}`. Query-compatible services (CloudWatch) also send
 * `x-amzn-query-error: <Code>;<Fault>`, from which the AWS SDK names the error, as over JSON.
 */
export function rpcV2CborError(
  error: AwsError,
  serviceId: string,
  model: Readonly<Record<string, unknown>> | undefined,
  requestId: string,
  queryCompatible = false,
): SandboxResponse {
  const headers: Record<string, string> = {
    'smithy-protocol': PROTOCOL,
    'content-type': CONTENT_TYPE,
    'x-amzn-requestid': requestId,
  };
  if (queryCompatible) headers['x-amzn-query-error'] = `${error.code};${error.fault}`;
  const namespace = serviceId.split('#')[0];
  const shape = errorShapes(model).get(error.code) ?? error.code;
  return {
    status: error.status,
    headers,
    body: encode({ __type: `${namespace}#${shape}`, message: error.message, ...error.fields }),
  };
}

const shapesByModel = new WeakMap<object, Map<string, string>>();

/**
 * The model's error shape for each code the sandbox throws (the Query codes): the shape of that
 * name, else the one whose awsQueryError code it is (`InvalidParameterValue` is
 * `InvalidParameterValueException`), as the SDK resolves a query-compatible code. A code the model
 * lacks (authentication, throttling, the sandbox's own errors) keeps its name.
 */
function errorShapes(model: Readonly<Record<string, unknown>> | undefined): Map<string, string> {
  if (!model) return new Map();
  let shapes = shapesByModel.get(model);
  if (shapes) return shapes;
  shapes = new Map();
  // An error schema is `[-3, namespace, name, traits, ...]`.
  const errors = Object.values(model).filter(
    (s): s is [number, string, string, { awsQueryError?: [string, number] } | 0] =>
      Array.isArray(s) && s[0] === -3,
  );
  for (const [, , name, traits] of errors) {
    const code = traits ? traits.awsQueryError?.[0] : undefined;
    if (code !== undefined && !shapes.has(code)) shapes.set(code, name);
  }
  for (const [, , name] of errors) shapes.set(name, name);
  shapesByModel.set(model, shapes);
  return shapes;
}

function encode(value: unknown): Buffer {
  const bytes = cbor.serialize(cborValue(value));
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Dates as tag 1; members left undefined or null are omitted, as the spec has null omitted. */
function cborValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (value instanceof Date) return dateToTag(value);
  if (Array.isArray(value)) return value.map(cborValue);
  if (value && typeof value === 'object' && !(value instanceof Uint8Array)) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined && v !== null)
        .map(([k, v]) => [k, cborValue(v)]),
    );
  }
  return value;
}
