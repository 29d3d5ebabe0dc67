import { GetDashboardCommand } from '@aws-sdk/client-cloudwatch';
import { paginateDescribeLogGroups, type LogGroup } from '@aws-sdk/client-cloudwatch-logs';
import type { AwsClients } from '../../../../helpers/aws-clients';
import { isAwsError } from '../../../../helpers/aws-errors';
import { LAB } from './facts';

/** What the checks read of an account. A read refused or throttled throws: the check is inconclusive. */
export class LogRetentionReader {
  constructor(private readonly aws: AwsClients) {}

  /** The lab's log group, matched by its exact name (a prefix search also finds its neighbours). */
  async logGroup(): Promise<LogGroup | undefined> {
    for await (const page of paginateDescribeLogGroups(
      { client: this.aws.logs },
      { logGroupNamePrefix: LAB.logGroup },
    )) {
      const found = page.logGroups?.find((group) => group.logGroupName === LAB.logGroup);
      if (found) return found;
    }
    return undefined;
  }

  /** The lab's dashboard body, as written; undefined when there is no such dashboard. */
  async dashboardBody(): Promise<string | undefined> {
    try {
      const { DashboardBody } = await this.aws.cloudwatch.send(
        new GetDashboardCommand({ DashboardName: LAB.dashboardName }),
      );
      return DashboardBody ?? '';
    } catch (error) {
      if (isAwsError(error, 'ResourceNotFound')) return undefined;
      throw error;
    }
  }
}
