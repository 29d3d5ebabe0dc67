// An ingest-time index of JSON log events by structure. A log store asks for the shape of each
// message once, when it is written, and keeps a small id beside it; queries then read a field
// without walking the message: the shape knows whether the field exists, within the first
// MAX_FIELDS leaves, and which key token holds it, which one indexOf finds. Logs from one producer
// share a handful of shapes (Bedrock invocation records share one per operation), so the table
// stays small; past its capacity, or for a key written with an escape, a message has no shape
// and queries scan it as before (json.ts).

import { MAX_FIELDS, NOT_JSON, jsonSkeleton, readKeyToken, type JsonLeaf, type KeyToken } from './json';

// A field read through its key token, or by scanning (a field named by an array index, or
// with a key that its text cannot find).
export type FieldLocation = KeyToken | 'scan';

// Keys whose quoted text cannot be mistaken for anything else (see findKeyToken).
const SEARCHABLE_KEY = /^"[^\s,:{}[\]"\\][^"\\]*"$/;

export class JsonShape {
  constructor(
    readonly isJson: boolean,
    private readonly fields: ReadonlyMap<string, FieldLocation> = new Map(),
  ) {}

  // Where messages of this shape hold the field; null when they have no such field. A query
  // looks its fields up once per shape, then reads each record with readKeyToken.
  locate(name: string): FieldLocation | null {
    return this.fields.get(name) ?? null;
  }

  // The field's value in a message of this shape: null when the message has no such field,
  // undefined when the message must be scanned to tell.
  read(message: string, name: string): JsonLeaf | null | undefined {
    const location = this.locate(name);
    if (location === null) return null;
    return location === 'scan' ? undefined : readKeyToken(message, location);
  }
}

const NOT_JSON_SHAPE = new JsonShape(false);

// Fields of a skeleton (see Scanner.walk in json.ts): each leaf's dotted name and the key token it sits
// under, following the same rules as a scan (first MAX_FIELDS leaves, first occurrence wins).
function shapeOf(skeleton: string): JsonShape {
  const fields = new Map<string, FieldLocation>();
  const tokens: KeyToken[] = [];
  const counts = new Map<string, number>();
  let pos = 0;
  let leaves = 0;
  const value = (name: string, key: KeyToken | null): void => {
    const c = skeleton[pos];
    if (c === '{' || c === '[') container(name);
    else {
      pos++;
      if (c === 'v' && ++leaves <= MAX_FIELDS && !fields.has(name)) fields.set(name, key ?? 'scan');
    }
  };
  // prefix: the container's dotted name; null at the top level (an empty key is a name too)
  const container = (prefix: string | null): void => {
    const isObject = skeleton[pos++] === '{';
    const join = (part: string) => (prefix === null ? part : `${prefix}.${part}`);
    for (let index = 0; skeleton[pos] !== (isObject ? '}' : ']'); index++) {
      if (!isObject) {
        value(join(String(index)), null);
        continue;
      }
      const end = skeleton.indexOf('"', pos + 1);
      const needle = skeleton.slice(pos, end + 1);
      pos = end + 1;
      const occurrence = (counts.get(needle) ?? 0) + 1;
      counts.set(needle, occurrence);
      const token: KeyToken = { needle, occurrence, unique: false, hint: 0 };
      tokens.push(token);
      value(join(needle.slice(1, -1)), SEARCHABLE_KEY.test(needle) ? token : null);
    }
    pos++;
  };
  container(null);
  for (const token of tokens) token.unique = counts.get(token.needle) === 1;
  return new JsonShape(true, fields);
}

// A skeleton longer than this (keys of very large messages) is not kept: with the table's
// capacity it bounds the kept skeletons at 16 MB.
const MAX_SKELETON_LENGTH = 16_384;

// The shapes of one log store. Ids fit a Uint16Array: 0 is "no shape" (scan the message).
export class JsonShapeTable {
  private readonly ids = new Map<string, number>([[NOT_JSON, 1]]);
  private readonly shapes: JsonShape[] = [NOT_JSON_SHAPE, NOT_JSON_SHAPE];

  constructor(private readonly capacity = 1024) {}

  idOf(message: string): number {
    const skeleton = jsonSkeleton(message);
    if (skeleton === null || skeleton.length > MAX_SKELETON_LENGTH) return 0;
    const id = this.ids.get(skeleton);
    if (id !== undefined) return id;
    if (this.shapes.length >= this.capacity) return 0;
    this.ids.set(skeleton, this.shapes.length);
    this.shapes.push(shapeOf(skeleton));
    return this.shapes.length - 1;
  }

  shape(id: number): JsonShape | undefined {
    return id === 0 ? undefined : this.shapes[id];
  }
}
