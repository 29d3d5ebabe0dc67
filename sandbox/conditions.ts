import { AwsError } from './protocols/errors';
import { isReplaying } from './tape';

/**
 * How slow the sandbox is. `none` answers at once; `realistic` behaves like AWS on a quiet day:
 * log events become visible about 5 s after they are written, a Logs Insights query runs 1-2 s,
 * a model call takes about 1 s, every API call a few tens of milliseconds, and ListMetrics lists
 * a new metric only after the 15 minutes its reference allows ("up to 15 minutes"; GetMetricData
 * has its data at once).
 */
export interface LatencyProfile {
  name: 'none' | 'realistic';
  apiMs: number;
  logIngestionMs: number;
  queryMs: number;
  modelMs: number;
  /** How long after its first datapoint ListMetrics lists a metric. */
  metricListingMs: number;
}

export const LATENCY_PROFILES: Record<LatencyProfile['name'], LatencyProfile> = {
  none: { name: 'none', apiMs: 0, logIngestionMs: 0, queryMs: 0, modelMs: 0, metricListingMs: 0 },
  // Fixed figures rather than random ones, so benchmarks repeat.
  realistic: {
    name: 'realistic',
    apiMs: 25,
    logIngestionMs: 5000,
    queryMs: 1500,
    modelMs: 1000,
    metricListingMs: 15 * 60_000,
  },
};

export function latencyProfile(name: string): LatencyProfile {
  if (name === 'none' || name === 'realistic') return LATENCY_PROFILES[name];
  throw new Error(`Unknown latency profile '${name}': expected 'none' or 'realistic'.`);
}

/** A fault to inject: matching calls fail with a throttle or a server error. */
export interface FaultRule {
  /** Operation name, e.g. `DescribeLogGroups`, or `*` for every operation. */
  operation: string;
  /** Service name as the sandbox names it (`logs`, `monitoring`, `bedrock`, ...); any when left out. */
  service?: string;
  /** Only calls from this account; any when left out. */
  account?: string;
  error: 'throttle' | 'server';
  /** How many calls to fail; every call when left out. */
  count?: number;
}

export function parseFaultRule(value: unknown): FaultRule {
  const v = (value ?? {}) as Partial<FaultRule>;
  if (typeof v.operation !== 'string' || v.operation === '') {
    throw new Error('A fault needs "operation": an operation name such as "DescribeLogGroups", or "*".');
  }
  if (v.error !== 'throttle' && v.error !== 'server') {
    throw new Error(`A fault's "error" must be "throttle" or "server", not ${JSON.stringify(v.error)}.`);
  }
  if (v.count !== undefined && !(Number.isInteger(v.count) && v.count > 0)) {
    throw new Error(`A fault's "count" must be a positive whole number, not ${JSON.stringify(v.count)}.`);
  }
  return { operation: v.operation, service: v.service, account: v.account, error: v.error, count: v.count };
}

export class FaultTable {
  private rules: FaultRule[] = [];

  list(): FaultRule[] {
    return this.rules.map((r) => ({ ...r }));
  }

  replace(rules: FaultRule[]): void {
    this.rules = rules.map((r) => ({ ...r }));
  }

  /** The error a call should fail with, if a rule matches; spends one of the rule's count. */
  take(
    service: string,
    operation: string,
    accountId: string,
    protocol: 'json' | 'query',
  ): AwsError | undefined {
    const rule = this.rules.find(
      (r) =>
        (r.operation === '*' || r.operation === operation) &&
        (!r.service || r.service === service) &&
        (!r.account || r.account === accountId),
    );
    if (!rule) return undefined;
    if (rule.count !== undefined && --rule.count === 0) this.rules = this.rules.filter((r) => r !== rule);
    // UNVERIFIED: the texts of injected faults (AWS's vary by service); codes and statuses follow
    // each protocol's usual throttling and unavailability errors.
    if (rule.error === 'throttle') {
      return protocol === 'query'
        ? new AwsError('Throttling', 'Rate exceeded', 400)
        : service === 'bedrock-runtime'
          ? new AwsError('ThrottlingException', 'Too many requests, please wait before trying again.', 429)
          : new AwsError('ThrottlingException', 'Rate exceeded', 400);
    }
    return protocol === 'query'
      ? new AwsError('ServiceUnavailable', 'Service is unavailable. Please try again later.', 503)
      : new AwsError('ServiceUnavailableException', 'Service is unavailable. Please try again later.', 503);
  }
}

/** One line of the audit log. No credentials: the caller is named by its ARN only. */
export interface AuditEntry {
  time: string;
  requestId: string;
  accountId: string;
  region: string;
  service: string;
  operation: string;
  caller: string;
  readOnly: boolean;
  status: number;
  errorCode?: string;
}

/**
 * The calls of the last day, about 100,000 at most: a sandbox a class uses for days must not grow
 * without bound. The oldest go first, checked every 1,000 calls (the sandbox's own bounds; AWS
 * keeps no such log).
 */
export const AUDIT_LIMITS = { entries: 100_000, ageMs: 24 * 3600_000, every: 1_000 };

export class AuditLog {
  private entries: AuditEntry[] = [];

  record(entry: AuditEntry): void {
    this.entries.push(entry);
    if (this.entries.length % AUDIT_LIMITS.every === 0) this.trim(Date.now());
  }

  private trim(now: number): void {
    const recent = this.entries.findIndex((e) => Date.parse(e.time) >= now - AUDIT_LIMITS.ageMs);
    const first = Math.max(
      this.entries.length - AUDIT_LIMITS.entries,
      recent < 0 ? this.entries.length : recent,
    );
    if (first > 0) this.entries = this.entries.slice(first);
  }

  /**
   * Calls after `since` (epoch ms, exclusive): a caller that takes the time right after its own
   * last call must not see that call again when both fall in the same millisecond.
   */
  list(filter: { account?: string; since?: number } = {}): AuditEntry[] {
    return this.entries.filter(
      (e) =>
        (!filter.account || e.accountId === filter.account) &&
        (!filter.since || Date.parse(e.time) > filter.since),
    );
  }

  clear(): void {
    this.entries = [];
  }
}

/** A wait that stands for latency; none while a journal entry is replayed. */
export const sleep = (ms: number) =>
  ms > 0 && !isReplaying() ? new Promise<void>((r) => setTimeout(r, ms)) : Promise.resolve();
