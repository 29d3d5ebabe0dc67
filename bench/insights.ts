// Benchmark of the Logs Insights engine: 1,000,000 Bedrock invocation records written into one
// group of the sandbox's CloudWatch Logs store (as PutLogEvents batches of 10,000), then three
// typical queries over the records StartQuery would see, one JSON line per query (wall time of
// executeQuery and the process RSS after it).
// Run: npm run bench:insights. It loads TypeScript through tsx's require hook, in the main
// thread: the tsx command adds a loader thread (~40 MB resident) that is no part of the store.

import { randomUUID } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { executeQuery, parseQuery } from '../insights';
import type { IncomingEvent } from '../sandbox/logs/events';
import { World } from '../sandbox/world';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 1_000_000);
const BATCH = 10_000; // events per PutLogEvents request, AWS's maximum
const ACCOUNT = '123456789012';
const GROUP = '/aws/bedrock/model-invocations';
const STREAM = 'aws/bedrock/modelinvocations';
const MODEL = 'anthropic.claude-3-5-sonnet-20241022-v2:0';

// The lab's five prompts, each with a ~60-word answer.
const CONVERSATIONS: [string, string][] = [
  [
    'What is Amazon Bedrock?',
    'Amazon Bedrock is a fully managed AWS service that offers a choice of high-performing foundation models from leading AI companies through a single API. It lets you experiment with models, customize them privately with your own data using fine-tuning and retrieval augmented generation, and build agents that execute tasks, all without managing any infrastructure yourself or provisioning servers.',
  ],
  [
    'Explain RAG in simple terms.',
    'Retrieval augmented generation, or RAG, lets a language model look things up before answering. When you ask a question, the system first searches a knowledge base for relevant documents, then hands those passages to the model together with your question. The model writes its answer from that fresh, specific context, which reduces made-up facts and keeps responses current and grounded.',
  ],
  [
    'List 3 benefits of serverless computing.',
    'Here are three benefits of serverless computing. First, you pay only for the compute you actually use, so idle capacity costs nothing. Second, the platform scales automatically with demand, from zero to thousands of concurrent requests. Third, there are no servers to patch or manage, which frees your team to focus on application logic and ship features faster.',
  ],
  [
    'What is prompt engineering?',
    'Prompt engineering is the practice of designing and refining the instructions you give a language model so that it produces useful, accurate and consistent output. It includes choosing clear wording, giving examples, assigning a role, specifying the format of the answer, and breaking complex tasks into steps. Good prompts reduce ambiguity and make model behaviour far more predictable.',
  ],
  [
    'How does vector search work?',
    'Vector search turns text, images or other data into numeric vectors called embeddings, which place similar items close together in a high-dimensional space. A query is embedded the same way, and the engine finds the stored vectors nearest to it using a distance measure such as cosine similarity, usually with an approximate index like HNSW to stay fast at scale.',
  ],
];

function invocationEvent(i: number, timestampMs: number): IncomingEvent {
  const [prompt, answer] = CONVERSATIONS[i % CONVERSATIONS.length] as [string, string];
  const inputTokens = 12 + (i % 9);
  const outputTokens = 80 + (i % 49);
  const message = JSON.stringify({
    timestamp: new Date(timestampMs).toISOString().replace('.000Z', 'Z'),
    accountId: ACCOUNT,
    identity: { arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Learner/session` },
    region: 'us-east-1',
    requestId: randomUUID(),
    operation: 'InvokeModel',
    modelId: MODEL,
    input: {
      inputContentType: 'application/json',
      inputBodyJson: {
        anthropic_version: 'bedrock-2023-05-31',
        max_tokens: 128,
        messages: [{ role: 'user', content: prompt }],
      },
      inputTokenCount: inputTokens,
    },
    output: {
      outputContentType: 'application/json',
      outputBodyJson: {
        id: `msg_bdrk_${i.toString(36).padStart(24, '0')}`,
        type: 'message',
        role: 'assistant',
        model: 'claude-3-5-sonnet-20241022',
        content: [{ type: 'text', text: answer }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage: { input_tokens: inputTokens, output_tokens: outputTokens },
      },
      outputTokenCount: outputTokens,
    },
    inferenceRegion: 'us-east-1',
    schemaType: 'ModelInvocationLog',
    schemaVersion: '1.0',
  });
  // JSON.stringify hands back a rope of string parts; V8 flattens it on first search. Messages
  // that arrive through PutLogEvents (JSON.parse) are flat, so flatten here (ToNumber does).
  void Number(message);
  return { timestamp: timestampMs, message };
}

const QUERIES = [
  'stats count(*), sum(input.inputTokenCount) by bin(5m)',
  'filter @message like /Explain/ | stats count()',
  'fields @timestamp, modelId | sort @timestamp desc | limit 20',
];

// Expose gc at runtime rather than with a node flag, so the script runs however it is started.
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  const gc: unknown = runInNewContext('gc');
  if (typeof gc === 'function') gc();
}

async function main(): Promise<void> {
  const now = Math.floor(Date.now() / 1000) * 1000;
  const from = now - 86_400_000;
  const world = new World();
  const logs = world.logs.get(ACCOUNT, 'us-east-1');
  logs.createGroup(GROUP);
  logs.createStream(GROUP, STREAM);
  let messageChars = 0;
  let writeMs = 0; // time in the store's append, without generating the records
  for (let first = 0; first < RECORDS; first += BATCH) {
    // Second-precision timestamps in chronological order, as Bedrock writes them.
    const batch = Array.from({ length: Math.min(BATCH, RECORDS - first) }, (_, k) => {
      const i = first + k;
      return invocationEvent(i, from + Math.floor((i * 86_400_000) / RECORDS / 1000) * 1000);
    });
    for (const event of batch) messageChars += event.message.length;
    const writing = performance.now();
    logs.append(GROUP, STREAM, batch);
    writeMs += performance.now() - writing;
  }
  collectGarbage(); // measure the store and the engine, not the garbage left by generating the records
  console.error(
    JSON.stringify({
      loaded: RECORDS,
      writeMs: Math.round(writeMs),
      messageMB: Math.round(messageChars / 1_048_576),
      rssMB: Math.round(process.memoryUsage().rss / 1_048_576),
    }),
  );
  for (const text of QUERIES) {
    const parsed = parseQuery(text);
    if (!parsed.ok) throw new Error(`${text}: ${parsed.error.message}`);
    const started = performance.now();
    const output = await executeQuery(parsed.query, logs.visibleEvents([GROUP], Date.now()), {
      startTime: from / 1000,
      endTime: now / 1000,
    });
    const ms = Math.round(performance.now() - started);
    if (output.statistics.recordsScanned !== RECORDS) throw new Error(`${text}: scanned too few records`);
    console.log(
      JSON.stringify({
        query: text,
        records: RECORDS,
        ms,
        recordsPerSec: Math.round((RECORDS / ms) * 1000),
        rssMB: Math.round(process.memoryUsage().rss / 1_048_576),
      }),
    );
  }
}

void main();
