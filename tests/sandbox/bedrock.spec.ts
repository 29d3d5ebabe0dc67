import { BedrockRuntimeClient, InvokeModelWithResponseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import {
  BedrockClient,
  DeleteModelInvocationLoggingConfigurationCommand,
  GetFoundationModelCommand,
  GetModelInvocationLoggingConfigurationCommand,
  ListFoundationModelsCommand,
  ListInferenceProfilesCommand,
  PutModelInvocationLoggingConfigurationCommand,
  type ListFoundationModelsCommandInput,
  type LoggingConfig,
} from '@aws-sdk/client-bedrock';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  FilterLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { bedrockTrustPolicy, logsDeliveryPolicy } from '../fixtures/lab-policies';
import { LAB } from '../../specs/genai-monitoring/lab/facts';
import { expect, test, type ClientConfig } from '../fixtures/sandbox';

const GROUP = '/aws/bedrock/model-invocations';
const LAB_MODEL = 'anthropic.claude-3-5-sonnet-20241022-v2:0';

const put = (aws: ClientConfig, loggingConfig: LoggingConfig) =>
  new BedrockClient(aws).send(new PutModelInvocationLoggingConfigurationCommand({ loggingConfig }));

interface RoleOptions {
  trustService?: string;
  sourceArn?: string;
  logsActions?: string[];
}

/** A role as the lab needs it (docs/aws-behaviours.md); options spoil one part of it. */
async function createRole(aws: ClientConfig, accountId: string, name: string, options: RoleOptions = {}) {
  const iam = new IAMClient(aws);
  const { Role } = await iam.send(
    new CreateRoleCommand({
      RoleName: name,
      AssumeRolePolicyDocument: bedrockTrustPolicy(accountId, {
        service: options.trustService,
        sourceArn: options.sourceArn,
      }),
    }),
  );
  await iam.send(
    new PutRolePolicyCommand({
      RoleName: name,
      PolicyName: 'logs',
      PolicyDocument: logsDeliveryPolicy({ accountId, logGroup: GROUP }, options.logsActions),
    }),
  );
  return Role!.Arn!;
}

const createGroup = (aws: ClientConfig) =>
  new CloudWatchLogsClient(aws).send(new CreateLogGroupCommand({ logGroupName: GROUP }));

const permissionsError = (roleArn: string) => ({
  name: 'ValidationException',
  message: `Failed to validate permissions for log group: ${GROUP}, with role: ${roleArn}. Verify the IAM role permissions are correct.`,
  $metadata: { httpStatusCode: 400 },
});

test.describe('Bedrock: model invocation logging configuration', () => {
  test('Get answers an empty body when nothing is configured', async ({ aws }) => {
    const out = await new BedrockClient(aws).send(new GetModelInvocationLoggingConfigurationCommand({}));
    expect(out.loggingConfig).toBeUndefined();
    expect(out.$metadata.httpStatusCode).toBe(200);
  });

  test('Put with a working role and group, then Get and Delete', async ({ aws, accountId }) => {
    const roleArn = await createRole(aws, accountId, 'BedrockLogging');
    await createGroup(aws);
    const loggingConfig: LoggingConfig = {
      cloudWatchConfig: { logGroupName: GROUP, roleArn },
      textDataDeliveryEnabled: true,
      imageDataDeliveryEnabled: false,
      embeddingDataDeliveryEnabled: false,
    };
    const out = await put(aws, loggingConfig);
    expect(out.$metadata.httpStatusCode).toBe(200);
    const bedrock = new BedrockClient(aws);
    expect((await bedrock.send(new GetModelInvocationLoggingConfigurationCommand({}))).loggingConfig).toEqual(
      loggingConfig,
    );
    await bedrock.send(new DeleteModelInvocationLoggingConfigurationCommand({}));
    expect(
      (await bedrock.send(new GetModelInvocationLoggingConfigurationCommand({}))).loggingConfig,
    ).toBeUndefined();
  });

  test('switching logging on writes the plain-text permissions line', async ({ aws, accountId }) => {
    const roleArn = await createRole(aws, accountId, 'BedrockLogging');
    await createGroup(aws);
    await put(aws, { cloudWatchConfig: { logGroupName: GROUP, roleArn } });
    const { events = [] } = await new CloudWatchLogsClient(aws).send(
      new FilterLogEventsCommand({ logGroupName: GROUP }),
    );
    expect(events).toEqual([
      expect.objectContaining({
        logStreamName: LAB.logStream,
        message: 'Permissions are correctly set for Amazon Bedrock logs.',
      }),
    ]);
  });

  test('the configuration is per Region', async ({ aws, accountId }) => {
    const roleArn = await createRole(aws, accountId, 'BedrockLogging');
    await createGroup(aws);
    await put(aws, { cloudWatchConfig: { logGroupName: GROUP, roleArn } });
    const east = new BedrockClient(aws);
    const west = new BedrockClient({ ...aws, region: 'us-west-2' });
    expect(
      (await east.send(new GetModelInvocationLoggingConfigurationCommand({}))).loggingConfig
        ?.cloudWatchConfig,
    ).toMatchObject({ logGroupName: GROUP, roleArn });
    expect(
      (await west.send(new GetModelInvocationLoggingConfigurationCommand({}))).loggingConfig,
    ).toBeUndefined();
  });

  test('an S3-only configuration is stored', async ({ aws }) => {
    const loggingConfig = { s3Config: { bucketName: 'my-bedrock-logs', keyPrefix: 'lab5' } };
    await put(aws, loggingConfig);
    const out = await new BedrockClient(aws).send(new GetModelInvocationLoggingConfigurationCommand({}));
    expect(out.loggingConfig).toEqual(loggingConfig);
  });

  // AWS's messages quote a pattern as the published service model states it, without the `^...$`
  // the Smithy model adds (Bedrock runtime's `modelId` errors in aws/aws-sdk-js-v3#5665, n8n-io/n8n#9084).
  test('shape errors come in AWS words, all at once', async ({ aws, accountId }) => {
    await expect(
      put(aws, {
        cloudWatchConfig: { logGroupName: 'x'.repeat(513), roleArn: `arn:aws:iam::${accountId}:user/me` },
      }),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message:
        `2 validation errors detected: Value '${'x'.repeat(513)}' at 'loggingConfig.cloudWatchConfig.logGroupName' failed to satisfy constraint: Member must have length less than or equal to 512; ` +
        `Value 'arn:aws:iam::${accountId}:user/me' at 'loggingConfig.cloudWatchConfig.roleArn' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:aws(-[^:]+)?:iam::([0-9]{12})?:role/.+`,
      $metadata: { httpStatusCode: 400 },
    });
  });

  test('a configuration without a destination is refused', async ({ aws }) => {
    await expect(put(aws, { textDataDeliveryEnabled: true })).rejects.toMatchObject({
      name: 'ValidationException',
      $metadata: { httpStatusCode: 400 },
    });
  });

  test('a role that does not exist fails the permission check and changes nothing', async ({
    aws,
    accountId,
  }) => {
    await createGroup(aws);
    const saved = { s3Config: { bucketName: 'my-bedrock-logs' } };
    await put(aws, saved);
    const roleArn = `arn:aws:iam::${accountId}:role/NoSuchRole`;
    await expect(put(aws, { cloudWatchConfig: { logGroupName: GROUP, roleArn } })).rejects.toMatchObject(
      permissionsError(roleArn),
    );
    const out = await new BedrockClient(aws).send(new GetModelInvocationLoggingConfigurationCommand({}));
    expect(out.loggingConfig).toEqual(saved);
  });

  test('a role Bedrock may not assume fails the permission check', async ({ aws, accountId }) => {
    await createGroup(aws);
    const roleArn = await createRole(aws, accountId, 'LambdaRole', { trustService: 'lambda.amazonaws.com' });
    await expect(put(aws, { cloudWatchConfig: { logGroupName: GROUP, roleArn } })).rejects.toMatchObject(
      permissionsError(roleArn),
    );
  });

  test('a trust policy for another Region fails the permission check', async ({ aws, accountId }) => {
    await createGroup(aws);
    const roleArn = await createRole(aws, accountId, 'WestRole', {
      sourceArn: `arn:aws:bedrock:us-west-2:${accountId}:*`,
    });
    await expect(put(aws, { cloudWatchConfig: { logGroupName: GROUP, roleArn } })).rejects.toMatchObject(
      permissionsError(roleArn),
    );
  });

  test('a role without logs:PutLogEvents fails the permission check', async ({ aws, accountId }) => {
    await createGroup(aws);
    const roleArn = await createRole(aws, accountId, 'HalfRole', { logsActions: ['logs:CreateLogStream'] });
    await expect(put(aws, { cloudWatchConfig: { logGroupName: GROUP, roleArn } })).rejects.toMatchObject(
      permissionsError(roleArn),
    );
  });

  test('a log group that does not exist fails the permission check', async ({ aws, accountId }) => {
    const roleArn = await createRole(aws, accountId, 'BedrockLogging');
    await expect(put(aws, { cloudWatchConfig: { logGroupName: GROUP, roleArn } })).rejects.toMatchObject(
      permissionsError(roleArn),
    );
  });
});

test.describe('Bedrock: foundation models', () => {
  test('ListFoundationModels gives the catalog in the SDK shape', async ({ aws }) => {
    const { modelSummaries = [] } = await new BedrockClient(aws).send(new ListFoundationModelsCommand({}));
    expect(modelSummaries.map((m) => m.modelId)).toEqual(
      expect.arrayContaining([
        LAB_MODEL,
        'anthropic.claude-haiku-4-5-20251001-v1:0',
        'amazon.nova-micro-v1:0',
      ]),
    );
    expect(modelSummaries.find((m) => m.modelId === 'anthropic.claude-sonnet-4-5-20250929-v1:0')).toEqual({
      modelArn: 'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0',
      modelId: 'anthropic.claude-sonnet-4-5-20250929-v1:0',
      modelName: 'Claude Sonnet 4.5',
      providerName: 'Anthropic',
      inputModalities: ['TEXT', 'IMAGE'],
      outputModalities: ['TEXT'],
      responseStreamingSupported: true,
      customizationsSupported: [],
      inferenceTypesSupported: ['INFERENCE_PROFILE'],
      modelLifecycle: { status: 'ACTIVE', startOfLifeTime: new Date('2025-09-29T00:00:00Z') },
    });
  });

  test('ListFoundationModels filters by provider, inference type and modality', async ({ aws }) => {
    const bedrock = new BedrockClient(aws);
    const ids = async (input: ListFoundationModelsCommandInput) =>
      ((await bedrock.send(new ListFoundationModelsCommand(input))).modelSummaries ?? []).map(
        (m) => m.modelId,
      );
    expect(await ids({ byProvider: 'amazon' })).toEqual(['amazon.nova-micro-v1:0']);
    expect(await ids({ byInferenceType: 'ON_DEMAND' })).toEqual(['amazon.nova-micro-v1:0']);
    expect(await ids({ byCustomizationType: 'FINE_TUNING' })).toEqual(['amazon.nova-micro-v1:0']);
    expect(await ids({ byOutputModality: 'IMAGE' })).toEqual([]);
    expect((await ids({ byProvider: 'Anthropic', byOutputModality: 'TEXT' })).length).toBeGreaterThan(2);
  });

  test('ListFoundationModels refuses an unknown filter value', async ({ aws }) => {
    await expect(
      new BedrockClient(aws).send(
        new ListFoundationModelsCommand({ byInferenceType: 'SERVERLESS' as 'ON_DEMAND' }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message:
        "1 validation error detected: Value 'SERVERLESS' at 'byInferenceType' failed to satisfy constraint: Member must satisfy enum value set: [ON_DEMAND, PROVISIONED]",
    });
  });

  test("GetFoundationModel reports the lab model's lifecycle", async ({ aws }) => {
    const bedrock = new BedrockClient(aws);
    for (const modelIdentifier of [LAB_MODEL, `arn:aws:bedrock:us-east-1::foundation-model/${LAB_MODEL}`]) {
      const { modelDetails } = await bedrock.send(new GetFoundationModelCommand({ modelIdentifier }));
      expect(modelDetails).toMatchObject({
        modelId: LAB_MODEL,
        inferenceTypesSupported: ['INFERENCE_PROFILE'],
        modelLifecycle: {
          status: 'LEGACY',
          legacyTime: expect.any(Date),
          endOfLifeTime: new Date('2026-07-30T00:00:00Z'),
        },
      });
    }
  });

  test('GetFoundationModel of an unknown model is not found', async ({ aws }) => {
    await expect(
      new BedrockClient(aws).send(new GetFoundationModelCommand({ modelIdentifier: 'anthropic.claude-9' })),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      $metadata: { httpStatusCode: 404 },
    });
  });
});

test('a Bedrock operation the sandbox does not emulate fails loudly with 501', async ({ aws }) => {
  await expect(new BedrockClient(aws).send(new ListInferenceProfilesCommand({}))).rejects.toMatchObject({
    name: 'NotImplementedException',
    // bedrock and bedrock-runtime share a signing name; no path of either begins /inference-profiles.
    message: "The lab sandbox does not implement GET /inference-profiles of 'bedrock' or 'bedrock-runtime'.",
    $metadata: { httpStatusCode: 501 },
  });
});

test('a Bedrock runtime operation the sandbox does not emulate names bedrock-runtime', async ({ aws }) => {
  await expect(
    new BedrockRuntimeClient(aws).send(
      new InvokeModelWithResponseStreamCommand({ modelId: 'amazon.nova-micro-v1:0', body: '{}' }),
    ),
  ).rejects.toMatchObject({
    name: 'NotImplementedException',
    message:
      "The lab sandbox does not implement POST /model/amazon.nova-micro-v1:0/invoke-with-response-stream of 'bedrock-runtime'.",
    $metadata: { httpStatusCode: 501 },
  });
});
