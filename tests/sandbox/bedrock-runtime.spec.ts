import {
  BedrockClient,
  DeleteModelInvocationLoggingConfigurationCommand,
  PutModelInvocationLoggingConfigurationCommand,
} from '@aws-sdk/client-bedrock';
import {
  BedrockRuntimeClient,
  ConverseCommand,
  InvokeModelCommand,
  type InvokeModelCommandOutput,
} from '@aws-sdk/client-bedrock-runtime';
import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DeleteLogGroupCommand,
  FilterLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateRoleCommand,
  DeleteRolePolicyCommand,
  IAMClient,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { bedrockTrustPolicy, logsDeliveryPolicy } from '../fixtures/lab-policies';
import { LAB } from '../../specs/genai-monitoring/lab/facts';
import { expect, test, type ClientConfig } from '../fixtures/sandbox';

const LAB_MODEL = 'anthropic.claude-3-5-sonnet-20241022-v2:0';
const HAIKU = 'anthropic.claude-haiku-4-5-20251001-v1:0';
const HAIKU_PROFILE = `us.${HAIKU}`;
const NOVA = 'amazon.nova-micro-v1:0';
const GROUP = '/aws/bedrock/model-invocations';

/** The lab's own request body (Step 2). */
const labBody = (prompt: string, maxTokens = 128) =>
  JSON.stringify({
    anthropic_version: 'bedrock-2023-05-31',
    max_tokens: maxTokens,
    messages: [{ role: 'user', content: prompt }],
  });

function invoke(aws: ClientConfig, modelId: string, body: string): Promise<InvokeModelCommandOutput> {
  return new BedrockRuntimeClient(aws).send(
    new InvokeModelCommand({ modelId, contentType: 'application/json', accept: 'application/json', body }),
  );
}

const json = (out: InvokeModelCommandOutput): Record<string, unknown> =>
  JSON.parse(Buffer.from(out.body).toString('utf8')) as Record<string, unknown>;

/** A runtime client that remembers the raw response headers (the token-count headers are not modelled). */
function clientWithHeaders(aws: ClientConfig) {
  const client = new BedrockRuntimeClient(aws);
  const headers: Record<string, string>[] = [];
  client.middlewareStack.add(
    (next) => async (args) => {
      const out = await next(args);
      headers.push((out.response as { headers: Record<string, string> }).headers);
      return out;
    },
    { step: 'deserialize', name: 'captureHeaders' },
  );
  return { client, headers };
}

test.describe('Bedrock runtime: InvokeModel errors', () => {
  test("the lab's model has reached end of life", async ({ aws }) => {
    for (const id of [LAB_MODEL, `us.${LAB_MODEL}`]) {
      await expect(invoke(aws, id, labBody('What is Amazon Bedrock?'))).rejects.toMatchObject({
        name: 'ResourceNotFoundException',
        message:
          'This model version has reached the end of its life. Please refer to the AWS documentation for more details.',
        $metadata: { httpStatusCode: 404 },
      });
    }
  });

  test('a profile-only model called by its plain id needs an inference profile', async ({ aws }) => {
    await expect(invoke(aws, HAIKU, labBody('Hi'))).rejects.toMatchObject({
      name: 'ValidationException',
      message: `Invocation of model ID ${HAIKU} with on-demand throughput isn't supported. Retry your request with the ID or ARN of an inference profile that contains this model.`,
      $metadata: { httpStatusCode: 400 },
    });
  });

  test('an unknown model identifier is invalid', async ({ aws }) => {
    for (const id of ['anthropic.claude-9', 'eu.' + HAIKU, 'us.amazon.titan-unknown-v1']) {
      await expect(invoke(aws, id, labBody('Hi'))).rejects.toMatchObject({
        name: 'ValidationException',
        message: 'The provided model identifier is invalid.',
        $metadata: { httpStatusCode: 400 },
      });
    }
  });

  test('a Legacy model the account has not used refuses', async ({ aws }) => {
    await expect(
      invoke(aws, 'us.anthropic.claude-sonnet-4-20250514-v1:0', labBody('Hi')),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message:
        'Access denied. This Model is marked by provider as Legacy and you have not been actively using the model in the last 30 days. Please upgrade to an active model on Amazon Bedrock',
    });
  });

  test("another account's inference profile is not accessible", async ({ aws }) => {
    const arn = `arn:aws:bedrock:us-east-1:111122223333:inference-profile/${HAIKU_PROFILE}`;
    await expect(invoke(aws, arn, labBody('Hi'))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: "You don't have access to the model with the specified model ID.",
      $metadata: { httpStatusCode: 403 },
    });
  });

  test('a body without max_tokens is malformed, in AWS words', async ({ aws }) => {
    const body = JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', messages: [] });
    await expect(invoke(aws, HAIKU_PROFILE, body)).rejects.toMatchObject({
      name: 'ValidationException',
      message:
        'Malformed input request: #: required key [max_tokens] not found, please reformat your input and try again.',
      $metadata: { httpStatusCode: 400 },
    });
  });

  test('several schema violations are counted; unknown keys are refused', async ({ aws }) => {
    await expect(invoke(aws, HAIKU_PROFILE, JSON.stringify({ messages: [] }))).rejects.toMatchObject({
      message:
        'Malformed input request: #: 2 schema violations found, please reformat your input and try again.',
    });
    const body = JSON.stringify({ ...JSON.parse(labBody('Hi')), model: 'claude' });
    await expect(invoke(aws, HAIKU_PROFILE, body)).rejects.toMatchObject({
      message:
        'Malformed input request: #: extraneous key [model] is not permitted, please reformat your input and try again.',
    });
    await expect(invoke(aws, HAIKU_PROFILE, labBody('Hi', 0))).rejects.toMatchObject({
      message:
        'Malformed input request: #/max_tokens: 0 is not greater or equal to 1, please reformat your input and try again.',
    });
  });

  test('a body that is not JSON is malformed', async ({ aws }) => {
    await expect(invoke(aws, HAIKU_PROFILE, 'What is Amazon Bedrock?')).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringMatching(/^Malformed input request/),
      $metadata: { httpStatusCode: 400 },
    });
  });
});

test.describe('Bedrock runtime: the stand-in model', () => {
  test('an inference profile answers in the Anthropic shape with token headers', async ({ aws }) => {
    const { client, headers } = clientWithHeaders(aws);
    const out = await client.send(
      new InvokeModelCommand({
        modelId: HAIKU_PROFILE,
        contentType: 'application/json',
        body: labBody('What is Amazon Bedrock?'),
      }),
    );
    expect(out.contentType).toBe('application/json');
    const body = json(out);
    expect(body).toEqual({
      id: expect.stringMatching(/^msg_bdrk_\w+$/),
      type: 'message',
      role: 'assistant',
      model: 'claude-haiku-4-5-20251001',
      content: [{ type: 'text', text: expect.stringContaining('Amazon Bedrock') }],
      stop_reason: expect.stringMatching(/^(end_turn|max_tokens)$/),
      stop_sequence: null,
      usage: { input_tokens: 13, output_tokens: expect.any(Number) },
    });
    const usage = body.usage as { input_tokens: number; output_tokens: number };
    expect(usage.output_tokens).toBeGreaterThan(0);
    expect(usage.output_tokens).toBeLessThanOrEqual(128);
    expect(headers[0]).toMatchObject({
      'x-amzn-bedrock-input-token-count': '13',
      'x-amzn-bedrock-output-token-count': String(usage.output_tokens),
      'x-amzn-bedrock-invocation-latency': expect.stringMatching(/^\d+$/),
      'x-amzn-requestid': expect.any(String),
    });
  });

  test('the same prompt gives the same text; another prompt another text', async ({ aws }) => {
    const text = async (prompt: string) =>
      (json(await invoke(aws, HAIKU_PROFILE, labBody(prompt))).content as { text: string }[])[0]!.text;
    const first = await text('How does vector search work?');
    expect(await text('How does vector search work?')).toBe(first);
    expect(first).toContain('vector search');
    expect(await text('What is prompt engineering?')).not.toBe(first);
  });

  test('max_tokens caps the answer', async ({ aws }) => {
    const body = json(await invoke(aws, HAIKU_PROFILE, labBody('Explain RAG in simple terms.', 5)));
    expect(body).toMatchObject({ stop_reason: 'max_tokens', usage: { output_tokens: 5 } });
    expect((body.content as { text: string }[])[0]!.text).toHaveLength(20);
  });

  test('profile ARNs, global profiles and foundation-model ARNs are accepted', async ({ aws, accountId }) => {
    for (const id of [
      `arn:aws:bedrock:us-east-1:${accountId}:inference-profile/${HAIKU_PROFILE}`,
      `global.${HAIKU}`,
      `arn:aws:bedrock:us-east-1::foundation-model/${NOVA}`,
    ]) {
      const body = id.includes('nova')
        ? JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'Hi' }] }] })
        : labBody('Hi');
      await expect(invoke(aws, id, body)).resolves.toMatchObject({ $metadata: { httpStatusCode: 200 } });
    }
  });

  test('Nova Micro runs on demand and answers in its own shape', async ({ aws }) => {
    const body = JSON.stringify({
      messages: [{ role: 'user', content: [{ text: 'List 3 benefits of serverless computing.' }] }],
      inferenceConfig: { max_new_tokens: 300 },
    });
    const out = json(await invoke(aws, NOVA, body));
    expect(out).toEqual({
      output: { message: { role: 'assistant', content: [{ text: expect.stringContaining('serverless') }] } },
      stopReason: 'end_turn',
      usage: { inputTokens: 17, outputTokens: expect.any(Number), totalTokens: expect.any(Number) },
    });
    const usage = out.usage as { inputTokens: number; outputTokens: number; totalTokens: number };
    expect(usage.totalTokens).toBe(usage.inputTokens + usage.outputTokens);
  });
});

test.describe('Bedrock runtime: Converse', () => {
  test('answers with output, stopReason, usage and metrics', async ({ aws }) => {
    const out = await new BedrockRuntimeClient(aws).send(
      new ConverseCommand({
        modelId: HAIKU_PROFILE,
        messages: [{ role: 'user', content: [{ text: 'What is Amazon Bedrock?' }] }],
        inferenceConfig: { maxTokens: 200 },
      }),
    );
    expect(out).toMatchObject({
      output: {
        message: { role: 'assistant', content: [{ text: expect.stringContaining('Amazon Bedrock') }] },
      },
      stopReason: 'end_turn',
      usage: { inputTokens: 13, outputTokens: expect.any(Number), totalTokens: expect.any(Number) },
      metrics: { latencyMs: expect.any(Number) },
    });
    expect(out.usage!.totalTokens).toBe(out.usage!.inputTokens! + out.usage!.outputTokens!);
  });

  test('the same model errors apply', async ({ aws }) => {
    const runtime = new BedrockRuntimeClient(aws);
    const messages = [{ role: 'user' as const, content: [{ text: 'Hi' }] }];
    await expect(runtime.send(new ConverseCommand({ modelId: HAIKU, messages }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining("with on-demand throughput isn't supported"),
    });
    await expect(runtime.send(new ConverseCommand({ modelId: LAB_MODEL, messages }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      $metadata: { httpStatusCode: 404 },
    });
  });

  test('a conversation must start with the user and alternate', async ({ aws }) => {
    const runtime = new BedrockRuntimeClient(aws);
    await expect(
      runtime.send(
        new ConverseCommand({ modelId: NOVA, messages: [{ role: 'assistant', content: [{ text: 'Hi' }] }] }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message:
        'A conversation must start with a user message. Try again with a conversation that starts with a user message.',
    });
    await expect(
      runtime.send(
        new ConverseCommand({
          modelId: NOVA,
          messages: [
            { role: 'user', content: [{ text: 'Hi' }] },
            { role: 'user', content: [{ text: 'Again' }] },
          ],
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('must alternate'),
    });
    await expect(
      runtime.send(
        new ConverseCommand({
          modelId: NOVA,
          messages: [{ role: 'user', content: [{ text: 'Hi' }] }],
          inferenceConfig: { maxTokens: 0 },
        }),
      ),
    ).rejects.toMatchObject({
      message:
        "1 validation error detected: Value '0' at 'inferenceConfig.maxTokens' failed to satisfy constraint: Member must have value greater than or equal to 1",
    });
  });
});

/** Sum of an AWS/Bedrock metric over the last hour. */
async function metricSum(aws: ClientConfig, metricName: string, modelId?: string): Promise<number> {
  const now = Date.now();
  const { Datapoints = [] } = await new CloudWatchClient(aws).send(
    new GetMetricStatisticsCommand({
      Namespace: 'AWS/Bedrock',
      MetricName: metricName,
      Dimensions: modelId ? [{ Name: 'ModelId', Value: modelId }] : undefined,
      StartTime: new Date(now - 3600_000),
      EndTime: new Date(now + 60_000),
      Period: 3600,
      Statistics: ['Sum'],
    }),
  );
  return Datapoints.reduce((sum, d) => sum + (d.Sum ?? 0), 0);
}

test.describe('Bedrock runtime: AWS/Bedrock metrics', () => {
  test('successes and client errors are counted per model id as given', async ({ aws }) => {
    await invoke(aws, HAIKU_PROFILE, labBody('What is Amazon Bedrock?'));
    await invoke(aws, HAIKU_PROFILE, labBody('What is Amazon Bedrock?'));
    await expect(invoke(aws, LAB_MODEL, labBody('What is Amazon Bedrock?'))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    expect(await metricSum(aws, 'Invocations', HAIKU_PROFILE)).toBe(2);
    expect(await metricSum(aws, 'InputTokenCount', HAIKU_PROFILE)).toBe(26);
    expect(await metricSum(aws, 'InvocationLatency', HAIKU_PROFILE)).toBeGreaterThan(0);
    expect(await metricSum(aws, 'InvocationClientErrors', LAB_MODEL)).toBe(1);
    expect(await metricSum(aws, 'Invocations', LAB_MODEL)).toBe(0);
  });
});

/** Everything the lab's Step 1 sets up: a role Bedrock may assume, the group, the configuration. */
async function enableLogging(aws: ClientConfig, accountId: string, textData = true): Promise<string> {
  const iam = new IAMClient(aws);
  const { Role } = await iam.send(
    new CreateRoleCommand({
      RoleName: 'BedrockLogging',
      AssumeRolePolicyDocument: bedrockTrustPolicy(accountId),
    }),
  );
  await iam.send(
    new PutRolePolicyCommand({
      RoleName: 'BedrockLogging',
      PolicyName: 'logs',
      PolicyDocument: logsDeliveryPolicy({ accountId, logGroup: GROUP }),
    }),
  );
  await new CloudWatchLogsClient(aws).send(new CreateLogGroupCommand({ logGroupName: GROUP }));
  await new BedrockClient(aws).send(
    new PutModelInvocationLoggingConfigurationCommand({
      loggingConfig: {
        cloudWatchConfig: { logGroupName: GROUP, roleArn: Role!.Arn! },
        textDataDeliveryEnabled: textData,
      },
    }),
  );
  return Role!.Arn!;
}

/** The group's events in timestamp order; records carry whole seconds, so they may precede the permissions line. */
async function logMessages(aws: ClientConfig): Promise<string[]> {
  const { events = [] } = await new CloudWatchLogsClient(aws).send(
    new FilterLogEventsCommand({ logGroupName: GROUP, logStreamNames: [LAB.logStream] }),
  );
  return events.map((e) => e.message!);
}

test.describe('Bedrock runtime: invocation logging', () => {
  test('each call writes one record in AWS schema and key order (as logged in 2026)', async ({
    aws,
    accountId,
  }) => {
    await enableLogging(aws, accountId);
    const body = labBody('What is Amazon Bedrock?');
    const out = json(await invoke(aws, HAIKU_PROFILE, body));
    const messages = await logMessages(aws);
    expect(messages).toHaveLength(2);
    expect(messages).toContain('Permissions are correctly set for Amazon Bedrock logs.');
    const record = JSON.parse(messages.find((m) => m.startsWith('{'))!) as Record<string, unknown>;
    expect(Object.keys(record)).toEqual([
      'timestamp',
      'accountId',
      'region',
      'requestId',
      'operation',
      'modelId',
      'input',
      'output',
      'identity',
      'inferenceRegion',
      'schemaType',
      'schemaVersion',
    ]);
    expect(record).toEqual({
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      accountId,
      identity: { arn: `arn:aws:iam::${accountId}:root` },
      region: 'us-east-1',
      requestId: expect.any(String),
      operation: 'InvokeModel',
      modelId: `arn:aws:bedrock:us-east-1:${accountId}:inference-profile/${HAIKU_PROFILE}`,
      input: { inputContentType: 'application/json', inputBodyJson: JSON.parse(body), inputTokenCount: 13 },
      output: {
        outputContentType: 'application/json',
        outputBodyJson: out,
        outputTokenCount: (out.usage as { output_tokens: number }).output_tokens,
      },
      inferenceRegion: 'us-east-1',
      schemaType: 'ModelInvocationLog',
      schemaVersion: '1.0',
    });
    expect(await metricSum(aws, 'ModelInvocationLogsCloudWatchDeliverySuccess')).toBe(1);
  });

  test('without text data the bodies are left out; Converse is logged as Converse', async ({
    aws,
    accountId,
  }) => {
    await enableLogging(aws, accountId, false);
    await new BedrockRuntimeClient(aws).send(
      new ConverseCommand({ modelId: NOVA, messages: [{ role: 'user', content: [{ text: 'Hi' }] }] }),
    );
    const messages = await logMessages(aws);
    const record = JSON.parse(messages.find((m) => m.startsWith('{'))!) as Record<string, unknown>;
    expect(record).toMatchObject({ operation: 'Converse', modelId: NOVA });
    expect(record, 'an on-demand call names no inference Region').not.toHaveProperty('inferenceRegion');
    expect(record.input).toEqual({ inputContentType: 'application/json', inputTokenCount: 8 });
    expect(Object.keys(record.output as object)).toEqual(['outputContentType', 'outputTokenCount']);
  });

  test('Converse through an inference profile logs the profile id as given, and the Region that served it', async ({
    aws,
    accountId,
  }) => {
    await enableLogging(aws, accountId, false);
    await new BedrockRuntimeClient(aws).send(
      new ConverseCommand({
        modelId: HAIKU_PROFILE,
        messages: [{ role: 'user', content: [{ text: 'Hi' }] }],
      }),
    );
    const record = JSON.parse((await logMessages(aws)).find((m) => m.startsWith('{'))!) as Record<
      string,
      unknown
    >;
    expect(record).toMatchObject({
      operation: 'Converse',
      modelId: HAIKU_PROFILE,
      inferenceRegion: 'us-east-1',
    });
  });

  test('failed calls are not logged', async ({ aws, accountId }) => {
    await enableLogging(aws, accountId);
    await expect(invoke(aws, LAB_MODEL, labBody('What is Amazon Bedrock?'))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    expect(await logMessages(aws)).toHaveLength(1);
  });

  test('a role broken after Put stops delivery and counts failures', async ({ aws, accountId }) => {
    await enableLogging(aws, accountId);
    await new IAMClient(aws).send(
      new DeleteRolePolicyCommand({ RoleName: 'BedrockLogging', PolicyName: 'logs' }),
    );
    await invoke(aws, HAIKU_PROFILE, labBody('What is Amazon Bedrock?'));
    expect(await logMessages(aws)).toHaveLength(1);
    expect(await metricSum(aws, 'ModelInvocationLogsCloudWatchDeliveryFailure')).toBe(1);
    expect(await metricSum(aws, 'ModelInvocationLogsCloudWatchDeliverySuccess')).toBe(0);
  });

  test('a deleted group counts as a failed delivery; no configuration means no delivery', async ({
    aws,
    accountId,
  }) => {
    await enableLogging(aws, accountId);
    await new CloudWatchLogsClient(aws).send(new DeleteLogGroupCommand({ logGroupName: GROUP }));
    await invoke(aws, HAIKU_PROFILE, labBody('Hi'));
    expect(await metricSum(aws, 'ModelInvocationLogsCloudWatchDeliveryFailure')).toBe(1);
    await new BedrockClient(aws).send(new DeleteModelInvocationLoggingConfigurationCommand({}));
    await invoke(aws, HAIKU_PROFILE, labBody('Hi'));
    expect(await metricSum(aws, 'ModelInvocationLogsCloudWatchDeliveryFailure')).toBe(1);
  });
});
