// The one table of CWLI functions. Each entry's signature drives validation in the parser
// (arity, which arguments must be literals) and its implementation drives evaluation.

import type { Period } from './ast';
import {
  Timestamp,
  ceilToPeriod,
  compareValues,
  floorToPeriod,
  periodMs,
  toNumber,
  toText,
  type Value,
} from './values';

// value: any expression; period: a literal like 5m; number: a numeric literal;
// valueOrStar: an expression or `*` (count).
export type ParamKind = 'value' | 'period' | 'number' | 'valueOrStar';

interface Signature {
  params: ParamKind[]; // kind of each position; the last one repeats for variadic functions
  minArgs: number;
  maxArgs: number;
}

// values: the evaluated value arguments; periods: the period literals, in order.
type ApplyScalar = (values: Value[], periods: Period[]) => Value;

export type ScalarFunction = Signature & { kind: 'scalar' } & (
    | { apply: ApplyScalar }
    | {
        // bin(p) reads @timestamp without naming it: given its periods, a function of the
        // record's timestamp (run per record, so it allocates nothing it need not).
        ofTimestamp(periods: Period[]): (timestampMs: number) => Value;
      }
  );

export interface Accumulator {
  add(values: Value[], timestampMs: number | null): void;
  result(): Value;
}

export interface AggregateFunction extends Signature {
  kind: 'aggregate';
  create(numbers: number[]): Accumulator; // numbers: the numeric literal arguments (pct's percentile)
}

export type FunctionDef = ScalarFunction | AggregateFunction;

export function paramKind(fn: FunctionDef, index: number): ParamKind {
  return fn.params[Math.min(index, fn.params.length - 1)] ?? 'value';
}

const VARIADIC = Number.POSITIVE_INFINITY;

function scalar(params: ParamKind[], minArgs: number, maxArgs: number, apply: ApplyScalar): ScalarFunction {
  return { kind: 'scalar', params, minArgs, maxArgs, apply };
}

function stringFn(f: (s: string, rest: Value[]) => Value, minArgs = 1, maxArgs = 1): ScalarFunction {
  return scalar(['value'], minArgs, maxArgs, ([s = null, ...rest]) => {
    const text = toText(s);
    return text === null ? null : f(text, rest);
  });
}

function numericFn(f: (n: number) => number): ScalarFunction {
  return scalar(['value'], 1, 1, ([v = null]) => {
    const n = toNumber(v);
    if (n === null) return null;
    const r = f(n);
    return Number.isFinite(r) ? r : null;
  });
}

function trimFn(side: 'start' | 'end' | 'both'): ScalarFunction {
  return stringFn(
    (s, [chars = null]) => {
      const set = toText(chars);
      if (set === null) return side === 'start' ? s.trimStart() : side === 'end' ? s.trimEnd() : s.trim();
      let from = 0;
      let to = s.length;
      if (side !== 'end') while (from < to && set.includes(s[from] ?? '')) from++;
      if (side !== 'start') while (to > from && set.includes(s[to - 1] ?? '')) to--;
      return s.slice(from, to);
    },
    1,
    2,
  );
}

function extremeFn(pick: (cmp: number) => boolean): ScalarFunction {
  return scalar(['value'], 1, VARIADIC, (values) => {
    let best: number | null = null;
    for (const v of values) {
      const n = toNumber(v);
      if (n !== null && (best === null || pick(n - best))) best = n;
    }
    return best;
  });
}

function dateRound(round: (ms: number, p: Period) => number): ScalarFunction {
  return scalar(['value', 'period'], 2, 2, ([v = null], [p]) => {
    const ms = toNumber(v);
    return ms === null || p === undefined ? null : new Timestamp(round(ms, p));
  });
}

// Numeric aggregates ignore values that are absent or not numbers. With no value at all they
// yield null, so the output column is left out of the row: that is what the lab's
// `sum(inputTokenCount)` (a field no record has) returns here. UNVERIFIED whether AWS leaves
// the column out or returns it empty.
function numericAggregate(
  init: () => { push(n: number): void; result(): Value },
  params: ParamKind[] = ['value'],
): AggregateFunction {
  return {
    kind: 'aggregate',
    params,
    minArgs: params.length,
    maxArgs: params.length,
    create: () => {
      const state = init();
      let seen = false;
      return {
        add([v = null]) {
          const n = toNumber(v);
          if (n === null) return;
          seen = true;
          state.push(n);
        },
        result: () => (seen ? state.result() : null),
      };
    },
  };
}

// min/max over numeric values; a date stays a date (max(@timestamp) prints as a time).
function extremeAggregate(better: (cmp: number) => boolean): AggregateFunction {
  return {
    kind: 'aggregate',
    params: ['value'],
    minArgs: 1,
    maxArgs: 1,
    create: () => {
      let best: Value = null;
      return {
        add([v = null]) {
          if (toNumber(v) !== null && (best === null || better(compareValues(v, best)))) best = v;
        },
        result: () => best,
      };
    },
  };
}

// Keeps the value whose ordering key wins; ties keep the first one seen.
function selectingAggregate(better: (candidate: number, best: number) => boolean, byTime: boolean) {
  const fn: AggregateFunction = {
    kind: 'aggregate',
    params: ['value'],
    minArgs: 1,
    maxArgs: 1,
    create: () => {
      let best: Value = null;
      let bestTime = 0;
      return {
        add([v = null], ts) {
          if (v === null) return;
          if (byTime) {
            if (ts === null) return;
            if (best === null || better(ts, bestTime)) {
              best = v;
              bestTime = ts;
            }
          } else if (best === null || better(compareValues(v, best), 0)) best = v;
        },
        result: () => best,
      };
    },
  };
  return fn;
}

const FUNCTIONS: ReadonlyMap<string, FunctionDef> = new Map<string, FunctionDef>([
  // --- string functions
  ['concat', scalar(['value'], 1, VARIADIC, (vs) => vs.map((v) => toText(v) ?? '').join(''))],
  ['ltrim', trimFn('start')],
  ['rtrim', trimFn('end')],
  ['trim', trimFn('both')],
  ['strlen', stringFn((s) => s.length)],
  ['toupper', stringFn((s) => s.toUpperCase())],
  ['tolower', stringFn((s) => s.toLowerCase())],
  [
    // substr(s, start [, length]), start is 0-based.
    'substr',
    stringFn(
      (s, [start = null, length = null]) => {
        const from = toNumber(start);
        if (from === null) return null;
        const len = toNumber(length);
        return len === null ? s.slice(from) : s.slice(from, from + Math.max(0, len));
      },
      2,
      3,
    ),
  ],
  [
    // replace(s, search, replacement) replaces every literal occurrence.
    'replace',
    stringFn(
      (s, [search = null, replacement = null]) => {
        const what = toText(search);
        return what === null || what === '' ? s : s.split(what).join(toText(replacement) ?? '');
      },
      3,
      3,
    ),
  ],
  [
    'strcontains',
    stringFn(
      (s, [sub = null]) => {
        const what = toText(sub);
        return what === null ? null : s.includes(what);
      },
      2,
      2,
    ),
  ],
  ['isempty', scalar(['value'], 1, 1, ([v = null]) => v === null || toText(v) === '')],
  ['isblank', scalar(['value'], 1, 1, ([v = null]) => v === null || (toText(v) ?? '').trim() === '')],
  ['ispresent', scalar(['value'], 1, 1, ([v = null]) => v !== null)],
  ['coalesce', scalar(['value'], 1, VARIADIC, (vs) => vs.find((v) => v !== null) ?? null)],
  // --- numeric functions
  ['abs', numericFn(Math.abs)],
  ['ceil', numericFn(Math.ceil)],
  ['floor', numericFn(Math.floor)],
  ['greatest', extremeFn((d) => d > 0)],
  ['least', extremeFn((d) => d < 0)],
  ['log', numericFn(Math.log)], // natural logarithm
  ['sqrt', numericFn(Math.sqrt)],
  // --- date functions
  [
    'bin',
    {
      kind: 'scalar',
      params: ['period'],
      minArgs: 1,
      maxArgs: 1,
      ofTimestamp: ([p]) => {
        if (p === undefined) return () => null;
        const fixed = periodMs(p);
        return fixed === undefined
          ? (ms) => new Timestamp(floorToPeriod(ms, p))
          : (ms) => new Timestamp(Math.floor(ms / fixed) * fixed);
      },
    },
  ],
  ['datefloor', dateRound(floorToPeriod)],
  ['dateceil', dateRound(ceilToPeriod)],
  [
    'frommillis',
    scalar(['value'], 1, 1, ([v = null]) => {
      const ms = toNumber(v);
      return ms === null ? null : new Timestamp(ms);
    }),
  ],
  ['tomillis', scalar(['value'], 1, 1, ([v = null]) => toNumber(v))],
  // --- aggregates
  [
    // count() and count(*) count rows; count(f) counts rows where f is present.
    'count',
    {
      kind: 'aggregate',
      params: ['valueOrStar'],
      minArgs: 0,
      maxArgs: 1,
      create: () => {
        let n = 0;
        return {
          add([v]) {
            if (v !== null) n++; // no argument (or *) arrives as undefined
          },
          result: () => n,
        };
      },
    },
  ],
  [
    'count_distinct',
    {
      kind: 'aggregate',
      params: ['value'],
      minArgs: 1,
      maxArgs: 1,
      create: () => {
        const seen = new Set<string>();
        return {
          add([v = null]) {
            const t = toText(v);
            if (t !== null) seen.add(t);
          },
          result: () => seen.size,
        };
      },
    },
  ],
  [
    'sum',
    numericAggregate(() => {
      let s = 0;
      return { push: (n) => void (s += n), result: () => s };
    }),
  ],
  [
    'avg',
    numericAggregate(() => {
      let s = 0;
      let c = 0;
      return { push: (n) => void ((s += n), c++), result: () => s / c };
    }),
  ],
  ['min', extremeAggregate((c) => c < 0)],
  ['max', extremeAggregate((c) => c > 0)],
  [
    // Population standard deviation (Welford). UNVERIFIED: AWS may use the sample form.
    'stddev',
    numericAggregate(() => {
      let count = 0;
      let mean = 0;
      let m2 = 0;
      return {
        push(n) {
          count++;
          const delta = n - mean;
          mean += delta / count;
          m2 += delta * (n - mean);
        },
        result: () => Math.sqrt(m2 / count),
      };
    }),
  ],
  [
    // pct(f, p): nearest-rank percentile, exact. UNVERIFIED: AWS may interpolate or approximate.
    'pct',
    {
      kind: 'aggregate',
      params: ['value', 'number'],
      minArgs: 2,
      maxArgs: 2,
      create: ([p = 50]) => {
        const values: number[] = [];
        return {
          add([v = null]) {
            const n = toNumber(v);
            if (n !== null) values.push(n);
          },
          result() {
            if (values.length === 0) return null;
            values.sort((a, b) => a - b);
            const rank = Math.ceil((p / 100) * values.length);
            return values[Math.min(values.length - 1, Math.max(0, rank - 1))] ?? null;
          },
        };
      },
    },
  ],
  ['earliest', selectingAggregate((t, best) => t < best, true)],
  ['latest', selectingAggregate((t, best) => t > best, true)],
  ['sortsfirst', selectingAggregate((cmp) => cmp < 0, false)],
  ['sortslast', selectingAggregate((cmp) => cmp > 0, false)],
]);

export function lookupFunction(name: string): FunctionDef | undefined {
  return FUNCTIONS.get(name.toLowerCase());
}
