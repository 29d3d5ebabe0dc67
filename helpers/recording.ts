import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InitializeMiddleware, MiddlewareStack } from '@smithy/types';
import type { AwsClients } from './aws-clients';
import { redact } from './redact';

/**
 * Recordings of what AWS answered the grader (`LAB_RECORD=dir`), and grading offline from them
 * (`LAB_REPLAY=dir`). A recording made against a real account turns the open questions of
 * docs/aws-behaviours.md into facts, and replays as a test: the grader graded from it must give
 * the same verdicts.
 *
 * What a recording keeps: each call's client, command and input, and its output or error, with
 * - no secrets (helpers/redact.ts: keys such as SecretAccessKey, SessionToken, signatures);
 * - no prompt or response text: the bodies inside invocation records become `[N characters]`,
 *   which is all the grade needs (that a body is there);
 * - the account ids replaced by `000000000000`, consistently, so records still name the
 *   account the grader was talking to.
 */

export interface RecordedCall {
  client: keyof AwsClients;
  command: string;
  input: unknown;
  output?: unknown;
  error?: { name: string; message: string; status?: number };
}

export interface Recording {
  version: 1;
  calls: RecordedCall[];
}

export const RECORDED_ACCOUNT = '000000000000';

/** Keys whose values change from run to run and do not choose the answer (the lab window). */
const TIME_KEYS = new Set(['startTime', 'endTime', 'StartTime', 'EndTime']);

/** An input as a key: its time window left out, so a replay made later finds its answer. */
function callKey(client: string, command: string, input: unknown): string {
  return `${client} ${command} ${JSON.stringify(input, (key, value: unknown) => (TIME_KEYS.has(key) ? undefined : value))}`;
}

/** Dates as `{"$date": "..."}`, so a replay gives the grader Dates where AWS's answer had them. */
function tagDates(value: unknown): unknown {
  if (value instanceof Date) return { $date: value.toISOString() };
  if (Array.isArray(value)) return value.map(tagDates);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, tagDates(v)]));
  }
  return value;
}

function decode(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) =>
    v && typeof v === 'object' && '$date' in v ? new Date(String((v as { $date: string }).$date)) : v,
  );
}

/** Invocation record messages keep their shape, their bodies become `[N characters]`. */
function redactMessages(output: unknown): unknown {
  const events = (output as { events?: { message?: string }[] } | undefined)?.events;
  if (!Array.isArray(events)) return output;
  return {
    ...(output as object),
    events: events.map((e) => {
      try {
        return { ...e, message: JSON.stringify(redact(JSON.parse(e.message ?? ''))) };
      } catch {
        return e; // a plain line such as Bedrock's permissions check
      }
    }),
  };
}

/**
 * The learner's account id becomes RECORDED_ACCOUNT, and any other account an ARN names becomes
 * 100000000001, 100000000002, ... in order: records copied from a classmate still name another
 * account, but not which.
 */
function replaceAccounts(text: string, learnerAccount: string | undefined): string {
  const others = new Map<string, string>();
  for (const [, account] of text.matchAll(/arn:aws[\w-]*:[\w-]*:[\w-]*:(\d{12}):/g)) {
    if (account !== learnerAccount && !others.has(account!)) {
      others.set(account!, String(100_000_000_001 + others.size));
    }
  }
  let out = text;
  // Whole numbers only: a timestamp in milliseconds may contain an account id's digits.
  // (after `%22`, a URL-encoded quote, as in IAM's policy documents, it still stands alone)
  const whole = (account: string) => new RegExp(`(?<=^|[^0-9]|%[0-9A-F]{2})${account}(?![0-9])`, 'g');
  if (learnerAccount) out = out.replace(whole(learnerAccount), RECORDED_ACCOUNT);
  for (const [account, placeholder] of others) out = out.replace(whole(account), placeholder);
  return out;
}

/** Each client's middleware, whatever its service: the recorder sees inputs and outputs as data. */
function eachClient(
  clients: AwsClients,
  middleware: (client: keyof AwsClients) => InitializeMiddleware<object, object>,
  name: string,
): void {
  for (const [client, instance] of Object.entries(clients) as [
    keyof AwsClients,
    AwsClients[keyof AwsClients],
  ][]) {
    (instance.middlewareStack as unknown as MiddlewareStack<object, object>).add(middleware(client), {
      step: 'initialize',
      name,
    });
  }
}

/** Records every call the clients make, to be saved once the worker is done. */
export class Recorder {
  private readonly calls: RecordedCall[] = [];

  attach(clients: AwsClients): void {
    eachClient(
      clients,
      (client) => (next, context) => async (args) => {
        // Run mode's prompts and the model's answers are no part of any grade.
        if (client === 'bedrockRuntime') return next(args);
        // A copy: paginators change their input object for the next page.
        const call: RecordedCall = {
          client,
          command: String(context.commandName),
          input: structuredClone(args.input),
        };
        try {
          const result = await next(args);
          const { $metadata: _metadata, ...output } = result.output as Record<string, unknown>;
          call.output = redactMessages(output);
          return result;
        } catch (error) {
          const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
          call.error = {
            name: e.name ?? 'Error',
            message: e.message ?? '',
            status: e.$metadata?.httpStatusCode,
          };
          throw error;
        } finally {
          this.calls.push(call);
        }
      },
      'labRecorder',
    );
  }

  /** The calls so far as a recording holds them (secrets and bodies left out), account ids as they were. */
  snapshot(): RecordedCall[] {
    return decode(JSON.stringify(redact(tagDates(this.calls)))) as RecordedCall[];
  }

  /** Writes `<dir>/<name>.json`: account ids replaced, secrets and bodies left out. */
  save(dir: string, name: string, learnerAccount: string | undefined): void {
    mkdirSync(dir, { recursive: true });
    const recording: Recording = { version: 1, calls: redact(tagDates(this.calls)) as RecordedCall[] };
    writeFileSync(
      join(dir, `${name}.json`),
      `${replaceAccounts(JSON.stringify(recording, null, 2), learnerAccount)}\n`,
    );
  }
}

/** The calls of every recording (`*.json`) in `dir`, file by file in name order. */
export function readRecording(dir: string): RecordedCall[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  if (files.length === 0) throw new Error(`${dir} holds no recording (*.json).`);
  return files.sort().flatMap((file) => (decode(readFileSync(join(dir, file), 'utf8')) as Recording).calls);
}

/**
 * Makes the clients answer from the recordings in `dir`, without the network: each call gets the
 * recorded answers to the same call in the order they came (the last one again once they run
 * out, as for polling). A call the recording never saw fails loudly.
 */
export function replayInto(clients: AwsClients, dir: string): void {
  const answers = new Map<string, RecordedCall[]>();
  for (const call of readRecording(dir)) {
    const key = callKey(call.client, call.command, call.input);
    answers.set(key, [...(answers.get(key) ?? []), call]);
  }
  eachClient(
    clients,
    (client) => (_next, context) => async (args) => {
      const key = callKey(client, String(context.commandName), args.input);
      const queue = answers.get(key);
      if (!queue?.length) throw new Error(`The recording in ${dir} has no answer to ${key}.`);
      const call = queue.length > 1 ? queue.shift()! : queue[0]!;
      if (call.error) {
        throw Object.assign(new Error(call.error.message), {
          name: call.error.name,
          $metadata: { httpStatusCode: call.error.status },
        });
      }
      return { output: { ...(call.output as object), $metadata: { httpStatusCode: 200 } }, response: {} };
    },
    'labReplay',
  );
}
