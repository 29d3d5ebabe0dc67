import { PutModelInvocationLoggingConfigurationCommand } from '@aws-sdk/client-bedrock';
import { PutDashboardCommand } from '@aws-sdk/client-cloudwatch';
import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  FilterLogEventsCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { randomUUID } from 'node:crypto';
import { PutRolePolicyCommand, UpdateAssumeRolePolicyCommand } from '@aws-sdk/client-iam';
import { createClients, type AwsClients } from '../../../helpers/aws-clients';
import { LabSteps } from './steps';
import { LAB } from './facts';
import { readSettings } from '../../../helpers/settings';
import { readGenaiMonitoringSettings } from './settings';
import { logWidget, onGroup } from '../../../testkit/widgets';
import { REGION } from '../../../testkit/run-grader';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The lab's IAM policies, as instructors hand them out: the grader's, and run mode's. */
export const GRADER_POLICY = readFileSync(join(__dirname, 'iam/grader-policy.json'), 'utf8');
export const RUNNER_POLICY = readFileSync(join(__dirname, 'iam/runner-policy.json'), 'utf8');

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
    readonly endpoint: string,
    readonly accountId: string,
  ) {
    this.aws = createClients({
      region: REGION,
      endpoint,
      credentials: { accessKeyId: accountId, secretAccessKey: 'test' },
      maxAttempts: 1,
    });
    const env = { LAB_TARGET: 'local', AWS_REGION: REGION };
    this.steps = new LabSteps(
      this.aws,
      { ...readSettings(env), ...readGenaiMonitoringSettings(env) },
      accountId,
    );
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

  /**
   * Records that look like Bedrock's in every field, written by hand with PutLogEvents into
   * Bedrock's own stream: Bedrock never delivered them. `recordTime` is the record's own
   * `timestamp` field, `eventTime` the log event's.
   */
  async forgeRecords(
    count = 5,
    options: { recordTime?: Date; eventTime?: number; group?: string } = {},
  ): Promise<this> {
    const eventTime = options.eventTime ?? Date.now();
    const recordTime = (options.recordTime ?? new Date(eventTime)).toISOString().replace(/\.\d{3}Z$/, 'Z');
    return this.writeRecords(
      Array.from({ length: count }, () => ({
        schemaType: 'ModelInvocationLog',
        schemaVersion: '1.0',
        timestamp: recordTime,
        accountId: this.accountId,
        identity: { arn: `arn:aws:sts::${this.accountId}:assumed-role/Learner/me` },
        region: REGION,
        requestId: randomUUID(),
        operation: 'InvokeModel',
        modelId: MODEL,
        input: { inputContentType: 'application/json', inputBodyJson: { messages: [] }, inputTokenCount: 10 },
        output: {
          outputContentType: 'application/json',
          outputBodyJson: { content: [] },
          outputTokenCount: 20,
        },
      })),
      eventTime,
      options.group,
    );
  }

  /** Another account's real invocation records, copied as they are into this account's group. */
  async copyRecordsFrom(other: LabBuilder): Promise<this> {
    const { events = [] } = await other.aws.logs.send(
      new FilterLogEventsCommand({
        logGroupName: LAB.logGroup,
        filterPattern: '{ $.schemaType = "ModelInvocationLog" }',
      }),
    );
    return this.writeRecords(events.map((e) => JSON.parse(e.message!) as object));
  }

  /** PutLogEvents into Bedrock's stream of the group, creating both when missing. */
  private async writeRecords(
    records: object[],
    eventTime = Date.now(),
    group: string = LAB.logGroup,
  ): Promise<this> {
    const exists = (error: unknown) => {
      if ((error as Error).name !== 'ResourceAlreadyExistsException') throw error;
    };
    await this.aws.logs.send(new CreateLogGroupCommand({ logGroupName: group })).catch(exists);
    await this.aws.logs
      .send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: LAB.logStream }))
      .catch(exists);
    await this.aws.logs.send(
      new PutLogEventsCommand({
        logGroupName: group,
        logStreamName: LAB.logStream,
        logEvents: records.map((record, i) => ({
          timestamp: eventTime - records.length + i,
          message: JSON.stringify(record),
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
