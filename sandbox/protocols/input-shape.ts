import { NormalizedSchema } from '@smithy/core/schema';
import { AwsError } from './errors';

/**
 * Checks an operation's decoded JSON input against the SDK's own schema for it, before any
 * handler or authorisation sees it: every member present must have its modelled type (a string
 * where a string is modelled, a list of them where a list is, ...). The schemas the SDK ships
 * carry types, not lengths or patterns: input-constraints.ts checks those, from AWS's service
 * models, once the types hold. A mismatch is the
 * protocol's SerializationException, as AWS answers a body it cannot deserialize
 * (UNVERIFIED: the message is the sandbox's, naming the member).
 */
/**
 * A member given as `null` is a member not given, as AWS's JSON deserializers read it. Input
 * nested deeper than any model goes is refused here, before anything recurses through it.
 */
export function withoutNulls<T>(value: T, depth = 0): T {
  if (depth > MAX_DEPTH) throw new AwsError('SerializationException', 'The input is nested too deeply.', 400);
  if (Array.isArray(value)) return value.map((v) => withoutNulls(v, depth + 1)) as T;
  if (value && typeof value === 'object' && !(value instanceof Date) && !Buffer.isBuffer(value)) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== null)
        .map(([k, v]) => [k, withoutNulls(v, depth + 1)]),
    ) as T;
  }
  return value;
}

export function checkInputShape(operationSchema: unknown, input: unknown): void {
  const inputSchema = (operationSchema as unknown[] | undefined)?.[4];
  if (inputSchema === undefined) return;
  const problem = mismatch(NormalizedSchema.of(inputSchema as never), input, '');
  if (problem) throw new AwsError('SerializationException', problem, 400);
}

const MAX_DEPTH = 64;

function mismatch(schema: NormalizedSchema, value: unknown, path: string, depth = 0): string | undefined {
  if (value === null || value === undefined) return undefined; // input-constraints.ts requires members
  if (depth > MAX_DEPTH) return `${path || 'The input'} is nested too deeply.`;
  const at = path || 'the input';
  const expected = (what: string) => `Expected ${what} at ${at}, found ${describe(value)}.`;
  if (schema.isStructSchema() || schema.isUnionSchema()) {
    if (typeof value !== 'object' || Array.isArray(value)) return expected('a structure');
    for (const [name, member] of schema.structIterator()) {
      const problem = mismatch(
        member,
        (value as Record<string, unknown>)[name],
        path ? `${path}.${name}` : name,
        depth + 1,
      );
      if (problem) return problem;
    }
    return undefined;
  }
  if (schema.isListSchema()) {
    if (!Array.isArray(value)) return expected('a list');
    const item = schema.getValueSchema();
    for (let i = 0; i < value.length; i++) {
      const problem = mismatch(item, value[i], `${at}[${i}]`, depth + 1);
      if (problem) return problem;
    }
    return undefined;
  }
  if (schema.isMapSchema()) {
    if (typeof value !== 'object' || Array.isArray(value)) return expected('a map');
    const item = schema.getValueSchema();
    for (const [key, v] of Object.entries(value)) {
      const problem = mismatch(item, v, `${at}.${key}`, depth + 1);
      if (problem) return problem;
    }
    return undefined;
  }
  if (schema.isStringSchema() || schema.isBlobSchema())
    return typeof value === 'string' ? undefined : expected('a string');
  if (schema.isBooleanSchema()) return typeof value === 'boolean' ? undefined : expected('a boolean');
  if (schema.isNumericSchema() || schema.isBigIntegerSchema() || schema.isBigDecimalSchema()) {
    return typeof value === 'number' && Number.isFinite(value) ? undefined : expected('a number');
  }
  if (schema.isTimestampSchema()) {
    // JSON protocols send epoch seconds; the sandbox's decoders also take the date strings some SDKs send.
    // A time that is no instant (Infinity, NaN) is no timestamp, whichever protocol brought it.
    return (typeof value === 'number' && Number.isFinite(value)) ||
      typeof value === 'string' ||
      (value instanceof Date && !Number.isNaN(value.getTime()))
      ? undefined
      : expected('a timestamp');
  }
  return undefined; // documents take anything
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return 'a timestamp';
  return typeof value === 'object' ? 'a structure' : `a ${typeof value}`;
}
