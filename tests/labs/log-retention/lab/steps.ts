import { DeleteDashboardsCommand, PutDashboardCommand } from '@aws-sdk/client-cloudwatch';
import {
  CreateLogGroupCommand,
  DeleteLogGroupCommand,
  PutRetentionPolicyCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import type { AwsClients } from '../../../../helpers/aws-clients';
import { isAwsError } from '../../../../helpers/aws-errors';
import { LAB } from './facts';

/** Run mode: the lab's steps as its text gives them, each safe to repeat. */
export class LogRetentionSteps {
  constructor(
    private readonly aws: AwsClients,
    private readonly region: string,
  ) {}

  async createLogGroup(): Promise<void> {
    await this.aws.logs
      .send(new CreateLogGroupCommand({ logGroupName: LAB.logGroup }))
      .catch((error: unknown) => {
        if (!isAwsError(error, 'ResourceAlreadyExists')) throw error;
      });
    await this.aws.logs.send(
      new PutRetentionPolicyCommand({ logGroupName: LAB.logGroup, retentionInDays: LAB.retentionDays }),
    );
  }

  async createDashboard(): Promise<void> {
    const widget = {
      type: 'metric',
      x: 0,
      y: 0,
      width: 12,
      height: 6,
      properties: {
        title: 'Incoming bytes',
        region: this.region,
        stat: 'Sum',
        period: 300,
        metrics: [['AWS/Logs', 'IncomingBytes', 'LogGroupName', LAB.logGroup]],
      },
    };
    await this.aws.cloudwatch.send(
      new PutDashboardCommand({
        DashboardName: LAB.dashboardName,
        DashboardBody: JSON.stringify({ widgets: [widget] }),
      }),
    );
  }

  async cleanUp(): Promise<void> {
    await this.aws.cloudwatch
      .send(new DeleteDashboardsCommand({ DashboardNames: [LAB.dashboardName] }))
      .catch(ignoreNotFound);
    await this.aws.logs.send(new DeleteLogGroupCommand({ logGroupName: LAB.logGroup })).catch(ignoreNotFound);
  }
}

function ignoreNotFound(error: unknown): void {
  if (!isAwsError(error, 'ResourceNotFound')) throw error;
}
