import { invalidParameter, missingParameter } from './errors';

/**
 * One coercion for both wire protocols: the Query protocol sends every scalar as text
 * (numbers, booleans, ISO-8601 timestamps), JSON 1.0 sends numbers and epoch-second timestamps.
 */

export function optionalNumber(value: unknown, parameter: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  if (Number.isNaN(n)) throw invalidParameter(value, parameter);
  return n;
}

export function requiredNumber(value: unknown, parameter: string): number {
  const n = optionalNumber(value, parameter);
  if (n === undefined) throw missingParameter(parameter);
  return n;
}

export function optionalTime(value: unknown, parameter: string): Date | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  let ms = NaN;
  if (value instanceof Date) ms = value.getTime();
  else if (typeof value === 'number') ms = value * 1000;
  else if (typeof value === 'string')
    ms = /^-?\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : Date.parse(value);
  // new Date() holds times within ±8.64e15 ms; beyond, or not a number, is no time.
  if (!Number.isFinite(ms) || Number.isNaN(new Date(ms).getTime())) throw invalidParameter(value, parameter);
  return new Date(ms);
}

export function requiredTime(value: unknown, parameter: string): Date {
  const t = optionalTime(value, parameter);
  if (!t) throw missingParameter(parameter);
  return t;
}

export function optionalBoolean(value: unknown): boolean | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return value === true || value === 'true';
}

export function requiredString(value: unknown, parameter: string): string {
  if (value === undefined || value === null || value === '') throw missingParameter(parameter);
  return String(value);
}

/** A list member that may be absent; the Query decoder leaves empty lists out. */
export function list<T>(value: T[] | undefined | null): T[] {
  return Array.isArray(value) ? value : [];
}
