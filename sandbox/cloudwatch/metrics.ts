import { nowMs } from '../tape';
/** Metric storage and statistics, without wire knowledge. */

export interface Dimension {
  Name: string;
  Value: string;
}

/** What names a metric: namespace, name and the exact set of dimensions. */
export interface MetricIdentity {
  namespace: string;
  metricName: string;
  dimensions: Dimension[];
}

/** One stored observation: a single value, values with counts, or a statistic set. */
export interface Observation {
  timestamp: number;
  sampleCount: number;
  sum: number;
  min: number;
  max: number;
  unit: string;
  /** `[value, count]` pairs; a statistic set has none, so it cannot answer percentiles. */
  samples?: [number, number][];
}

function sortedDimensions(dimensions: readonly Dimension[]): Dimension[] {
  return [...dimensions].sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
}

/** AWS matches a metric by namespace, name and exactly its dimensions, in any order. */
export function metricKey(identity: MetricIdentity): string {
  const dims = sortedDimensions(identity.dimensions).map((d) => [d.Name, d.Value]);
  return JSON.stringify([identity.namespace, identity.metricName, dims]);
}

/** The datapoints of one metric, in columns so that range scans over thousands stay cheap. */
export class Series {
  readonly identity: MetricIdentity;
  private observations: Observation[] = [];
  private sorted = true;
  /** Last time a datapoint arrived (ListMetrics' RecentlyActive). */
  lastPut = 0;
  /** When the first datapoint arrived: ListMetrics may list the metric only some time later. */
  firstPut = nowMs();

  constructor(identity: MetricIdentity) {
    this.identity = { ...identity, dimensions: sortedDimensions(identity.dimensions) };
  }

  add(observation: Observation): void {
    const last = this.observations[this.observations.length - 1];
    if (last && last.timestamp > observation.timestamp) this.sorted = false;
    this.observations.push(observation);
    this.lastPut = nowMs();
  }

  /** Observations with `start <= timestamp < end`, oldest first. */
  range(start: number, end: number): Observation[] {
    if (!this.sorted) {
      this.observations.sort((a, b) => a.timestamp - b.timestamp);
      this.sorted = true;
    }
    const list = this.observations;
    return list.slice(lowerBound(list, start), lowerBound(list, end));
  }
}

function lowerBound(list: Observation[], t: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.timestamp < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The observations of one period, aggregated. */
export interface Bucket {
  /** Start of the period, aligned to the epoch. */
  start: number;
  sampleCount: number;
  sum: number;
  min: number;
  max: number;
  unit: string;
  samples: [number, number][];
  /** False when a statistic set fell in the period: its percentiles are unknown. */
  allSamples: boolean;
}

/**
 * Buckets of `periodMs` aligned to the epoch, one per period and unit: AWS never aggregates
 * datapoints of different units together (GetMetricStatistics answers a datapoint per unit and
 * period; docs/aws-behaviours.md, "CloudWatch as recorded against AWS"). With `unit`, only
 * that unit's. Oldest first; within a period, by unit.
 */
export function bucketize(observations: readonly Observation[], periodMs: number, unit?: string): Bucket[] {
  const buckets = new Map<string, Bucket>();
  for (const o of observations) {
    if (unit !== undefined && o.unit !== unit) continue;
    const start = Math.floor(o.timestamp / periodMs) * periodMs;
    const key = `${start} ${o.unit}`;
    let b = buckets.get(key);
    if (!b) {
      b = {
        start,
        sampleCount: 0,
        sum: 0,
        min: Infinity,
        max: -Infinity,
        unit: o.unit,
        samples: [],
        allSamples: true,
      };
      buckets.set(key, b);
    }
    b.sampleCount += o.sampleCount;
    b.sum += o.sum;
    b.min = Math.min(b.min, o.min);
    b.max = Math.max(b.max, o.max);
    if (o.samples) b.samples.push(...o.samples);
    else b.allSamples = false;
  }
  return [...buckets.values()].sort(
    (a, b) => a.start - b.start || (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0),
  );
}

/**
 * The units of `observations`, in alphabetical order. A GetMetricData query without a unit over
 * datapoints of several reads only the first of them (Count before Milliseconds before Seconds,
 * as recorded against AWS) and says so in a `MultipleUnits` message.
 */
export function unitsOf(observations: readonly Observation[]): string[] {
  return [...new Set(observations.map((o) => o.unit))].sort();
}

export type SimpleStatistic = 'SampleCount' | 'Average' | 'Sum' | 'Minimum' | 'Maximum';
export const SIMPLE_STATISTICS: readonly SimpleStatistic[] = [
  'SampleCount',
  'Average',
  'Sum',
  'Minimum',
  'Maximum',
];

const PERCENTILE = /^p(\d{1,2}(?:\.\d{1,10})?|100)$/;

/** Whether the sandbox can compute `stat` (the simple five and `pNN.NN`; not TM/WM/IQM/...). */
export function isSupportedStatistic(stat: string): boolean {
  return (SIMPLE_STATISTICS as readonly string[]).includes(stat) || isPercentile(stat);
}

export function isPercentile(stat: string): boolean {
  const m = PERCENTILE.exec(stat);
  return !!m && Number(m[1]) <= 100;
}

/** The value of `stat` over a bucket, or undefined when it cannot be known. */
export function statistic(bucket: Bucket, stat: string): number | undefined {
  switch (stat) {
    case 'SampleCount':
      return bucket.sampleCount;
    case 'Sum':
      return bucket.sum;
    case 'Average':
      return bucket.sampleCount ? bucket.sum / bucket.sampleCount : undefined;
    case 'Minimum':
      return bucket.min;
    case 'Maximum':
      return bucket.max;
  }
  if (!isPercentile(stat) || !bucket.allSamples) return undefined;
  return percentile(bucket.samples, Number(stat.slice(1)));
}

/** Nearest-rank percentile over weighted samples. */
function percentile(samples: [number, number][], p: number): number | undefined {
  const sorted = [...samples].sort((a, b) => a[0] - b[0]);
  const total = sorted.reduce((n, [, c]) => n + c, 0);
  if (!total) return undefined;
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (const [value, count] of sorted) {
    seen += count;
    if (seen >= rank) return value;
  }
  return sorted[sorted.length - 1]?.[0];
}
