/**
 * `npm run bench:sandbox`: how the sandbox holds up when a class shares it. It starts the real
 * sandbox as its own process on loopback, then prints one JSON line per figure:
 * - the time to refuse a 64 MB body;
 * - health's latency (p50, p99, max) while a pathological-regex query runs, and while a query
 *   reads BENCH_RECORDS records (1,000,000 by default);
 * - the sandbox's resident memory after BENCH_QUERIES finished queries (10,000 by default);
 * - the time to load BENCH_RECORDS records through PutLogEvents with state in memory and with
 *   durable state (`--state-dir`), and the time to restart from that state.
 * The fuzz test (tests/sandbox/fuzz.spec.ts) counts requests and crashes.
 */
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  GetQueryResultsCommand,
  PutLogEventsCommand,
  StartQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const RECORDS = Number(process.env.BENCH_RECORDS) || 1_000_000;
const QUERIES = Number(process.env.BENCH_QUERIES) || 10_000;
const PORT = Number(process.env.BENCH_PORT) || 4599;
const URL_ = `http://127.0.0.1:${PORT}`;

const print = (figure: Record<string, unknown>) => console.log(JSON.stringify(figure));

/** The sandbox as its own process; `stateDir` empty keeps its state in memory. */
async function startSandboxProcess(stateDir = '') {
  const child = spawn(
    process.execPath,
    [
      '--require',
      'tsx/cjs',
      join(__dirname, '..', 'sandbox', 'cli.ts'),
      '--port',
      String(PORT),
      '--state-dir',
      stateDir,
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((ready, fail) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('listening') && ready());
    child.once('exit', (code) => fail(new Error(`the sandbox exited with ${code}`)));
  });
  return child;
}

function rssMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Math.round(Number(kb) / 1024);
}

/** Health's latency, sampled every 20 ms until `during` settles. */
async function healthWhile(
  during: Promise<unknown>,
): Promise<{ samples: number; p50: number; p99: number; max: number }> {
  const latencies: number[] = [];
  let done = false;
  void during.finally(() => (done = true));
  while (!done) {
    const started = performance.now();
    await fetch(`${URL_}/_sandbox/health`);
    latencies.push(performance.now() - started);
    await new Promise((r) => setTimeout(r, 20));
  }
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]! * 10) / 10;
  return { samples: latencies.length, p50: at(0.5), p99: at(0.99), max: at(1) };
}

async function refuse64Mb(): Promise<number> {
  const started = performance.now();
  await new Promise<void>((done) => {
    const socket = connect(PORT, '127.0.0.1', () => {
      socket.write(`POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${64 * 1024 * 1024}\r\n\r\n`);
      const chunk = Buffer.alloc(1024 * 1024, 'x');
      const send = () => {
        while (socket.writable && socket.write(chunk)) {
          /* until the socket pushes back or closes */
        }
      };
      socket.on('drain', send);
      send();
    });
    socket.on('data', () => {
      done();
      socket.destroy();
    });
    socket.on('error', () => done());
  });
  return Math.round(performance.now() - started);
}

async function main() {
  const child = await startSandboxProcess();
  try {
    print({ figure: 'refuse a 64 MB body', ms: await refuse64Mb() });
    // The first fetch() of a process loads its HTTP client: not the sandbox's latency.
    await fetch(`${URL_}/_sandbox/health`);

    const logs = new CloudWatchLogsClient({
      endpoint: URL_,
      region: 'us-east-1',
      credentials: { accessKeyId: '777777777777', secretAccessKey: 'test' },
    });
    const query = async (group: string, queryString: string) => {
      const { queryId } = await logs.send(
        new StartQueryCommand({
          logGroupName: group,
          queryString,
          startTime: 0,
          endTime: Math.ceil(Date.now() / 1000) + 60,
        }),
      );
      for (;;) {
        const { status } = await logs.send(new GetQueryResultsCommand({ queryId }));
        if (status !== 'Scheduled' && status !== 'Running') return status;
        await new Promise((r) => setTimeout(r, 5));
      }
    };
    const fill = async (group: string, count: number, message: (i: number) => string) =>
      fillGroup(logs, group, count, message);

    await fill('pathological', 10_000, () => `${'a'.repeat(40)}!`);
    const regex = query('pathological', 'filter @message like /(a+)+$/ | stats count(*)');
    print({
      figure: 'health during a (a+)+$ query over 10,000 events',
      ...(await healthWhile(regex)),
      status: await regex,
    });

    await fill('many', RECORDS, invocationRecord);
    const big = query('many', 'stats count(*), sum(input.inputTokenCount) by bin(5m)');
    print({
      figure: `health during a query over ${RECORDS} records`,
      ...(await healthWhile(big)),
      status: await big,
    });

    await fill('small', 10, (i) => `line ${i}`);
    const before = rssMb(child.pid!);
    for (let i = 0; i < QUERIES; i++) await query('small', 'fields @message | limit 5');
    print({ figure: `RSS after ${QUERIES} queries`, rssMbBefore: before, rssMbAfter: rssMb(child.pid!) });
    child.kill();
    await new Promise((r) => child.once('exit', r));
    await durability();
  } finally {
    child.kill();
  }
}

/**
 * The cost of durable state on loading BENCH_RECORDS records: each way twice, alternating, every
 * time in a fresh process (a warmed-up one would load faster), and the time to restart from the
 * state after `kill -9`.
 */
async function durability() {
  const load = async (stateDir: string) => {
    const child = await startSandboxProcess(stateDir);
    const logs = new CloudWatchLogsClient({
      endpoint: URL_,
      region: 'us-east-1',
      credentials: { accessKeyId: '777777777777', secretAccessKey: 'test' },
    });
    const started = performance.now();
    await fillGroup(logs, 'many', RECORDS, invocationRecord);
    const ms = Math.round(performance.now() - started);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    return ms;
  };
  const inMemory: number[] = [];
  const durable: number[] = [];
  let stateDir = '';
  for (let round = 0; round < 2; round++) {
    inMemory.push(await load(''));
    stateDir = mkdtempSync(join(tmpdir(), 'bench-state-'));
    durable.push(await load(stateDir));
  }
  const best = (ms: number[]) => Math.min(...ms);
  print({
    figure: `load ${RECORDS} records through PutLogEvents, fresh process each time`,
    inMemoryMs: inMemory,
    durableMs: durable,
    durabilityCost: `${Math.round((best(durable) / best(inMemory) - 1) * 100)}% (best of each)`,
  });
  const restartStarted = performance.now();
  const child = await startSandboxProcess(stateDir);
  print({
    figure: `restart from a state of ${RECORDS} log events (kill -9 first)`,
    ms: Math.round(performance.now() - restartStarted),
  });
  child.kill();
}

function invocationRecord(i: number): string {
  return JSON.stringify({
    schemaType: 'ModelInvocationLog',
    modelId: 'm',
    input: { inputTokenCount: i % 100 },
    output: { outputTokenCount: 7 },
  });
}

/** A group of `count` events, 5,000 to a PutLogEvents call (1,048,576 bytes a call: they fit). */
async function fillGroup(
  logs: CloudWatchLogsClient,
  group: string,
  count: number,
  message: (i: number) => string,
) {
  await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 's' }));
  const now = Date.now();
  for (let at = 0; at < count; at += 5_000) {
    const n = Math.min(5_000, count - at);
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: group,
        logStreamName: 's',
        logEvents: Array.from({ length: n }, (_, i) => ({
          timestamp: now - count + at + i,
          message: message(at + i),
        })),
      }),
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
