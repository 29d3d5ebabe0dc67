import type { KnownDeviations, RecordedCases } from '../recorded-case';

export const CLOUDWATCH_CASES: RecordedCases = {};

export const CLOUDWATCH_DEVIATIONS: KnownDeviations = {};
