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

/** CloudWatch state of one account: dashboards (global) and metrics per region. STUB: being written. */
export class CloudWatchBackend {
  constructor(readonly accountId: string) {}

  /** Records a datapoint on behalf of an AWS service. */
  publish(_datapoint: ServiceDatapoint): void {}
}
