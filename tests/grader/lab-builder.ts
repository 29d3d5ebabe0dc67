import { PutModelInvocationLoggingConfigurationCommand } from '@aws-sdk/client-bedrock';
import { PutDashboardCommand } from '@aws-sdk/client-cloudwatch';
import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { PutRolePolicyCommand, UpdateAssumeRolePolicyCommand } from '@aws-sdk/client-iam';
import { createClients, type AwsClients } from '../../helpers/aws-clients';
import { LabSteps } from '../../helpers/lab-steps';
import { LAB, readSettings } from '../../helpers/settings';
import { logWidget, onGroup } from '../fixtures/widgets';

export const REGION = 'us-east-1';
export const MODEL = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';

export const LAB_WIDGETS = [
  logWidget(onGroup(LAB.logGroup, LAB.widgetQueries.invocations), 'Invocation Count'),
  logWidget(onGroup(LAB.logGroup, LAB.widgetQueries.tokens), 'Token Usage'),
  logWidget(onGroup(LAB.logGroup, LAB.widgetQueries.latency), 'Latency'),
];

/**
 * Puts a sandbox account into a known lab state, only through the AWS API, as a learner would.
 * Builds on the grader's own run-mode steps for the parts done right.
 */
export class LabBuilder {
  readonly aws: AwsClients;
  readonly steps: LabSteps;

  constructor(
    endpoint: string,
    readonly accountId: string,
  ) {
    this.aws = createClients({
      region: REGION,
      endpoint,
      credentials: { accessKeyId: accountId, secretAccessKey: 'test' },
      maxAttempts: 1,
    });
    this.steps = new LabSteps(this.aws, readSettings({ LAB_TARGET: 'local', AWS_REGION: REGION }), accountId);
  }

  /** Step 1 as the lab says, with optional deviations. */
  async enableLogging(options: { logGroup?: string; textData?: boolean } = {}): Promise<this> {
    await this.steps.enableLogging();
    if (options.logGroup || options.textData === false) {
      const logGroup = options.logGroup ?? LAB.logGroup;
      if (logGroup !== LAB.logGroup) {
        await this.aws.logs.send(new CreateLogGroupCommand({ logGroupName: logGroup }));
        // The role must allow the other group too, or Bedrock would refuse the configuration.
        await this.aws.iam.send(
          new PutRolePolicyCommand({
            RoleName: LAB.roleName,
            PolicyName: 'DeliverElsewhere',
            PolicyDocument: JSON.stringify({
              Version: '2012-10-17',
              Statement: [
                { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' },
              ],
            }),
          }),
        );
      }
      await this.aws.bedrock.send(
        new PutModelInvocationLoggingConfigurationCommand({
          loggingConfig: {
            cloudWatchConfig: { logGroupName: logGroup, roleArn: this.steps.roleArn },
            textDataDeliveryEnabled: options.textData ?? true,
          },
        }),
      );
    }
    return this;
  }

  /** A learner who later edits the role so Bedrock can no longer assume it. */
  async breakRoleTrust(): Promise<this> {
    await this.aws.iam.send(
      new UpdateAssumeRolePolicyCommand({
        RoleName: LAB.roleName,
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
          ],
        }),
      }),
    );
    return this;
  }

  /** Step 2: `count` of the lab's prompts, through InvokeModel or Converse. */
  async sendPrompts(
    count = 5,
    options: { modelId?: string; operation?: 'InvokeModel' | 'Converse' } = {},
  ): Promise<this> {
    for (const prompt of LAB.prompts.slice(0, count)) {
      await this.steps.invoke(options.modelId ?? MODEL, prompt, options.operation);
    }
    return this;
  }

  /** Records that look like Bedrock's, written by hand: Bedrock never counted them. */
  async forgeRecords(count = 5): Promise<this> {
    await this.aws.logs
      .send(new CreateLogGroupCommand({ logGroupName: LAB.logGroup }))
      .catch(() => undefined);
    await this.aws.logs.send(
      new CreateLogStreamCommand({ logGroupName: LAB.logGroup, logStreamName: LAB.logStream }),
    );
    const now = Date.now();
    await this.aws.logs.send(
      new PutLogEventsCommand({
        logGroupName: LAB.logGroup,
        logStreamName: LAB.logStream,
        logEvents: Array.from({ length: count }, (_, i) => ({
          timestamp: now - count + i,
          message: JSON.stringify({
            schemaType: 'ModelInvocationLog',
            schemaVersion: '1.0',
            operation: 'InvokeModel',
            modelId: MODEL,
            input: {
              inputContentType: 'application/json',
              inputBodyJson: { messages: [] },
              inputTokenCount: 10,
            },
            output: {
              outputContentType: 'application/json',
              outputBodyJson: { content: [] },
              outputTokenCount: 20,
            },
          }),
        })),
      }),
    );
    return this;
  }

  async dashboard(widgets: object[] = LAB_WIDGETS, name: string = LAB.dashboardName): Promise<this> {
    await this.aws.cloudwatch.send(
      new PutDashboardCommand({ DashboardName: name, DashboardBody: JSON.stringify({ widgets }) }),
    );
    return this;
  }

  /** The whole lab, as the lab text says (its field names included). */
  async complete(): Promise<this> {
    await this.enableLogging();
    await this.sendPrompts();
    return this.dashboard();
  }
}
