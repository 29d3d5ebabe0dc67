import { bedrockAccess } from '../bedrock/access';
import type {
  ContentBlock,
  ConverseCommandInput,
  ConverseCommandOutput,
  InvokeModelCommandInput,
  Message,
  SystemContentBlock,
} from '@aws-sdk/client-bedrock-runtime';
import { deliverEvent } from '../bedrock/logging';
import { lifecycleAt, resolveModelIdentifier, type ModelReference } from '../bedrock/models';
import { sleep } from '../conditions';
import { AwsError } from '../protocols/errors';
import { RawResponse, type RequestContext, type ServiceDefinition } from '../service';
import {
  conversationMustAlternate,
  conversationMustStartWithUser,
  endOfLife,
  invalidModelIdentifier,
  legacyNotInUse,
  noModelAccess,
  onDemandNotSupported,
} from './errors';
import { buildInvocationRecord, invocationLogEvent, type InvocationLogRecord } from './invocation-log';
import {
  anthropicPrompt,
  anthropicResponse,
  novaPrompt,
  novaResponse,
  parseNativeBody,
} from './native-bodies';
import { complete, type Completion, type Prompt, type Turn } from './stand-in-model';
import { nowMs, taped } from '../tape';

type Output<T> = Omit<T, '$metadata'>;

// UNVERIFIED: Converse's answer length when `inferenceConfig.maxTokens` is left out (model-specific on AWS).
const CONVERSE_DEFAULT_MAX_TOKENS = 4096;

/** The SDK's input as the dispatcher hands a blob payload over: the body is the request's bytes. */
type InvokeModelInput = Omit<InvokeModelCommandInput, 'body'> & { body: Buffer };

/** InvokeModel: the model's native JSON in, its native JSON out, token counts in headers. */
async function invokeModel(input: InvokeModelInput, ctx: RequestContext): Promise<RawResponse> {
  const modelId = input.modelId ?? '';
  const ref = resolve(modelId, ctx);
  return measured(ctx, modelId, async () => {
    checkCallable(ref, modelId);
    const body = parseNativeBody(input.body);
    const anthropic = ref.model.api === 'anthropic-messages';
    const prompt = anthropic ? anthropicPrompt(body) : novaPrompt(body);
    const { completion, latencyMs, started } = await run(prompt, ctx);
    const output = anthropic ? anthropicResponse(ref.model, completion) : novaResponse(completion);
    succeeded(ctx, ref, modelId, completion, latencyMs, {
      time: started,
      operation: 'InvokeModel',
      inputContentType: input.contentType ?? 'application/json',
      inputBody: body,
      outputBody: output,
    });
    return new RawResponse(JSON.stringify(output), {
      'content-type': 'application/json',
      'x-amzn-bedrock-invocation-latency': String(latencyMs),
      'x-amzn-bedrock-input-token-count': String(completion.inputTokens),
      'x-amzn-bedrock-output-token-count': String(completion.outputTokens),
    });
  });
}

/** Converse: one request shape for every model. */
async function converse(
  input: ConverseCommandInput,
  ctx: RequestContext,
): Promise<Output<ConverseCommandOutput>> {
  const modelId = input.modelId ?? '';
  const ref = resolve(modelId, ctx);
  return measured(ctx, modelId, async () => {
    const prompt = conversePrompt(input);
    checkCallable(ref, modelId);
    const { completion, latencyMs, started } = await run(prompt, ctx);
    const usage = {
      inputTokens: completion.inputTokens,
      outputTokens: completion.outputTokens,
      totalTokens: completion.inputTokens + completion.outputTokens,
    };
    const output: Output<ConverseCommandOutput> = {
      output: { message: { role: 'assistant', content: [{ text: completion.text }] } },
      stopReason: completion.stopReason,
      usage,
      metrics: { latencyMs },
    };
    const { modelId: _label, ...request } = input;
    succeeded(ctx, ref, modelId, completion, latencyMs, {
      time: started,
      operation: 'Converse',
      inputContentType: 'application/json',
      inputBody: request,
      outputBody: output,
    });
    return output;
  });
}

/**
 * The conversation the model is given. Its shape (roles, `maxTokens` of at least 1, ...) was
 * checked against the model before the handler ran; how the turns follow each other is checked here.
 */
function conversePrompt(input: ConverseCommandInput): Prompt {
  const messages = (input.messages ?? []) as Message[];
  const maxTokens = input.inferenceConfig?.maxTokens;
  if (messages[0]?.role !== 'user') throw conversationMustStartWithUser();
  if (messages.some((m, i) => i > 0 && m.role === messages[i - 1]!.role)) throw conversationMustAlternate();
  const texts = (blocks: (ContentBlock | SystemContentBlock)[] | undefined) =>
    (blocks ?? []).flatMap((b) => ('text' in b && typeof b.text === 'string' ? [b.text] : []));
  return {
    system: texts(input.system),
    messages: messages.map((m): Turn => ({
      role: m.role as Turn['role'],
      text: texts(m.content).join('\n'),
    })),
    maxTokens: maxTokens ?? CONVERSE_DEFAULT_MAX_TOKENS,
    stopSequences: input.inferenceConfig?.stopSequences ?? [],
  };
}

function resolve(modelId: string, ctx: RequestContext): ModelReference {
  const resolution = resolveModelIdentifier(modelId, ctx.accountId, ctx.region);
  if (resolution.kind === 'invalid') throw invalidModelIdentifier();
  if (resolution.kind === 'other-account') throw noModelAccess();
  return resolution;
}

/**
 * End of life first, then Legacy, then the throughput. Every sandbox account is a new customer
 * of a Legacy model (it cannot have used it in the last 30 days), so Legacy models always refuse.
 */
function checkCallable(ref: ModelReference, modelId: string): void {
  const state = lifecycleAt(ref.model, new Date(nowMs()));
  if (state === 'END_OF_LIFE') throw endOfLife();
  if (state === 'LEGACY') throw legacyNotInUse();
  if (ref.kind === 'foundation-model' && !ref.model.inferenceTypesSupported.includes('ON_DEMAND')) {
    throw onDemandNotSupported(modelId);
  }
}

/**
 * Runs the stand-in model, waiting as long as the latency profile says a model takes. With the
 * `none` profile nothing waits, so the reported latency is a plausible figure instead:
 * 300 ms to first token plus 10 ms per output token and 1 ms per 20 input tokens.
 */
async function run(prompt: Prompt, ctx: RequestContext) {
  const started = new Date(nowMs());
  const completion = complete(prompt);
  const wait = taped(() => ctx.world.latency.modelMs);
  await sleep(wait);
  // Without a latency profile, a plausible figure for the stand-in model (not AWS's: AWS
  // measures the real model).
  const latencyMs =
    wait > 0
      ? nowMs() - started.getTime()
      : 300 + 10 * completion.outputTokens + Math.ceil(completion.inputTokens / 20);
  return { completion, latencyMs, started };
}

/** Client errors of a call whose model resolved count in InvocationClientErrors (server errors likewise). */
async function measured<T>(ctx: RequestContext, modelId: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof AwsError) {
      const name = error.status >= 500 ? 'InvocationServerErrors' : 'InvocationClientErrors';
      publish(ctx, name, 1, 'Count', modelId);
    }
    throw error;
  }
}

function publish(
  ctx: RequestContext,
  metricName: string,
  value: number,
  unit: string,
  modelId?: string,
): void {
  ctx.world.cloudwatch.get(ctx.accountId).publish({
    region: ctx.region,
    namespace: 'AWS/Bedrock',
    metricName,
    dimensions: modelId === undefined ? [] : [{ Name: 'ModelId', Value: modelId }],
    value,
    unit,
    timestamp: new Date(nowMs()),
  });
}

/** A successful call: its metrics, then its log record when logging to CloudWatch is on. */
function succeeded(
  ctx: RequestContext,
  ref: ModelReference,
  modelId: string,
  completion: Completion,
  latencyMs: number,
  call: Pick<InvocationLogRecord, 'operation'> & {
    time: Date;
    inputContentType: string;
    inputBody: unknown;
    outputBody: unknown;
  },
): void {
  publish(ctx, 'Invocations', 1, 'Count', modelId);
  publish(ctx, 'InvocationLatency', latencyMs, 'Milliseconds', modelId);
  publish(ctx, 'InputTokenCount', completion.inputTokens, 'Count', modelId);
  publish(ctx, 'OutputTokenCount', completion.outputTokens, 'Count', modelId);

  const config = ctx.world.bedrock.get(ctx.accountId, ctx.region).loggingConfig;
  // The sandbox has no S3, so only the CloudWatch destination receives records.
  if (!config?.cloudWatchConfig) return;
  const record = buildInvocationRecord({
    ...call,
    accountId: ctx.accountId,
    callerArn: ctx.caller.arn,
    region: ctx.region,
    requestId: ctx.requestId,
    modelId: ref.kind === 'inference-profile' && call.operation === 'InvokeModel' ? ref.profileArn : modelId,
    // The sandbox serves every call in the caller's Region, profiles included.
    ...(ref.kind === 'inference-profile' && { inferenceRegion: ctx.region }),
    inputTokenCount: completion.inputTokens,
    outputContentType: 'application/json',
    outputTokenCount: completion.outputTokens,
    textData: config.textDataDeliveryEnabled === true,
  });
  const delivered = deliverEvent(
    ctx.world,
    ctx.accountId,
    ctx.region,
    config.cloudWatchConfig,
    invocationLogEvent(record),
  );
  publish(
    ctx,
    delivered
      ? 'ModelInvocationLogsCloudWatchDeliverySuccess'
      : 'ModelInvocationLogsCloudWatchDeliveryFailure',
    1,
    'Count',
  );
}

export const bedrockRuntimeService: ServiceDefinition = {
  access: bedrockAccess,
  name: 'bedrock-runtime',
  signingName: 'bedrock',
  actionPrefix: 'bedrock',
  rest: {
    routes: [
      { method: 'POST', path: '/model/{modelId}/invoke', operation: 'InvokeModel', payload: 'blob' },
      { method: 'POST', path: '/model/{modelId}/converse', operation: 'Converse', payload: 'json' },
    ],
  },
  operations: { InvokeModel: invokeModel, Converse: converse },
  // Invocations write log records and metrics, and IAM's read-only policies do not grant them.
  readOnly: new Set(),
};
