// Runtime values of the query engine and the rules that turn them into AWS's result strings.

import type { Period } from './ast';

// A point in time (epoch ms). Kept apart from plain numbers because it prints as a date.
export class Timestamp {
  constructor(readonly ms: number) {}
}

// null means "the field is absent": absent fields are left out of result rows.
export type Value = string | number | boolean | Timestamp | null;

function formatTimestamp(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2026-11-27T07:15:02.000Z
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
}

// Integers print without a fraction (sums of integers stay integers); other numbers print in
// JavaScript's shortest round-trip form. UNVERIFIED: AWS's exact float formatting.
function formatNumber(n: number): string {
  return Object.is(n, -0) ? '0' : String(n);
}

// UNVERIFIED: booleans produced by comparisons and predicate functions print as 1/0 (as AWS
// shows `ispresent(x)`). JSON true/false in log events are kept as the strings "true"/"false".
export function toText(v: Value): string | null {
  if (v === null) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? formatNumber(v) : null;
  if (typeof v === 'boolean') return v ? '1' : '0';
  return formatTimestamp(v.ms);
}

// Strings that spell a number take part in arithmetic, because JSON logs often quote numbers.
export function toNumber(v: Value): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (v === null) return null;
  if (v instanceof Timestamp) return v.ms;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v.trim() === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

export function isTruthy(v: Value): boolean {
  if (v === null) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0 && !Number.isNaN(v);
  if (typeof v === 'string') return v !== '';
  return true;
}

// Total order used by sort, min/max on mixed values and comparisons: numerically when both
// sides are numbers (or numeric strings), else by code points of their text. Never called with null.
export function compareValues(a: Value, b: Value): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (a instanceof Timestamp && b instanceof Timestamp) return a.ms - b.ms;
  const na = toNumber(a);
  const nb = toNumber(b);
  if (na !== null && nb !== null) return na - nb;
  const ta = toText(a) ?? '';
  const tb = toText(b) ?? '';
  return ta < tb ? -1 : ta > tb ? 1 : 0;
}

export function valuesEqual(a: Value, b: Value): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a === b;
  return compareValues(a, b) === 0;
}

const FIXED_UNIT_MS: Partial<Record<Period['unit'], number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

// Length of a fixed period; undefined for calendar periods (months, quarters, years).
export function periodMs(p: Period): number | undefined {
  const unit = FIXED_UNIT_MS[p.unit];
  return unit === undefined ? undefined : unit * p.amount;
}

// Fixed periods align to multiples of the period since the epoch (UTC), as bin() does on AWS for
// minutes and hours. UNVERIFIED for weeks: AWS may align weeks to a weekday; we align to the epoch.
// Calendar periods align to the start of a UTC month, quarter or year counted from year 0.
export function floorToPeriod(ms: number, p: Period): number {
  const fixed = periodMs(p);
  if (fixed !== undefined) return Math.floor(ms / fixed) * fixed;
  const d = new Date(ms);
  const monthsPerStep = p.unit === 'mo' ? p.amount : p.unit === 'q' ? 3 * p.amount : 12 * p.amount;
  const monthIndex = d.getUTCFullYear() * 12 + d.getUTCMonth();
  const floored = Math.floor(monthIndex / monthsPerStep) * monthsPerStep;
  return Date.UTC(Math.floor(floored / 12), floored % 12, 1);
}

export function ceilToPeriod(ms: number, p: Period): number {
  const floor = floorToPeriod(ms, p);
  if (floor === ms) return ms;
  const fixed = periodMs(p);
  if (fixed !== undefined) return floor + fixed;
  const d = new Date(floor);
  const months = p.unit === 'mo' ? p.amount : p.unit === 'q' ? 3 * p.amount : 12 * p.amount;
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1);
}
