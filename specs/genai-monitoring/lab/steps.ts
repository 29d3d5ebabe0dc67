import {
  PutModelInvocationLoggingConfigurationCommand,
  DeleteModelInvocationLoggingConfigurationCommand,
} from '@aws-sdk/client-bedrock';
import { ConverseCommand, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { DeleteDashboardsCommand, PutDashboardCommand } from '@aws-sdk/client-cloudwatch';
import { CreateLogGroupCommand, DeleteLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  GetRoleCommand,
  PutRolePolicyCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import type { AwsClients } from '../../../helpers/aws-clients';
import { describeError, isAwsError } from '../../../helpers/aws-errors';
import { CADENCE, poll } from '../../../helpers/poll';
import { LAB } from './facts';
import { deliveryPolicy, invocationStreamArn, loggingRoleTrustPolicy } from './logging-role';
import type { LabSettings } from '../../../helpers/settings';
import type { GenaiMonitoringSettings } from './settings';

/**
 * The lab's steps carried out through the SDK (run mode), each idempotent so a nightly run can
 * repeat on the same account.
 */
export class LabSteps {
  constructor(
    private readonly aws: AwsClients,
    private readonly settings: LabSettings & Pick<GenaiMonitoringSettings, 'fallbackModelId'>,
    private readonly accountId: string,
  ) {}

  get roleArn(): string {
    return `arn:aws:iam::${this.accountId}:role/${LAB.roleName}`;
  }

  trustPolicy(): string {
    return JSON.stringify(loggingRoleTrustPolicy(this.accountId, this.settings.region));
  }

  deliveryPolicy(): string {
    return JSON.stringify(
      deliveryPolicy(invocationStreamArn(this.settings.region, this.accountId, LAB.logGroup)),
    );
  }

  /** Step 1: the log group, the delivery role, and logging with text data on. */
  async enableLogging(): Promise<void> {
    await ignoring('ResourceAlreadyExists', () =>
      this.aws.logs.send(new CreateLogGroupCommand({ logGroupName: LAB.logGroup })),
    );
    const exists = await this.aws.iam.send(new GetRoleCommand({ RoleName: LAB.roleName })).then(
      () => true,
      (error: unknown) => {
        if (isAwsError(error, 'NoSuchEntity')) return false;
        throw error;
      },
    );
    if (exists) {
      await this.aws.iam.send(
        new UpdateAssumeRolePolicyCommand({ RoleName: LAB.roleName, PolicyDocument: this.trustPolicy() }),
      );
    } else {
      await this.aws.iam.send(
        new CreateRoleCommand({
          RoleName: LAB.roleName,
          AssumeRolePolicyDocument: this.trustPolicy(),
          Description: 'Lets Amazon Bedrock deliver model invocation logs to CloudWatch Logs (lab 5).',
        }),
      );
    }
    await this.aws.iam.send(
      new PutRolePolicyCommand({
        RoleName: LAB.roleName,
        PolicyName: 'DeliverInvocationLogs',
        PolicyDocument: this.deliveryPolicy(),
      }),
    );
    // IAM changes take seconds to reach Bedrock: it refuses with "Failed to validate permissions" meanwhile.
    const loggingConfig = {
      cloudWatchConfig: { logGroupName: LAB.logGroup, roleArn: this.roleArn },
      textDataDeliveryEnabled: true,
      imageDataDeliveryEnabled: false,
      embeddingDataDeliveryEnabled: false,
    };
    await poll(
      () =>
        this.aws.bedrock.send(new PutModelInvocationLoggingConfigurationCommand({ loggingConfig })).then(
          () => undefined,
          (error: unknown) => error,
        ),
      (error) => error === undefined,
      {
        timeoutMs: this.settings.target === 'aws' ? 60_000 : 5_000,
        intervals: CADENCE.trailing,
        what: 'Bedrock to accept the logging configuration',
      },
    );
  }

  /**
   * Step 2: the five prompts. The lab's model has reached end of life, so when it is refused
   * the fallback model answers instead; the returned id says which model was used.
   */
  async sendPrompts(): Promise<{
    modelId: string;
    fellBack: boolean;
    reason?: string;
    usage: { input: number; output: number }[];
  }> {
    let modelId: string = LAB.modelId;
    let reason: string | undefined;
    const usage: { input: number; output: number }[] = [];
    for (const prompt of LAB.prompts) {
      try {
        usage.push(await this.invoke(modelId, prompt));
      } catch (error) {
        if (modelId !== LAB.modelId) throw error;
        reason = describeError(error);
        modelId = this.settings.fallbackModelId;
        usage.push(await this.invoke(modelId, prompt));
      }
    }
    return { modelId, fellBack: modelId !== LAB.modelId, reason, usage };
  }

  /**
   * One prompt, as the lab's script sends it (InvokeModel with the Anthropic messages body), or
   * through Converse, which every model speaks; non-Anthropic models always go through Converse.
   */
  async invoke(
    modelId: string,
    prompt: string,
    operation: 'InvokeModel' | 'Converse' = 'InvokeModel',
  ): Promise<{ input: number; output: number }> {
    if (operation === 'Converse' || !modelId.includes('anthropic')) {
      const output = await this.aws.bedrockRuntime.send(
        new ConverseCommand({
          modelId,
          messages: [{ role: 'user', content: [{ text: prompt }] }],
          inferenceConfig: { maxTokens: 128 },
        }),
      );
      return { input: output.usage?.inputTokens ?? 0, output: output.usage?.outputTokens ?? 0 };
    }
    const response = await this.aws.bedrockRuntime.send(
      new InvokeModelCommand({
        modelId,
        contentType: 'application/json',
        accept: 'application/json',
        body: JSON.stringify({
          anthropic_version: 'bedrock-2023-05-31',
          max_tokens: 128,
          messages: [{ role: 'user', content: prompt }],
        }),
      }),
    );
    const result = JSON.parse(new TextDecoder().decode(response.body)) as {
      usage: { input_tokens: number; output_tokens: number };
    };
    return { input: result.usage.input_tokens, output: result.usage.output_tokens };
  }

  /** Step 4: the dashboard with the lab's three widgets, exactly as the lab writes their queries. */
  async createDashboard(): Promise<void> {
    const { region } = this.settings;
    const widget = (y: number, title: string, query: string, view: string) => ({
      type: 'log',
      x: 0,
      y,
      width: 24,
      height: 6,
      properties: { query: `SOURCE '${LAB.logGroup}' | ${query}`, region, title, view },
    });
    const body = {
      widgets: [
        widget(0, 'Invocation Count', LAB.widgetQueries.invocations, 'timeSeries'),
        widget(6, 'Token Usage', LAB.widgetQueries.tokens, 'timeSeries'),
        widget(12, 'Latency', LAB.widgetQueries.latency, 'timeSeries'),
      ],
    };
    await this.aws.cloudwatch.send(
      new PutDashboardCommand({ DashboardName: LAB.dashboardName, DashboardBody: JSON.stringify(body) }),
    );
  }

  /** Removes what a run created (LAB_CLEANUP=1); what is already gone is fine. */
  async cleanUp(): Promise<void> {
    await ignoring('ResourceNotFound', () =>
      this.aws.cloudwatch.send(new DeleteDashboardsCommand({ DashboardNames: [LAB.dashboardName] })),
    );
    await this.aws.bedrock.send(new DeleteModelInvocationLoggingConfigurationCommand({}));
    await ignoring('NoSuchEntity', () =>
      this.aws.iam.send(
        new DeleteRolePolicyCommand({ RoleName: LAB.roleName, PolicyName: 'DeliverInvocationLogs' }),
      ),
    );
    await ignoring('NoSuchEntity', () =>
      this.aws.iam.send(new DeleteRoleCommand({ RoleName: LAB.roleName })),
    );
    await ignoring('ResourceNotFound', () =>
      this.aws.logs.send(new DeleteLogGroupCommand({ logGroupName: LAB.logGroup })),
    );
  }
}

async function ignoring(code: string, call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (error) {
    if (!isAwsError(error, code)) throw error;
  }
}
