import type { KnownDeviations, RecordedCases } from '../recorded-case';

export const IAM_CASES: RecordedCases = {};

export const IAM_DEVIATIONS: KnownDeviations = {};
