import type { KnownDeviations, RecordedCases } from '../recorded-case';

export const LOGS_CASES: RecordedCases = {};

export const LOGS_DEVIATIONS: KnownDeviations = {};
