import type { CatalogModel } from '../bedrock/models';
import { malformedInput, unreadableInput } from './errors';
import type { Completion, Prompt, Turn } from './stand-in-model';
import { randomBytes } from '../tape';

/**
 * InvokeModel's native bodies: each model family has its own JSON request and response. Requests
 * are checked against the family's schema with the texts AWS's schema validator produces
 * (`#: required key [max_tokens] not found`), then turned into the stand-in model's Prompt.
 */

export type JsonObject = Record<string, unknown>;

export function parseNativeBody(raw: Buffer): JsonObject {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    throw unreadableInput();
  }
  if (typeName(body) !== 'JSONObject') {
    throw malformedInput([`#: expected type: JSONObject, found: ${typeName(body)}`]);
  }
  return body as JsonObject;
}

/** The type names of the JSON schema validator Bedrock uses (everit). */
function typeName(value: unknown): string {
  if (value === null) return 'Null';
  if (Array.isArray(value)) return 'JSONArray';
  if (typeof value === 'number') return Number.isInteger(value) ? 'Integer' : 'BigDecimal';
  if (typeof value === 'object') return 'JSONObject';
  return typeof value === 'string' ? 'String' : 'Boolean';
}

function expectType(value: unknown, path: string, expected: string, problems: string[]): boolean {
  const found = typeName(value);
  const ok = found === expected || (expected === 'Number' && (found === 'Integer' || found === 'BigDecimal'));
  if (!ok) problems.push(`${path}: expected type: ${expected}, found: ${found}`);
  return ok;
}

function checkKeys(
  body: JsonObject,
  path: string,
  required: readonly string[],
  allowed: readonly string[],
  problems: string[],
): void {
  for (const key of required) if (!(key in body)) problems.push(`${path}: required key [${key}] not found`);
  for (const key of Object.keys(body)) {
    if (!allowed.includes(key)) problems.push(`${path}: extraneous key [${key}] is not permitted`);
  }
}

function checkPositiveInteger(value: unknown, path: string, problems: string[]): void {
  if (expectType(value, path, 'Integer', problems) && (value as number) < 1) {
    problems.push(`${path}: ${String(value)} is not greater or equal to 1`);
  }
}

function checkStrings(value: unknown, path: string, problems: string[]): void {
  if (expectType(value, path, 'JSONArray', problems)) {
    (value as unknown[]).forEach((v, i) => expectType(v, `${path}/${i}`, 'String', problems));
  }
}

/** Text of a content value: a string, or the `text` of its blocks (other blocks carry no text). */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((block) => (block && typeof block === 'object' && 'text' in block ? String(block.text) : ''))
    .filter(Boolean)
    .join('\n');
}

function checkMessages(
  messages: unknown,
  content: 'String or JSONArray' | 'JSONArray',
  problems: string[],
): Turn[] {
  if (!expectType(messages, '#/messages', 'JSONArray', problems)) return [];
  return (messages as unknown[]).map((message, i) => {
    const path = `#/messages/${i}`;
    if (!expectType(message, path, 'JSONObject', problems)) return { role: 'user', text: '' };
    const m = message as JsonObject;
    for (const key of ['role', 'content']) {
      if (!(key in m)) problems.push(`${path}: required key [${key}] not found`);
    }
    if ('role' in m && m.role !== 'user' && m.role !== 'assistant') {
      problems.push(`${path}/role: ${String(m.role)} is not a valid enum value`);
    }
    if ('content' in m && !(content === 'String or JSONArray' && typeof m.content === 'string')) {
      expectType(m.content, `${path}/content`, 'JSONArray', problems);
    }
    return { role: m.role === 'assistant' ? 'assistant' : 'user', text: textOf(m.content) };
  });
}

const ANTHROPIC_KEYS = [
  'anthropic_version',
  'anthropic_beta',
  'max_tokens',
  'messages',
  'system',
  'stop_sequences',
  'temperature',
  'top_p',
  'top_k',
  'tools',
  'tool_choice',
  'metadata',
  'thinking',
] as const;

/** Anthropic's Messages API on Bedrock. */
export function anthropicPrompt(body: JsonObject): Prompt {
  const problems: string[] = [];
  checkKeys(body, '#', ['anthropic_version', 'max_tokens', 'messages'], ANTHROPIC_KEYS, problems);
  if ('anthropic_version' in body)
    expectType(body.anthropic_version, '#/anthropic_version', 'String', problems);
  if ('max_tokens' in body) checkPositiveInteger(body.max_tokens, '#/max_tokens', problems);
  const messages = 'messages' in body ? checkMessages(body.messages, 'String or JSONArray', problems) : [];
  if ('system' in body && typeof body.system !== 'string') {
    expectType(body.system, '#/system', 'JSONArray', problems);
  }
  if ('stop_sequences' in body) checkStrings(body.stop_sequences, '#/stop_sequences', problems);
  for (const key of ['temperature', 'top_p'] as const) {
    if (key in body) expectType(body[key], `#/${key}`, 'Number', problems);
  }
  if (problems.length) throw malformedInput(problems);
  const system = textOf(body.system);
  return {
    system: system ? [system] : [],
    messages,
    maxTokens: body.max_tokens as number,
    stopSequences: (body.stop_sequences as string[] | undefined) ?? [],
  };
}

export function anthropicResponse(model: CatalogModel, completion: Completion): JsonObject {
  return {
    id: `msg_bdrk_01${base62(22)}`,
    type: 'message',
    role: 'assistant',
    model: model.responseModel,
    content: [{ type: 'text', text: completion.text }],
    stop_reason: completion.stopReason,
    stop_sequence: completion.stopSequence ?? null,
    usage: { input_tokens: completion.inputTokens, output_tokens: completion.outputTokens },
  };
}

function base62(length: number): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  return [...randomBytes(length)].map((b) => alphabet[b % 62]).join('');
}

const NOVA_KEYS = ['schemaVersion', 'system', 'messages', 'inferenceConfig', 'toolConfig'] as const;
const NOVA_INFERENCE_KEYS = ['max_new_tokens', 'temperature', 'top_p', 'top_k', 'stopSequences'] as const;
// UNVERIFIED: Nova's answer length when `max_new_tokens` is left out.
const NOVA_DEFAULT_MAX_TOKENS = 5000;

/** Amazon Nova's `messages-v1` schema: content is always a list of blocks. */
export function novaPrompt(body: JsonObject): Prompt {
  const problems: string[] = [];
  checkKeys(body, '#', ['messages'], NOVA_KEYS, problems);
  const messages = 'messages' in body ? checkMessages(body.messages, 'JSONArray', problems) : [];
  if ('system' in body) expectType(body.system, '#/system', 'JSONArray', problems);
  let maxTokens = NOVA_DEFAULT_MAX_TOKENS;
  let stopSequences: string[] = [];
  const config = body.inferenceConfig;
  if (config !== undefined && expectType(config, '#/inferenceConfig', 'JSONObject', problems)) {
    const c = config as JsonObject;
    checkKeys(c, '#/inferenceConfig', [], NOVA_INFERENCE_KEYS, problems);
    if ('max_new_tokens' in c) {
      checkPositiveInteger(c.max_new_tokens, '#/inferenceConfig/max_new_tokens', problems);
      maxTokens = c.max_new_tokens as number;
    }
    if ('stopSequences' in c) {
      checkStrings(c.stopSequences, '#/inferenceConfig/stopSequences', problems);
      stopSequences = c.stopSequences as string[];
    }
  }
  if (problems.length) throw malformedInput(problems);
  const system = textOf(body.system);
  return { system: system ? [system] : [], messages, maxTokens, stopSequences };
}

export function novaResponse(completion: Completion): JsonObject {
  return {
    output: { message: { content: [{ text: completion.text }], role: 'assistant' } },
    stopReason: completion.stopReason,
    usage: {
      inputTokens: completion.inputTokens,
      outputTokens: completion.outputTokens,
      totalTokens: completion.inputTokens + completion.outputTokens,
    },
  };
}
