// Executes a parsed query over log records. Expressions are compiled once into closures; the
// records stream through the leading row-by-row commands (filter, fields, parse) into a
// collector: a stats aggregator, or a bounded top-k for sort/limit, so a million records never
// need a million-row intermediate result.

import type { CallExpr, Command, Expr, ParsedQuery, StatsCommand } from './ast';
import { lookupFunction, paramKind, type Accumulator, type AggregateFunction } from './functions';
import { FieldTrie, extractFields, flattenJson, readKeyToken, type JsonLeaf } from './json';
import type { FieldLocation, JsonShape } from './shapes';
import { Timestamp, compareValues, isTruthy, toNumber, toText, valuesEqual, type Value } from './values';
import { execRegex, type LinearRegex } from './regex';

export interface LogRecord {
  timestamp: number; // epoch ms
  ingestionTime: number; // epoch ms
  message: string;
  logStreamName: string;
  logGroupName: string;
  accountId: string;
  eventId: string;
  /** The message's size in UTF-8 bytes, when the store knows it: measuring it costs a pass over the text. */
  byteLength?: number;
  /** The message's structure, when the store indexed it at ingestion (see shapes.ts). */
  shape?: JsonShape;
}

export interface ResultField {
  field: string;
  value: string;
}

export interface QueryStatistics {
  recordsMatched: number;
  recordsScanned: number;
  bytesScanned: number;
}

export interface QueryOutput {
  results: ResultField[][];
  statistics: QueryStatistics;
}

export interface ExecuteOptions {
  startTime: number; // epoch seconds, inclusive
  endTime: number; // epoch seconds, inclusive of its whole second
  limit?: number;
  signal?: AbortSignal;
  onProgress?: (s: QueryStatistics) => void;
}

export const DEFAULT_RESULT_LIMIT = 10_000;
// A query gives the event loop back after at most this long, checked every few records: a slow
// pattern or a huge message makes records slow, and the server must answer meanwhile.
const SLICE_MS = 10;
const RECORDS_PER_CLOCK_CHECK = 64;

// --- rows

interface Row {
  get(name: string): Value;
  // A field named in the query: `slot` is its number in the query's QueryFields (-1: none).
  field(name: string, slot: number): Value;
  set(name: string, value: Value): void;
  timestampMs(): number | null;
}

// The fields a query names, numbered, so that compiled expressions read a record's JSON field by
// number; each record shape is looked up once per query, not once per record.
class QueryFields {
  readonly trie: FieldTrie;
  readonly slots: ReadonlyMap<string, number>;
  private readonly located = new Map<JsonShape, (FieldLocation | null)[]>();

  constructor(readonly names: readonly string[]) {
    this.trie = new FieldTrie(names);
    this.slots = new Map(names.map((n, i) => [n, i]));
  }

  locations(shape: JsonShape): (FieldLocation | null)[] {
    let locations = this.located.get(shape);
    if (locations === undefined) {
      locations = this.names.map((name) => shape.locate(name));
      this.located.set(shape, locations);
    }
    return locations;
  }
}

const SYSTEM_FIELDS = ['@timestamp', '@message', '@logStream', '@log'] as const;

// @ptr: an opaque, stable pointer to one event (base64url of its coordinates), which
// parseLogRecordPointer reads back. Nothing serves GetLogRecord yet: it is what would take one.
export function logRecordPointer(r: LogRecord): string {
  return Buffer.from([r.accountId, r.logGroupName, r.logStreamName, r.eventId].join('\u0000')).toString(
    'base64url',
  );
}

export function parseLogRecordPointer(
  ptr: string,
): Pick<LogRecord, 'accountId' | 'logGroupName' | 'logStreamName' | 'eventId'> | null {
  const parts = Buffer.from(ptr, 'base64url').toString('utf8').split('\u0000');
  if (parts.length !== 4) return null;
  const [accountId = '', logGroupName = '', logStreamName = '', eventId = ''] = parts;
  return { accountId, logGroupName, logStreamName, eventId };
}

function jsonValue(v: JsonLeaf | null | undefined): Value {
  return v ?? null;
}

// A log event seen through the query: system fields, JSON fields read on demand (only the fields
// the query names: through the record's shape when its store indexed one, else one scan of the
// message for all of them), and fields computed by fields/parse.
// The streaming loop reuses one RecordRow for every record (reset) and copies it only when a
// collector keeps the row, so a million records do not make a million objects.
class RecordRow implements Row {
  record!: LogRecord;
  private computed: Map<string, Value> | null = null;
  private scanned = false;
  private isJson = false;
  // json[i] holds this record's value of field i when read[i] === generation. Allocated on the
  // first read: rows kept by a sort are copied often and most are never read.
  private json: (JsonLeaf | null)[] | null = null;
  private read: number[] | null = null;
  private generation = 0;
  private shape: JsonShape | null = null; // the shape `locations` belong to
  private locations: (FieldLocation | null)[] = [];

  constructor(private readonly fields: QueryFields) {}

  reset(record: LogRecord): this {
    this.record = record;
    this.computed = null;
    this.scanned = false;
    this.generation = (this.generation + 1) >>> 0 || 1;
    return this;
  }

  // A row that outlives the streaming loop; JSON fields are read again when asked for.
  copy(): RecordRow {
    const row = new RecordRow(this.fields).reset(this.record);
    row.computed = this.computed === null ? null : new Map(this.computed);
    return row;
  }

  get(name: string): Value {
    return this.field(name, this.fields.slots.get(name) ?? -1);
  }

  field(name: string, slot: number): Value {
    if (this.computed !== null && this.computed.has(name)) return this.computed.get(name) ?? null;
    if (name.charCodeAt(0) === 64) {
      const r = this.record;
      switch (name) {
        case '@timestamp':
          return new Timestamp(r.timestamp);
        case '@message':
          return r.message;
        case '@logStream':
          return r.logStreamName;
        case '@log':
          return `${r.accountId}:${r.logGroupName}`;
        case '@ingestionTime':
          return new Timestamp(r.ingestionTime);
      }
    }
    if (slot < 0) return jsonValue(flattenJson(this.record.message).find(([n]) => n === name)?.[1]);
    const size = this.fields.names.length;
    const json = (this.json ??= new Array<JsonLeaf | null>(size).fill(null));
    const read = (this.read ??= new Array<number>(size).fill(0));
    if (read[slot] !== this.generation) {
      json[slot] = this.jsonField(slot, json, read);
      read[slot] = this.generation;
    }
    return jsonValue(json[slot]);
  }

  private jsonField(slot: number, json: (JsonLeaf | null)[], read: number[]): JsonLeaf | null {
    const shape = this.record.shape;
    if (shape !== undefined && !this.scanned) {
      if (!shape.isJson) return null;
      if (shape !== this.shape) {
        this.shape = shape;
        this.locations = this.fields.locations(shape);
      }
      const location = this.locations[slot] ?? null;
      if (location === null) return null;
      const value = location === 'scan' ? undefined : readKeyToken(this.record.message, location);
      if (value !== undefined) return value;
    }
    if (!this.scanned) {
      this.isJson = extractFields(this.record.message, this.fields.trie, json);
      this.scanned = true;
      read.fill(this.generation); // the scan filled every field
    }
    return this.isJson ? (json[slot] ?? null) : null;
  }

  set(name: string, value: Value): void {
    (this.computed ??= new Map()).set(name, value);
  }

  timestampMs(): number | null {
    return this.computed?.has('@timestamp') ? toNumber(this.get('@timestamp')) : this.record.timestamp;
  }

  // Every field, for queries that never say which ones to return.
  allFields(): [string, Value][] {
    const fields: [string, Value][] = SYSTEM_FIELDS.map((name) => [name, this.get(name)]);
    const computed = this.computed ?? new Map<string, Value>();
    for (const [name, value] of flattenJson(this.record.message)) {
      if (!computed.has(name) && !SYSTEM_FIELDS.some((s) => s === name)) fields.push([name, value]);
    }
    return [...fields, ...computed];
  }
}

// A row of a stats result.
class TableRow implements Row {
  constructor(readonly values: Map<string, Value> = new Map()) {}

  get(name: string): Value {
    return this.values.get(name) ?? null;
  }

  field(name: string): Value {
    return this.get(name);
  }

  set(name: string, value: Value): void {
    this.values.set(name, value);
  }

  timestampMs(): number | null {
    return toNumber(this.get('@timestamp'));
  }
}

// --- expressions

type Compiled = (row: Row) => Value;

interface CompileContext {
  slots?: ReadonlyMap<string, number>; // numbers of the query's fields (QueryFields.slots)
  aggregateValue?: (call: CallExpr) => Compiled; // reads a finished aggregate inside stats items
}

function internal(what: string): Error {
  return new Error(`internal error: ${what}`);
}

function compileExpr(expr: Expr, ctx: CompileContext = {}): Compiled {
  switch (expr.kind) {
    case 'field': {
      const name = expr.name;
      const slot = ctx.slots?.get(name) ?? -1;
      return (row) => row.field(name, slot);
    }
    case 'number':
    case 'string': {
      const value = expr.value;
      return () => value;
    }
    case 'unary': {
      const operand = compileExpr(expr.operand, ctx);
      if (expr.op === 'not') return (row) => !isTruthy(operand(row));
      return (row) => {
        const n = toNumber(operand(row));
        return n === null ? null : -n;
      };
    }
    case 'binary':
      return compileBinary(expr.op, compileExpr(expr.left, ctx), compileExpr(expr.right, ctx));
    case 'match': {
      const subject = compileExpr(expr.subject, ctx);
      const negated = expr.negated;
      const pattern = expr.pattern;
      const test =
        pattern.kind === 'regex'
          ? (s: string) => pattern.regex.test(s)
          : (s: string) => s.includes(pattern.value);
      // A missing subject matches neither `like` nor `not like`, as comparisons with it are false.
      return (row) => {
        const text = toText(subject(row));
        return text === null ? false : test(text) !== negated;
      };
    }
    case 'in': {
      const subject = compileExpr(expr.subject, ctx);
      const items = expr.items.map((item) => compileExpr(item, ctx));
      const negated = expr.negated;
      return (row) => {
        const v = subject(row);
        if (v === null) return false;
        const found = items.some((item) => {
          const candidate = item(row);
          return candidate !== null && valuesEqual(v, candidate);
        });
        return found !== negated;
      };
    }
    case 'call':
      return compileCall(expr, ctx);
    default:
      // regexes, periods and `*` only occur where the parser consumes them directly
      throw internal(`cannot evaluate a ${expr.kind} on its own`);
  }
}

function compileBinary(op: string, left: Compiled, right: Compiled): Compiled {
  switch (op) {
    case 'and':
      return (row) => isTruthy(left(row)) && isTruthy(right(row));
    case 'or':
      return (row) => isTruthy(left(row)) || isTruthy(right(row));
    case '=':
    case '!=': {
      const want = op === '=';
      return (row) => {
        const a = left(row);
        const b = right(row);
        return a !== null && b !== null && valuesEqual(a, b) === want;
      };
    }
    case '<':
    case '<=':
    case '>':
    case '>=': {
      const holds =
        op === '<'
          ? (c: number) => c < 0
          : op === '<='
            ? (c: number) => c <= 0
            : op === '>'
              ? (c: number) => c > 0
              : (c: number) => c >= 0;
      return (row) => {
        const a = left(row);
        const b = right(row);
        return a !== null && b !== null && holds(compareValues(a, b));
      };
    }
    default: {
      const apply = ARITHMETIC[op];
      if (apply === undefined) throw internal(`unknown operator ${op}`);
      return (row) => {
        const a = toNumber(left(row));
        const b = toNumber(right(row));
        if (a === null || b === null) return null;
        const r = apply(a, b);
        return Number.isFinite(r) ? r : null; // division by zero and friends yield no value
      };
    }
  }
}

const ARITHMETIC: Record<string, (a: number, b: number) => number> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
  '%': (a, b) => a % b,
  '^': (a, b) => a ** b,
};

function compileCall(call: CallExpr, ctx: CompileContext): Compiled {
  const def = lookupFunction(call.name);
  if (def === undefined) throw internal(`unknown function ${call.name}`);
  if (def.kind === 'aggregate') {
    if (ctx.aggregateValue === undefined) throw internal(`aggregate ${call.name} outside stats`);
    return ctx.aggregateValue(call);
  }
  const periods = call.args.flatMap((a) => (a.kind === 'duration' ? [a.period] : []));
  const args = call.args.filter((a) => a.kind !== 'duration').map((a) => compileExpr(a, ctx));
  if ('ofTimestamp' in def) {
    const ofTimestamp = def.ofTimestamp(periods);
    return (row) => {
      const ts = row.timestampMs();
      return ts === null ? null : ofTimestamp(ts);
    };
  }
  const apply = def.apply;
  return (row) =>
    apply(
      args.map((arg) => arg(row)),
      periods,
    );
}

// --- stats

interface AggregateSlot {
  def: AggregateFunction;
  args: Compiled[]; // value arguments; `*` and literals are not evaluated per row
  values: Value[]; // the arguments' values for the current row (accumulators do not keep them)
  numbers: number[];
}

interface Group {
  keys: Value[];
  accumulators: Accumulator[];
}

const NO_KEYS: Value[] = [];

// Map key of a group: typed, so that "1" and 1 and a date stay apart.
function keyPart(v: Value): string {
  if (v === null) return 'x';
  if (v instanceof Timestamp) return `t${v.ms}`;
  return `${typeof v}:${String(v)}`;
}

class Aggregator {
  private readonly keys: Compiled[];
  private readonly slots: AggregateSlot[] = [];
  private readonly slotOf = new Map<CallExpr, number>();
  private readonly items: { name: string; value: Compiled }[];
  private readonly groups = new Map<string | number, Group>();
  private lastKey: string | number | undefined;
  private lastGroup: Group | undefined;
  private results: Value[] = [];

  constructor(
    private readonly stats: StatsCommand,
    private readonly fieldSlots?: ReadonlyMap<string, number>,
  ) {
    this.keys = stats.groupBy.map((g) => compileExpr(g.expr, { slots: fieldSlots }));
    const ctx: CompileContext = {
      aggregateValue: (call) => {
        const slot = this.slotOf.get(call);
        if (slot === undefined) throw internal('aggregate call without a slot');
        return () => this.results[slot] ?? null;
      },
    };
    for (const item of stats.items) this.collectSlots(item.expr);
    this.items = stats.items.map((item) => ({ name: item.outputName, value: compileExpr(item.expr, ctx) }));
  }

  private collectSlots(expr: Expr): void {
    forEachChild(expr, (e) => this.collectSlots(e));
    if (expr.kind !== 'call') return;
    const def = lookupFunction(expr.name);
    if (def?.kind !== 'aggregate') return;
    this.slotOf.set(expr, this.slots.length);
    const args = expr.args
      .filter((a, i) => a.kind !== 'star' && paramKind(def, i) !== 'number')
      .map((a) => compileExpr(a, { slots: this.fieldSlots }));
    this.slots.push({
      def,
      args,
      values: args.map(() => null),
      numbers: expr.args.flatMap((a, i) =>
        a.kind === 'number' && paramKind(def, i) === 'number' ? [a.value] : [],
      ),
    });
  }

  add(row: Row): void {
    let key: string | number = '';
    let single: Value = null; // the key of a one-key grouping, the common `by bin(...)` / `by field`
    let keyValues: Value[] | null = null;
    if (this.keys.length === 1) {
      single = (this.keys[0] as Compiled)(row);
      key = single instanceof Timestamp ? single.ms : keyPart(single);
    } else if (this.keys.length > 1) {
      keyValues = this.keys.map((k) => k(row));
      key = keyValues.map(keyPart).join('\u0000');
    }
    // Records come in time order, so a bin's records follow one another: skip the lookup.
    let group = key === this.lastKey ? this.lastGroup : this.groups.get(key);
    if (group === undefined) {
      const keys = keyValues ?? (this.keys.length === 1 ? [single] : NO_KEYS);
      group = { keys, accumulators: this.slots.map((s) => s.def.create(s.numbers)) };
      this.groups.set(key, group);
    }
    this.lastKey = key;
    this.lastGroup = group;
    const ts = row.timestampMs();
    for (let i = 0; i < this.slots.length; i++) {
      const slot = this.slots[i] as AggregateSlot;
      for (let j = 0; j < slot.args.length; j++) slot.values[j] = (slot.args[j] as Compiled)(row);
      (group.accumulators[i] as Accumulator).add(slot.values, ts);
    }
  }

  // Result rows: group keys first, then the stats items. Ordered by the group keys, dates
  // newest first and other values ascending (AWS leaves the order to its engine).
  finish(): TableRow[] {
    const groups = [...this.groups.values()];
    if (groups.length === 0 && this.keys.length === 0) {
      // `stats count()` over nothing still answers one row, e.g. count() = 0
      groups.push({ keys: [], accumulators: this.slots.map((s) => s.def.create(s.numbers)) });
    }
    groups.sort((a, b) => {
      for (let i = 0; i < a.keys.length; i++) {
        const c = compareNullsLast(a.keys[i] ?? null, b.keys[i] ?? null, a.keys[i] instanceof Timestamp);
        if (c !== 0) return c;
      }
      return 0;
    });
    return groups.map((group) => {
      const row = new TableRow();
      this.stats.groupBy.forEach((g, i) => row.set(g.outputName, group.keys[i] ?? null));
      this.results = group.accumulators.map((a) => a.result());
      for (const item of this.items) row.set(item.name, item.value(row));
      return row;
    });
  }
}

// --- ordering

// null sorts last in either direction.
function compareNullsLast(a: Value, b: Value, descending: boolean): number {
  if (a === null || b === null) return a === null ? (b === null ? 0 : 1) : -1;
  const c = compareValues(a, b);
  return descending ? -c : c;
}

interface SortSpec {
  value: Compiled;
  descending: boolean;
  byTime: boolean; // the key is the record's own @timestamp
}

interface Ranked {
  row: Row;
  keys: Value[];
  seq: number; // arrival order breaks ties, keeping sorts stable
}

function keysComparator(specs: SortSpec[]): (a: Value[], b: Value[]) => number {
  return (a, b) => {
    for (let i = 0; i < specs.length; i++) {
      const c = compareNullsLast(a[i] ?? null, b[i] ?? null, (specs[i] as SortSpec).descending);
      if (c !== 0) return c;
    }
    return 0;
  };
}

// Keeps the `capacity` first rows of an ordering in a heap whose root is the worst kept row,
// so sort + limit over a million records holds only `limit` rows.
class TopK {
  private readonly heap: Ranked[] = [];
  private seq = 0;
  private readonly scratch: Value[] = []; // the keys of the row being pushed
  private readonly compare: (a: Ranked, b: Ranked) => number;
  private readonly compareKeys: (a: Value[], b: Value[]) => number;

  // retain: turns a row that is kept into one that outlives the call (see RecordRow.reset).
  constructor(
    private readonly specs: SortSpec[],
    private readonly capacity: number,
    private readonly retain: (row: Row) => Row = (row) => row,
  ) {
    this.compareKeys = keysComparator(specs);
    this.compare = (a, b) => this.compareKeys(a.keys, b.keys) || a.seq - b.seq;
  }

  push(row: Row): void {
    const heap = this.heap;
    const keys = this.scratch;
    for (let i = 0; i < this.specs.length; i++) keys[i] = (this.specs[i] as SortSpec).value(row);
    const seq = this.seq++;
    if (heap.length < this.capacity) {
      heap.push({ row: this.retain(row), keys: keys.slice(), seq });
      // with no bound everything is kept and sorted once at the end
      if (this.capacity !== Number.POSITIVE_INFINITY) this.siftUp(heap.length - 1);
      return;
    }
    // A row no better than the worst kept one is dropped before anything is allocated for it;
    // on equal keys it loses, as the later arrival.
    const worst = heap[0] as Ranked;
    if (this.compareKeys(keys, worst.keys) >= 0) return;
    heap[0] = { row: this.retain(row), keys: keys.slice(), seq };
    this.siftDown(0);
  }

  rows(): Row[] {
    return this.heap.sort(this.compare).map((r) => r.row);
  }

  private siftUp(i: number): void {
    const heap = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.compare(heap[i] as Ranked, heap[parent] as Ranked) <= 0) return;
      const child = heap[i] as Ranked;
      heap[i] = heap[parent] as Ranked;
      heap[parent] = child;
      i = parent;
    }
  }

  private siftDown(i: number): void {
    const heap = this.heap;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let worst = i;
      if (left < heap.length && this.compare(heap[left] as Ranked, heap[worst] as Ranked) > 0) worst = left;
      if (right < heap.length && this.compare(heap[right] as Ranked, heap[worst] as Ranked) > 0)
        worst = right;
      if (worst === i) return;
      const parent = heap[i] as Ranked;
      heap[i] = heap[worst] as Ranked;
      heap[worst] = parent;
      i = worst;
    }
  }
}

// --- stages

type Stage =
  | { kind: 'filter'; test: Compiled }
  | { kind: 'assign'; assignments: { name: string; value: Compiled }[] }
  | { kind: 'parse'; source: Compiled; regex: LinearRegex; names: string[]; named: boolean }
  | { kind: 'sort'; specs: SortSpec[] }
  | { kind: 'limit'; count: number }
  | { kind: 'dedup'; names: string[] }
  | { kind: 'stats'; command: StatsCommand };

function compileStage(command: Command, slots: ReadonlyMap<string, number>): Stage | null {
  const ctx: CompileContext = { slots };
  switch (command.kind) {
    case 'filter':
      return { kind: 'filter', test: compileExpr(command.expr, ctx) };
    case 'fields': {
      // `fields a` only selects; aliases and expressions compute a new field.
      const assignments = command.items
        .filter((item) => item.expr.kind !== 'field' || item.alias !== undefined)
        .map((item) => ({ name: item.outputName, value: compileExpr(item.expr, ctx) }));
      return assignments.length === 0 ? null : { kind: 'assign', assignments };
    }
    case 'parse':
      return {
        kind: 'parse',
        source: compileExpr(command.source, ctx),
        regex: command.regex,
        names: command.names,
        named: command.pattern.kind === 'regex',
      };
    case 'sort':
      return {
        kind: 'sort',
        specs: command.keys.map((k) => {
          const byTime = k.expr.kind === 'field' && k.expr.name === '@timestamp';
          return {
            // sorting by time compares plain numbers: no date object per row
            value: byTime ? (row: Row) => row.timestampMs() : compileExpr(k.expr, ctx),
            descending: k.descending,
            byTime,
          };
        }),
      };
    case 'limit':
      return { kind: 'limit', count: command.count };
    case 'dedup':
      return { kind: 'dedup', names: command.fields.map((f) => f.name) };
    case 'stats':
      return { kind: 'stats', command };
    case 'display':
    case 'source':
      return null; // display only shapes the output; SOURCE is resolved by the caller
  }
}

// Row-by-row stages; false when the row is dropped.
function applyStreaming(stage: Stage, row: Row): boolean {
  switch (stage.kind) {
    case 'filter':
      return isTruthy(stage.test(row));
    case 'assign':
      for (const a of stage.assignments) row.set(a.name, a.value(row));
      return true;
    case 'parse': {
      const text = toText(stage.source(row));
      const match = text === null ? null : execRegex(stage.regex, text);
      if (match === null) return true; // no match: the fields stay absent
      stage.names.forEach((name, i) => {
        const captured = stage.named ? match.groups?.[name] : match[i + 1];
        if (captured !== undefined) row.set(name, captured);
      });
      return true;
    }
    default:
      throw internal(`${stage.kind} is not a row-by-row stage`);
  }
}

function isStreaming(stage: Stage): boolean {
  return stage.kind === 'filter' || stage.kind === 'assign' || stage.kind === 'parse';
}

// How many rows can survive the stages after an ordering: only limits cut, and only when no
// filter, dedup or stats before them needs to see every row.
function capacityAfter(stages: Stage[], finalLimit: number): number {
  for (const stage of stages) {
    if (stage.kind === 'limit') return Math.min(stage.count, finalLimit);
    if (stage.kind !== 'assign' && stage.kind !== 'parse') return Number.POSITIVE_INFINITY;
  }
  return finalLimit;
}

// Stages after the collector run over the (small) collected rows.
function applyToRows(rows: Row[], stages: Stage[], slots: ReadonlyMap<string, number>): Row[] {
  for (const stage of stages) {
    switch (stage.kind) {
      case 'sort': {
        const top = new TopK(stage.specs, Number.POSITIVE_INFINITY);
        rows.forEach((r) => top.push(r));
        rows = top.rows();
        break;
      }
      case 'limit':
        rows = rows.slice(0, stage.count);
        break;
      case 'dedup':
        rows = dedup(rows, stage.names);
        break;
      case 'stats': {
        const aggregator = new Aggregator(stage.command, slots);
        rows.forEach((r) => aggregator.add(r));
        rows = aggregator.finish();
        break;
      }
      default:
        rows = rows.filter((r) => applyStreaming(stage, r));
    }
  }
  return rows;
}

// Keeps the first row of each combination of values. UNVERIFIED: rows lacking one of the
// fields are all kept.
function dedup(rows: Row[], names: string[]): Row[] {
  const seen = new Set<string>();
  return rows.filter((row) => {
    const values = names.map((n) => row.get(n));
    if (values.some((v) => v === null)) return true;
    const key = values.map(keyPart).join('\u0000');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// --- the program

// Visible result columns: 'all' until a fields/display/stats command names them. `fields`
// commands add up, `parse` adds its names to a chosen set, `display` and `stats` replace it.
function resultColumns(commands: Command[]): string[] | 'all' {
  let columns: string[] | 'all' = 'all';
  const add = (names: string[]) => {
    columns = columns === 'all' ? [...names] : [...columns, ...names.filter((n) => !columns.includes(n))];
  };
  for (const c of commands) {
    if (c.kind === 'fields') add(c.items.map((i) => i.outputName));
    else if (c.kind === 'parse' && columns !== 'all') add(c.names);
    else if (c.kind === 'display') columns = c.fields.map((f) => f.name);
    else if (c.kind === 'stats') columns = [...c.groupBy, ...c.items].map((p) => p.outputName);
  }
  return columns;
}

export function forEachChild(expr: Expr, visit: (child: Expr) => void): void {
  switch (expr.kind) {
    case 'unary':
      visit(expr.operand);
      return;
    case 'binary':
      visit(expr.left);
      visit(expr.right);
      return;
    case 'match':
      visit(expr.subject);
      visit(expr.pattern);
      return;
    case 'in':
      visit(expr.subject);
      expr.items.forEach(visit);
      return;
    case 'call':
      expr.args.forEach(visit);
      return;
    default:
      return;
  }
}

// Every field name written in the query, including those only listed by display/dedup/parse.
export function commandFieldRefs(command: Command): string[] {
  const names: string[] = [];
  const walk = (e: Expr): void => {
    if (e.kind === 'field') names.push(e.name);
    forEachChild(e, walk);
  };
  switch (command.kind) {
    case 'fields':
      command.items.forEach((i) => walk(i.expr));
      break;
    case 'stats':
      [...command.items, ...command.groupBy].forEach((i) => walk(i.expr));
      break;
    case 'filter':
      walk(command.expr);
      break;
    case 'sort':
      command.keys.forEach((k) => walk(k.expr));
      break;
    case 'display':
    case 'dedup':
      command.fields.forEach(walk);
      break;
    case 'parse':
      walk(command.source);
      break;
    case 'limit':
    case 'source':
      break;
  }
  return names;
}

function abortError(): Error {
  return new DOMException('The query was stopped', 'AbortError');
}

function formatRow(row: Row, columns: string[] | 'all'): ResultField[] {
  const fields: ResultField[] = [];
  const entries: [string, Value][] =
    columns === 'all' && row instanceof RecordRow
      ? row.allFields()
      : (columns === 'all' ? [] : columns).map((name) => [name, row.get(name)]);
  for (const [field, v] of entries) {
    const value = toText(v);
    if (value !== null) fields.push({ field, value });
  }
  if (row instanceof RecordRow) fields.push({ field: '@ptr', value: logRecordPointer(row.record) });
  return fields;
}

// Rows of a non-aggregating query come back newest first unless the query sorts them
// (AWS's own order is engine-defined).
const NEWEST_FIRST: SortSpec[] = [{ value: (row) => row.timestampMs(), descending: true, byTime: true }];

export async function execute(
  query: ParsedQuery,
  records: Iterable<LogRecord>,
  options: ExecuteOptions,
): Promise<QueryOutput> {
  const { signal, onProgress } = options;
  if (signal?.aborted) throw abortError();
  const finalLimit = Math.max(1, Math.min(options.limit ?? DEFAULT_RESULT_LIMIT, DEFAULT_RESULT_LIMIT));
  const startMs = options.startTime * 1000;
  const endMs = options.endTime * 1000 + 999;

  const fields = new QueryFields([...new Set(query.commands.flatMap(commandFieldRefs))]);
  const stages = query.commands
    .map((command) => compileStage(command, fields.slots))
    .filter((s): s is Stage => s !== null);
  const leading = stages.findIndex((s) => !isStreaming(s));
  const streaming = leading < 0 ? stages : stages.slice(0, leading);
  let rest = leading < 0 ? [] : stages.slice(leading);

  // The collector receives every row that passes the streaming stages.
  let aggregator: Aggregator | null = null;
  let top: TopK | null = null;
  const first = rest[0];
  if (first?.kind === 'stats') {
    aggregator = new Aggregator(first.command, fields.slots);
    rest = rest.slice(1);
  } else {
    // Ties in a sort fall back to the default order, which a sort by time has already settled.
    const specs =
      first?.kind !== 'sort'
        ? NEWEST_FIRST
        : first.specs.some((spec) => spec.byTime)
          ? first.specs
          : [...first.specs, ...NEWEST_FIRST];
    if (first?.kind === 'sort') rest = rest.slice(1);
    top = new TopK(specs, capacityAfter(rest, finalLimit), (row) => (row as RecordRow).copy());
  }

  const statistics: QueryStatistics = { recordsMatched: 0, recordsScanned: 0, bytesScanned: 0 };

  const row = new RecordRow(fields);
  let sinceCheck = 0;
  let sliceStart = performance.now();
  for (const record of records) {
    if (++sinceCheck === RECORDS_PER_CLOCK_CHECK) {
      sinceCheck = 0;
      if (performance.now() - sliceStart > SLICE_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
        if (signal?.aborted) throw abortError();
        onProgress?.({ ...statistics });
      }
    }
    const ts = record.timestamp;
    if (ts < startMs || ts > endMs) continue;
    statistics.recordsScanned++;
    statistics.bytesScanned += record.byteLength ?? Buffer.byteLength(record.message, 'utf8');
    row.reset(record);
    let keep = true;
    for (let i = 0; i < streaming.length && keep; i++) keep = applyStreaming(streaming[i] as Stage, row);
    if (!keep) continue;
    statistics.recordsMatched++;
    if (aggregator !== null) aggregator.add(row);
    else top?.push(row);
  }
  if (signal?.aborted) throw abortError();

  const collected: Row[] = aggregator !== null ? aggregator.finish() : (top?.rows() ?? []);
  const rows = applyToRows(collected, rest, fields.slots).slice(0, finalLimit);
  const columns = resultColumns(query.commands);
  return { results: rows.map((row) => formatRow(row, columns)), statistics };
}
