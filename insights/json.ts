// Field discovery for JSON log events without JSON.parse: a scanner walks the message text,
// descends only into objects that lead to a field the query references, and jumps over string
// bodies with indexOf. Measured on this project's 2-core machine: 4.9-6.0 µs to find
// `input.inputTokenCount` in a 1.3 KB Bedrock record (checking the whole record); through the
// record's shape (shapes.ts), 0.34-0.57 µs.
//
// Rules (as CWLI): nested keys are joined with dots and array elements by index
// (`input.inputBodyJson.messages.0.role`); only the first MAX_FIELDS leaves of an event count,
// the rest are dropped; JSON null and empty objects/arrays are no field; true/false become the
// strings "true"/"false"; for a duplicated key the first occurrence wins. A message is JSON when
// it is an object ({...}) followed only by whitespace; otherwise it has no JSON fields.
// A message is JSON only when well formed throughout (structure, literals, string escapes), so
// every scan walks the whole message; past its last wanted field it only checks.
// A message that cannot hold any wanted key (its text lacks `"key"`) is not scanned at all.
// Log stores that index messages by shape at ingestion (shapes.ts) spare queries this scan.

export const MAX_FIELDS = 200;
// UNVERIFIED: a message nested deeper than this has no JSON fields here (the walks recurse).
const MAX_DEPTH = 500;

export type JsonLeaf = string | number;

const MALFORMED = new Error('malformed JSON'); // thrown and caught inside this module only
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

const QUOTE = 34;
const COMMA = 44;
const COLON = 58;
const LBRACKET = 91;
const RBRACKET = 93;
const LBRACE = 123;
const RBRACE = 125;
const BACKSLASH = 92;
const ZERO = 48;
const NINE = 57;

interface TrieNode {
  children: Map<string, TrieNode>;
  target: number; // index of the field name this node completes, or -1
  // Every path below this node as one dotted key ('input', 'input.inputTokenCount'), since a
  // JSON key may itself hold dots. Keys are matched against these in place, without slicing
  // and hashing each key of the message.
  paths: { key: string; node: TrieNode }[];
}

// The dotted field names a query wants, as a trie over name segments.
export class FieldTrie {
  readonly root: TrieNode = { children: new Map(), target: -1, paths: [] };
  readonly names: readonly string[];
  // The last keys a wanted field can have in a message (every dotted suffix, since a JSON key
  // may itself hold dots); null when a name ends in an array index or an unusual key, which a
  // text search cannot rule out.
  private readonly lastKeys: string[] | null;

  constructor(names: readonly string[]) {
    this.names = names;
    const lastKeys = names.flatMap((n) => n.split('.').map((_, i, parts) => parts.slice(i).join('.')));
    this.lastKeys = lastKeys.every((k) => /^[A-Za-z_@$-][\w@$.-]*$/.test(k))
      ? lastKeys.sort((a, b) => a.length - b.length)
      : null;
    names.forEach((name, index) => {
      let node = this.root;
      for (const segment of name.split('.')) {
        let child = node.children.get(segment);
        if (child === undefined) {
          child = { children: new Map(), target: -1, paths: [] };
          node.children.set(segment, child);
        }
        node = child;
      }
      node.target = index;
    });
    const listPaths = (node: TrieNode): { key: string; node: TrieNode }[] =>
      [...node.children].flatMap(([key, child]) => [
        { key, node: child },
        ...listPaths(child).map((p) => ({ key: `${key}.${p.key}`, node: p.node })),
      ]);
    const fill = (node: TrieNode): void => {
      node.paths = listPaths(node);
      node.children.forEach(fill);
    };
    fill(this.root);
  }

  // False only when no wanted field can be in the message: none of the last keys appears in
  // quotes, and there is no \\u escape (the only way to spell such a key differently). Plain
  // indexOf calls: a regex with alternatives is several times slower on a kilobyte of JSON.
  mightBeIn(message: string): boolean {
    if (this.lastKeys === null) return true;
    for (const key of this.lastKeys) {
      for (let at = message.indexOf(key); at >= 0; at = message.indexOf(key, at + 1)) {
        if (message.charCodeAt(at - 1) === QUOTE && message.charCodeAt(at + key.length) === QUOTE)
          return true;
      }
    }
    return message.includes('\\u');
  }
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

class Scanner {
  pos = 0;
  leaves = 0;
  missing = 0; // wanted fields not found yet
  done = false; // every wanted field is found: the rest is only checked
  escapedKey = false; // a key written with an escape was walked
  private depth = 0;
  private backslash = -1; // next backslash at or after the last text looked at (Infinity: none)

  constructor(readonly text: string) {}

  skipSpace(): void {
    while (isSpace(this.text.charCodeAt(this.pos))) this.pos++;
  }

  // Index of the quote closing the string that opens at `open`.
  stringEnd(open: number): number {
    let from = open + 1;
    for (;;) {
      const close = this.text.indexOf('"', from);
      if (close < 0) throw MALFORMED;
      let backslashes = 0;
      while (this.text.charCodeAt(close - 1 - backslashes) === BACKSLASH) backslashes++;
      if (backslashes % 2 === 0) return close;
      from = close + 1;
    }
  }

  readString(): string {
    const open = this.pos;
    const close = this.stringEnd(open);
    this.pos = close + 1;
    const raw = this.text.slice(open + 1, close);
    if (!raw.includes('\\')) return raw;
    try {
      const decoded: unknown = JSON.parse(this.text.slice(open, close + 1));
      return typeof decoded === 'string' ? decoded : '';
    } catch {
      throw MALFORMED;
    }
  }

  readKey(): string {
    this.skipSpace();
    if (this.text.charCodeAt(this.pos) !== QUOTE) throw MALFORMED;
    const key = this.readString();
    this.skipSpace();
    if (this.text.charCodeAt(this.pos) !== COLON) throw MALFORMED;
    this.pos++;
    this.skipSpace();
    return key;
  }

  // A number, true, false or null; null means JSON null (no field).
  readLiteral(): JsonLeaf | null {
    const start = this.pos;
    let end = start;
    for (;;) {
      const c = this.text.charCodeAt(end);
      if (c !== c || c === COMMA || c === RBRACE || c === RBRACKET || isSpace(c)) break; // c !== c: end of text
      end++;
    }
    this.pos = end;
    const raw = this.text.slice(start, end);
    if (raw === 'true' || raw === 'false') return raw;
    if (raw === 'null') return null;
    if (!JSON_NUMBER.test(raw)) throw MALFORMED; // Number() would also take 01, 0x1f, .5, Infinity
    return Number(raw);
  }

  // Reads a scalar value at pos, counting it as a leaf.
  readLeaf(): JsonLeaf | null {
    const value = this.text.charCodeAt(this.pos) === QUOTE ? this.readString() : this.readLiteral();
    if (value !== null) this.leaves++;
    return value;
  }

  // Skips the value at pos, checking it and counting its leaves (the MAX_FIELDS cut stays exact).
  skipValue(): void {
    const c = this.text.charCodeAt(this.pos);
    if (c === LBRACE || c === LBRACKET) this.walk(null);
    else this.skipLeaf();
  }

  // Skips the scalar at pos, checking it; false for JSON null.
  skipLeaf(): boolean {
    if (this.text.charCodeAt(this.pos) === QUOTE) {
      const open = this.pos;
      const end = this.stringEnd(open);
      if (this.hasEscape(open, end)) this.readString(); // checks the escapes
      this.pos = end + 1;
    } else if (this.readLiteral() === null) return false;
    this.leaves++;
    return true;
  }

  // After a member or element: true when the container goes on, false when it closed.
  more(close: number): boolean {
    this.skipSpace();
    const c = this.text.charCodeAt(this.pos++);
    if (c === COMMA) return true;
    if (c !== close) throw MALFORMED;
    this.depth--;
    return false;
  }

  // Opens a container at pos; false when it is empty (and already closed).
  open(close: number): boolean {
    if (++this.depth > MAX_DEPTH) throw MALFORMED;
    this.pos++;
    this.skipSpace();
    if (this.text.charCodeAt(this.pos) !== close) return true;
    this.pos++;
    this.depth--;
    return false;
  }

  // Walks the container at pos, keeping the values of `node`'s targets in `out`. Once every
  // target is found (done), the rest is only skipped, but still checked.
  collect(node: TrieNode, out: (JsonLeaf | null)[]): void {
    const isObject = this.text.charCodeAt(this.pos) === LBRACE;
    const close = isObject ? RBRACE : RBRACKET;
    if (!this.open(close)) return;
    let index = 0;
    do {
      let child: TrieNode | undefined;
      if (isObject) {
        this.skipSpace();
        const open = this.pos;
        if (this.text.charCodeAt(open) !== QUOTE) throw MALFORMED;
        const end = this.stringEnd(open);
        child = this.done ? undefined : this.matchKey(node, open + 1, end);
        this.pos = end + 1;
        this.skipSpace();
        if (this.text.charCodeAt(this.pos++) !== COLON) throw MALFORMED;
      } else child = this.done ? undefined : node.children.get(String(index++));
      this.skipSpace();
      const c = this.text.charCodeAt(this.pos);
      if (child === undefined) this.skipValue();
      else if (c === LBRACE || c === LBRACKET) {
        if (child.children.size > 0) this.collect(child, out);
        else this.skipValue();
      } else {
        const value = this.readLeaf();
        if (child.target >= 0 && this.leaves <= MAX_FIELDS && out[child.target] === null && value !== null) {
          out[child.target] = value;
          if (--this.missing === 0) this.done = true;
        }
        if (this.leaves >= MAX_FIELDS) this.done = true; // nothing further can be a field
      }
    } while (this.more(close));
  }

  // Whether text[start, end) holds a backslash; scans ahead once for a run of calls in order.
  private hasEscape(start: number, end: number): boolean {
    if (this.backslash < start) {
      const next = this.text.indexOf('\\', start);
      this.backslash = next < 0 ? Number.POSITIVE_INFINITY : next;
    }
    return this.backslash < end;
  }

  // The trie node named by the key text[start, end), if any.
  private matchKey(node: TrieNode, start: number, end: number): TrieNode | undefined {
    if (this.hasEscape(start, end)) {
      // an escaped key: decode it (rare, so the slow way)
      const raw = this.text.slice(start - 1, end + 1);
      let decoded: unknown;
      try {
        decoded = JSON.parse(raw);
      } catch {
        throw MALFORMED;
      }
      return node.paths.find((p) => p.key === decoded)?.node;
    }
    const length = end - start;
    for (const p of node.paths) {
      if (p.key.length === length && this.text.startsWith(p.key, start)) return p.node;
    }
    return undefined;
  }

  // Walks the container at pos, appending every leaf under `prefix` (null: the top level).
  flatten(prefix: string | null, out: [string, JsonLeaf][]): void {
    const isObject = this.text.charCodeAt(this.pos) === LBRACE;
    const close = isObject ? RBRACE : RBRACKET;
    if (!this.open(close)) return;
    let index = 0;
    do {
      const key = isObject ? this.readKey() : String(index++);
      if (!isObject) this.skipSpace();
      const name = prefix === null ? key : `${prefix}.${key}`;
      const c = this.text.charCodeAt(this.pos);
      if (c === LBRACE || c === LBRACKET) this.flatten(name, out);
      else {
        const value = this.readLeaf();
        if (value !== null && this.leaves <= MAX_FIELDS) out.push([name, value]);
      }
    } while (this.more(close));
  }

  // Walks the container at pos, checking it and counting its leaves; appends its structure to
  // `out` when given: brackets, keys as written, `v` for a value and `z` for null. A key holding
  // an escape is checked and noted (escapedKey): such a key cannot be found by its text.
  walk(out: string[] | null): void {
    const isObject = this.text.charCodeAt(this.pos) === LBRACE;
    const close = isObject ? RBRACE : RBRACKET;
    out?.push(isObject ? '{' : '[');
    if (this.open(close)) {
      do {
        if (isObject) {
          this.skipSpace();
          const open = this.pos;
          if (this.text.charCodeAt(open) !== QUOTE) throw MALFORMED;
          const end = this.stringEnd(open);
          if (this.hasEscape(open, end)) {
            this.readString(); // checks the escapes
            this.escapedKey = true;
          }
          out?.push(this.text.slice(open, end + 1));
          this.pos = end + 1;
          this.skipSpace();
          if (this.text.charCodeAt(this.pos++) !== COLON) throw MALFORMED;
        }
        this.skipSpace();
        const c = this.text.charCodeAt(this.pos);
        if (c === LBRACE || c === LBRACKET) this.walk(out);
        else {
          const leaf = this.skipLeaf();
          out?.push(leaf ? 'v' : 'z');
        }
      } while (this.more(close));
    }
    out?.push(isObject ? '}' : ']');
  }

  // Only whitespace may follow the top-level object.
  finish(): void {
    this.skipSpace();
    if (this.pos !== this.text.length) throw MALFORMED;
  }
}

function startsObject(message: string): number {
  let i = 0;
  while (isSpace(message.charCodeAt(i))) i++;
  return message.charCodeAt(i) === LBRACE ? i : -1;
}

// Fills `out` (one slot per trie name) with the values found in `message`, null where absent.
// Returns false when the message is not a JSON object.
export function extractFields(message: string, trie: FieldTrie, out: (JsonLeaf | null)[]): boolean {
  out.fill(null);
  const start = startsObject(message);
  if (start < 0) return false;
  if (!trie.mightBeIn(message)) return true;
  const scanner = new Scanner(message);
  scanner.pos = start;
  scanner.missing = trie.names.length;
  try {
    scanner.collect(trie.root, out);
    scanner.finish();
  } catch (e) {
    out.fill(null);
    if (e === MALFORMED) return false;
    throw e;
  }
  return true;
}

// Every field of a JSON message in document order (first occurrence of a name wins);
// empty when the message is not a JSON object.
export function flattenJson(message: string): [string, JsonLeaf][] {
  const start = startsObject(message);
  if (start < 0) return [];
  const out: [string, JsonLeaf][] = [];
  const scanner = new Scanner(message);
  scanner.pos = start;
  try {
    scanner.flatten(null, out);
    scanner.finish();
  } catch (e) {
    if (e === MALFORMED) return [];
    throw e;
  }
  const seen = new Set<string>();
  return out.filter(([name]) => !seen.has(name) && (seen.add(name), true));
}

export const NOT_JSON = '';

// The structure of a message without its values (see Scanner.walk): NOT_JSON when the message
// is not a JSON object, null when its structure cannot serve as an index (a key with an escape).
export function jsonSkeleton(message: string): string | null {
  const start = startsObject(message);
  if (start < 0) return NOT_JSON;
  const scanner = new Scanner(message);
  scanner.pos = start;
  const out: string[] = [];
  try {
    scanner.walk(out);
    scanner.finish();
  } catch (e) {
    if (e === MALFORMED) return NOT_JSON;
    throw e;
  }
  return scanner.escapedKey ? null : out.join('');
}

// Where a field's key sits in the messages of one shape (shapes.ts).
export interface KeyToken {
  needle: string; // the key in quotes, as written
  occurrence: number; // the n-th key token with this text holds the field (first is 1)
  unique: boolean; // the only key token with this text, so a search may start anywhere
  hint: number; // where it was found last time; messages of one shape put it in about the same place
}

// How far before the last position a unique key is looked for first.
const HINT_SLACK = 64;

// The scalar under the key token in a message of the token's shape; undefined when it is not
// where the shape says (the caller then scans the message).
export function readKeyToken(message: string, token: KeyToken): JsonLeaf | undefined {
  const { needle, occurrence } = token;
  let at = token.unique ? findKeyToken(message, needle, Math.max(0, token.hint - HINT_SLACK)) : -1;
  if (at < 0) {
    for (let n = 0; n < occurrence; n++) {
      at = findKeyToken(message, needle, at + 1);
      if (at < 0) return undefined;
    }
  }
  token.hint = at;
  return leafAfterKey(message, at + needle.length) ?? undefined;
}

// Where the key token `needle` (a key in quotes, as written) starts at or after `from`, or -1.
// In a well-formed message (one with a skeleton) a match is a key exactly when its quote is not
// escaped and a colon follows: an unescaped quote before the key's text can only open a string,
// provided the key starts with neither whitespace nor a structural character.
function findKeyToken(message: string, needle: string, from: number): number {
  for (let at = message.indexOf(needle, from); at >= 0; at = message.indexOf(needle, at + 1)) {
    if (message.charCodeAt(at - 1) === BACKSLASH) continue;
    let next = at + needle.length;
    while (isSpace(message.charCodeAt(next))) next++;
    if (message.charCodeAt(next) === COLON) return at;
  }
  return -1;
}

// The scalar after the key token ending at `keyEnd`; null when there is none.
function leafAfterKey(message: string, keyEnd: number): JsonLeaf | null {
  let pos = keyEnd;
  while (isSpace(message.charCodeAt(pos))) pos++;
  if (message.charCodeAt(pos++) !== COLON) return null;
  while (isSpace(message.charCodeAt(pos))) pos++;
  const c = message.charCodeAt(pos);
  if (c === LBRACE || c === LBRACKET) return null;
  if (c > ZERO && c <= NINE) {
    // A plain integer (the counts and sizes logs are full of) read in place: no slice, no Number().
    let n = c - ZERO;
    let end = pos + 1;
    for (
      let d = message.charCodeAt(end);
      d >= ZERO && d <= NINE && end - pos < 15;
      d = message.charCodeAt(++end)
    )
      n = n * 10 + (d - ZERO);
    const next = message.charCodeAt(end);
    if (next === COMMA || next === RBRACE || next === RBRACKET || isSpace(next)) return n;
  }
  const scanner = new Scanner(message);
  scanner.pos = pos;
  try {
    return scanner.readLeaf();
  } catch (e) {
    if (e === MALFORMED) return null;
    throw e;
  }
}
