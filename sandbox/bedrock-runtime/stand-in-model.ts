import { createHash } from 'node:crypto';

/**
 * The sandbox's stand-in for every text model: no language model runs, but each answer is a
 * stable function of the prompt, reads like an answer (it names the prompt's key words) and has
 * token counts a learner can reason about. Same prompt, same answer, on every run.
 */

export interface Turn {
  role: 'user' | 'assistant';
  text: string;
}

/** A request, whatever API it came through (Anthropic messages, Nova messages, Converse). */
export interface Prompt {
  system: string[];
  messages: Turn[];
  maxTokens: number;
  stopSequences: string[];
}

export interface Completion {
  text: string;
  stopReason: 'end_turn' | 'max_tokens' | 'stop_sequence';
  /** The stop sequence that ended the answer, when one did. */
  stopSequence?: string;
  inputTokens: number;
  outputTokens: number;
}

/**
 * Token counts approximate a BPE tokenizer on English text: one token per 4 characters, rounded
 * up. Each message and the system prompt add 4 tokens of framing (role markers), each request 3.
 * "What is Amazon Bedrock?" thus counts 6 + 4 + 3 = 13 input tokens; Claude reports about as many.
 */
const CHARS_PER_TOKEN = 4;
const MESSAGE_OVERHEAD_TOKENS = 4;
const REQUEST_OVERHEAD_TOKENS = 3;

function textTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

export function inputTokens(prompt: Prompt): number {
  const parts = [...prompt.system, ...prompt.messages.map((m) => m.text)];
  return parts.reduce(
    (sum, text) => sum + textTokens(text) + MESSAGE_OVERHEAD_TOKENS,
    REQUEST_OVERHEAD_TOKENS,
  );
}

export function complete(prompt: Prompt): Completion {
  const full = answer(prompt);
  const limit = prompt.maxTokens * CHARS_PER_TOKEN;
  const stop = prompt.stopSequences
    .map((sequence) => ({ sequence, at: sequence ? full.indexOf(sequence) : -1 }))
    .filter((s) => s.at >= 0 && s.at <= limit)
    .sort((a, b) => a.at - b.at)[0];
  let completion: Pick<Completion, 'text' | 'stopReason' | 'stopSequence'>;
  if (stop)
    completion = { text: full.slice(0, stop.at), stopReason: 'stop_sequence', stopSequence: stop.sequence };
  else if (full.length > limit) completion = { text: full.slice(0, limit), stopReason: 'max_tokens' };
  else completion = { text: full, stopReason: 'end_turn' };
  return {
    ...completion,
    inputTokens: inputTokens(prompt),
    outputTokens: Math.min(textTokens(completion.text), prompt.maxTokens),
  };
}

const OPENINGS = [
  'Here is a short overview of {A}.',
  '{A} is a topic worth approaching step by step.',
  'In brief, {A} comes down to a few key ideas.',
  'Good question: {A} is easier to grasp than it first appears.',
];

const BODY = [
  'The first thing to know about {A} is how it relates to {B}.',
  'Most explanations of {A} start from {B} and build up from there.',
  'A practical way to think about {B} is as one building block of {A}.',
  'Teams usually adopt {A} to save time, reduce cost and keep {C} manageable.',
  'When {B} is involved, it helps to measure results and adjust gradually.',
  '{A} works best when its goals, limits and trade-offs are clear from the start.',
  'Keeping {C} simple makes {A} easier to operate and to explain.',
  'Small experiments are the fastest route to understanding {B} in practice.',
];

const CLOSINGS = [
  'In short, {A} is about making {B} work reliably.',
  'Start small with {A}, observe the results, and iterate.',
  'Let me know if you would like more detail on {B}.',
];

/** What the answer says the topic involves; {B} and {C} are two different ones. */
const ASPECTS = [
  'the core concepts',
  'the underlying building blocks',
  'cost and quotas',
  'monitoring and observability',
  'security and access control',
  'day-to-day operations',
];

function pickTwo(list: readonly string[], byte: () => number): [string, string] {
  const first = byte() % list.length;
  const second = (first + 1 + (byte() % (list.length - 1))) % list.length;
  return [list[first]!, list[second]!];
}

const STOP_WORDS = new Set(
  (
    'a advantages an and are as at be benefits but by can could describe difference do does example examples ' +
    'explain for from give how i in into is it ' +
    'its list me my of on or please should show simple some tell terms that the their them then there ' +
    'these things this to us use using was ways what when where which who why will with work works would ' +
    'you your'
  ).split(' '),
);

/** The last user message's distinctive words, in order: `What is Amazon Bedrock?` → Amazon, Bedrock. */
function keyWords(text: string): string[] {
  const seen = new Set<string>();
  const words: string[] = [];
  for (const word of text.match(/[A-Za-z0-9][A-Za-z0-9-]*/g) ?? []) {
    const lower = word.toLowerCase();
    const acronym = /^[A-Z0-9]{2,}$/.test(word);
    if (seen.has(lower) || STOP_WORDS.has(lower) || (word.length < 4 && !acronym) || /^\d+$/.test(word))
      continue;
    seen.add(lower);
    words.push(word);
  }
  return words;
}

/** Sentences picked from fixed templates by the bytes of the prompt's SHA-256. */
function answer(prompt: Prompt): string {
  const lastUser = [...prompt.messages].reverse().find((m) => m.role === 'user')?.text ?? '';
  const words = keyWords(lastUser);
  const topic = words.slice(0, 3).join(' ') || 'your question';

  const seed = createHash('sha256')
    .update(JSON.stringify([prompt.system, prompt.messages]))
    .digest();
  let next = 0;
  const byte = () => seed[next++ % seed.length]!;
  const pick = <T>(list: readonly T[]) => list[byte() % list.length]!;

  const [B, C] = pickTwo(ASPECTS, byte);
  const body = [...BODY];
  const sentences = [pick(OPENINGS)];
  const count = 2 + (byte() % 3);
  for (let i = 0; i < count; i++) sentences.push(body.splice(byte() % body.length, 1)[0]!);
  sentences.push(pick(CLOSINGS));
  return sentences
    .map((s) => s.replace(/\{A\}/g, topic).replace(/\{B\}/g, B).replace(/\{C\}/g, C))
    .map((s) => s.charAt(0).toUpperCase() + s.slice(1))
    .join(' ');
}
