import { XMLBuilder } from 'fast-xml-parser';
import { AwsError } from './errors';
import { decodedBody, type SandboxRequest, type SandboxResponse } from './http';

/**
 * The AWS Query protocol (IAM, STS, and CloudWatch for SDKs that still use it):
 * form-encoded `Action=Op&Version=...&A.member.1.B=x`, answered in XML.
 */
export function queryParams(req: SandboxRequest): URLSearchParams {
  const params = new URLSearchParams(req.query);
  const type = req.headers['content-type'] ?? '';
  if (req.method === 'POST' && type.includes('application/x-www-form-urlencoded')) {
    for (const [k, v] of new URLSearchParams(decodedBody(req).toString('utf8'))) params.append(k, v);
  }
  return params;
}

type Nested = { [key: string]: Nested | Nested[] | string };

/**
 * Rebuilds the nested input from flattened keys: `Names.member.2` is the second item of `Names`,
 * `Tags.member.1.Key` a field of the first item; `Attributes.entry.1.key/value` a map entry.
 */
export function decodeQueryInput(params: URLSearchParams): Record<string, unknown> {
  // Objects without a prototype: a key such as `__proto__.x` must name a member, never reach
  // the Object.prototype every account's requests share.
  const root: Nested = Object.create(null) as Nested;
  for (const [key, value] of params) {
    if (key === 'Action' || key === 'Version') continue;
    const parts = key.split('.');
    if (parts.some((p) => FORBIDDEN_PARTS.has(p))) throw malformed(key);
    let node: Nested | Nested[] = root;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      const last = i === parts.length - 1;
      if (Array.isArray(node)) {
        // 1-based and bounded: one index of 10^8 would make a list of 10^8 slots.
        if (!LIST_INDEX.test(part)) throw malformed(key);
        const index = Number(part) - 1;
        if (last) (node as unknown as string[])[index] = value;
        else node = node[index] ??= Object.create(null) as Nested;
        continue;
      }
      if (parts[i + 1] === 'member') {
        const list = (node[part] ??= []) as Nested[];
        i++; // skip "member": the next part is the index
        if (i === parts.length - 1) continue;
        node = list;
        continue;
      }
      if (last) node[part] = value;
      else node = (node[part] ??= Object.create(null) as Nested) as Nested;
    }
  }
  return compactLists(root) as Record<string, unknown>;
}

const FORBIDDEN_PARTS = new Set(['__proto__', 'constructor', 'prototype']);
/** List members are numbered from 1; no list of the lab's services holds 10,000. */
const LIST_INDEX = /^[1-9]\d{0,3}$/;

/** UNVERIFIED: AWS's text for a parameter name it cannot read. */
function malformed(key: string): AwsError {
  return new AwsError('MalformedQueryString', `The parameter name ${key.slice(0, 100)} is not valid.`, 400);
}

/** Lists built from 1-based indices may have holes; entry maps become plain objects. */
function compactLists(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== undefined).map(compactLists);
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    if (Array.isArray((obj as { entry?: unknown }).entry)) {
      return Object.fromEntries(
        ((obj as { entry: { key: string; value: unknown }[] }).entry ?? [])
          .filter(Boolean)
          .map((e) => [e.key, compactLists(e.value)]),
      );
    }
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, compactLists(v)]));
  }
  return value;
}

const builder = new XMLBuilder({ ignoreAttributes: false, suppressEmptyNode: false });

/**
 * Lists are wrapped in `<member>` elements and Dates written as ISO 8601, as the Query protocol
 * does; a time in whole seconds without a fraction (`2025-10-06T14:45:00Z`), as CloudWatch writes
 * its datapoints' timestamps (docs/aws-behaviours.md, "CloudWatch as recorded against AWS").
 */
function toXmlTree(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString().replace(/\.000Z$/, 'Z');
  if (Array.isArray(value)) return { member: value.map(toXmlTree) };
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, toXmlTree(v)]),
    );
  }
  return value;
}

export function queryResponse(
  operation: string,
  output: Record<string, unknown>,
  xmlNamespace: string,
  requestId: string,
): SandboxResponse {
  const body = builder.build({
    [`${operation}Response`]: {
      '@_xmlns': xmlNamespace,
      [`${operation}Result`]: toXmlTree(output),
      ResponseMetadata: { RequestId: requestId },
    },
  }) as string;
  return { status: 200, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body };
}

export function queryError(error: AwsError, xmlNamespace: string, requestId: string): SandboxResponse {
  const body = builder.build({
    ErrorResponse: {
      '@_xmlns': xmlNamespace,
      Error: { Type: error.fault, Code: error.code, Message: error.message, ...toXmlFields(error.fields) },
      RequestId: requestId,
    },
  }) as string;
  return {
    status: error.status,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body,
  };
}

function toXmlFields(fields: Record<string, unknown>): Record<string, unknown> {
  return toXmlTree(fields) as Record<string, unknown>;
}
