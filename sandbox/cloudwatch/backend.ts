import { type Dimension, type MetricIdentity, type Observation, Series, metricKey } from './metrics';
import { nowMs } from '../tape';

/** A datapoint AWS services publish (AWS/Bedrock), which PutMetricData may not. */
export interface ServiceDatapoint {
  region: string;
  namespace: string;
  metricName: string;
  dimensions: { Name: string; Value: string }[];
  value: number;
  unit: string;
  timestamp: Date;
}

export interface Dashboard {
  name: string;
  body: string;
  lastModified: Date;
}

/** ListMetrics' filter: a dimension filter without a value matches any value. */
export interface MetricFilter {
  namespace?: string;
  metricName?: string;
  dimensions?: { Name: string; Value?: string }[];
  /** Only metrics that received a datapoint at or after this time (epoch ms). */
  activeSince?: number;
  /** Only metrics whose first datapoint arrived at or before this time: listing lags. */
  firstPutBy?: number;
}

/** CloudWatch state of one account: dashboards (global) and metrics per region. */
export class CloudWatchBackend {
  private readonly dashboards = new Map<string, Dashboard>();
  /** region -> metric key -> series */
  private readonly metrics = new Map<string, Map<string, Series>>();

  constructor(readonly accountId: string) {}

  dashboardArn(name: string): string {
    return `arn:aws:cloudwatch::${this.accountId}:dashboard/${name}`;
  }

  putDashboard(name: string, body: string): void {
    this.dashboards.set(name, { name, body, lastModified: new Date(nowMs()) });
  }

  getDashboard(name: string): Dashboard | undefined {
    return this.dashboards.get(name);
  }

  /** Dashboards sorted by name, as ListDashboards returns them. */
  listDashboards(prefix = ''): Dashboard[] {
    return [...this.dashboards.values()]
      .filter((d) => d.name.startsWith(prefix))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  /** Deletes all of `names`, or none: returns the names that do not exist. */
  deleteDashboards(names: readonly string[]): string[] {
    const missing = names.filter((n) => !this.dashboards.has(n));
    if (!missing.length) for (const n of names) this.dashboards.delete(n);
    return missing;
  }

  /** Records a datapoint on behalf of an AWS service. */
  publish(datapoint: ServiceDatapoint): void {
    const { value } = datapoint;
    this.record(
      datapoint.region,
      {
        namespace: datapoint.namespace,
        metricName: datapoint.metricName,
        dimensions: datapoint.dimensions,
      },
      {
        timestamp: datapoint.timestamp.getTime(),
        sampleCount: 1,
        sum: value,
        min: value,
        max: value,
        unit: datapoint.unit,
        samples: [[value, 1]],
      },
    );
  }

  record(region: string, identity: MetricIdentity, observation: Observation): void {
    let regional = this.metrics.get(region);
    if (!regional) this.metrics.set(region, (regional = new Map()));
    const key = metricKey(identity);
    let series = regional.get(key);
    if (!series) regional.set(key, (series = new Series(identity)));
    series.add(observation);
  }

  /** The series with exactly these dimensions (AWS matches no subset). */
  series(region: string, identity: MetricIdentity): Series | undefined {
    return this.metrics.get(region)?.get(metricKey(identity));
  }

  listMetrics(region: string, filter: MetricFilter): MetricIdentity[] {
    const matches = (dims: Dimension[]) =>
      (filter.dimensions ?? []).every((f) =>
        dims.some((d) => d.Name === f.Name && (f.Value === undefined || d.Value === f.Value)),
      );
    return [...(this.metrics.get(region)?.values() ?? [])]
      .filter(
        (s) =>
          (filter.namespace === undefined || s.identity.namespace === filter.namespace) &&
          (filter.metricName === undefined || s.identity.metricName === filter.metricName) &&
          (filter.activeSince === undefined || s.lastPut >= filter.activeSince) &&
          (filter.firstPutBy === undefined || s.firstPut <= filter.firstPutBy) &&
          matches(s.identity.dimensions),
      )
      .map((s) => s.identity);
  }
}
