import * as bedrockSdk from '@aws-sdk/client-bedrock';
import * as cloudwatchSdk from '@aws-sdk/client-cloudwatch';
import * as logsSdk from '@aws-sdk/client-cloudwatch-logs';
import * as iamSdk from '@aws-sdk/client-iam';
import * as stsSdk from '@aws-sdk/client-sts';
import type { AwsClients } from './aws-clients';
import { CADENCE, lastRead, poll } from './poll';
import { RECORDED_ACCOUNT, Recorder, type RecordedCall } from './recording';

/**
 * Does an endpoint answer a recording's requests alike? The requests of a recording are sent
 * again (to the sandbox, with the lab carried out in a fresh account), and what comes back is
 * compared with what was recorded by shape: which fields, of which types. Values (ids, times,
 * counts) differ between any two runs; a field AWS sends that the sandbox does not, or sends as
 * another type, is a difference to fix or to write down in docs/aws-behaviours.md.
 */

export interface ShapeDifference {
  /** `logs FilterLogEventsCommand`, or `... error` for an error's fields. */
  call: string;
  /** `events[].message{}.input.inputTokenCount`: `[]` an array's items, `{}` JSON text read as JSON. */
  path: string;
  recorded: string;
  replayed: string;
}

type Shape = { types: Map<string, Set<string>>; filledArrays: Set<string> };

/** Every path in `value` with the types seen there, and the arrays that had items. */
function collectShape(value: unknown, path: string, shape: Shape): void {
  const type =
    value === null ? 'null' : value instanceof Date ? 'date' : Array.isArray(value) ? 'array' : typeof value;
  const types = shape.types.get(path) ?? new Set<string>();
  types.add(type);
  shape.types.set(path, types);
  if (Array.isArray(value)) {
    if (value.length > 0) shape.filledArrays.add(`${path}[]`);
    for (const item of value) collectShape(item, `${path}[]`, shape);
  } else if (type === 'object') {
    for (const [key, v] of Object.entries(value as object))
      collectShape(v, path ? `${path}.${key}` : key, shape);
  } else if (type === 'string' && /^\s*\{/.test(value as string)) {
    // An invocation record is JSON inside a log event's message: its fields are AWS's too.
    try {
      collectShape(JSON.parse(value as string), `${path}{}`, shape);
    } catch {
      // plain text that happens to start with a brace
    }
  }
}

function shapeOf(values: unknown[]): Shape {
  const shape: Shape = { types: new Map(), filledArrays: new Set() };
  for (const value of values) collectShape(value, '', shape);
  return shape;
}

/** A path inside an array that one side never filled says nothing about that side's items. */
function comparable(path: string, other: Shape): boolean {
  for (let at = path.indexOf('[]'); at >= 0; at = path.indexOf('[]', at + 2)) {
    if (!other.filledArrays.has(path.slice(0, at + 2))) return false;
  }
  return true;
}

const typesText = (types: Set<string> | undefined) => (types ? [...types].sort().join('|') : 'absent');

/**
 * The shape differences between recorded and replayed answers, call by call: a field only one
 * side has, or a field whose types differ. Calls are compared by command, outputs with outputs
 * and errors with errors (a call that failed on one side only is itself a difference).
 */
export function shapeDifferences(recorded: RecordedCall[], replayed: RecordedCall[]): ShapeDifference[] {
  const differences: ShapeDifference[] = [];
  const commands = new Set([...recorded, ...replayed].map((c) => `${c.client} ${c.command}`));
  for (const call of commands) {
    const of = (calls: RecordedCall[]) => calls.filter((c) => `${c.client} ${c.command}` === call);
    for (const part of ['output', 'error'] as const) {
      const a = shapeOf(of(recorded).flatMap((c) => (c[part] === undefined ? [] : [c[part]])));
      const b = shapeOf(of(replayed).flatMap((c) => (c[part] === undefined ? [] : [c[part]])));
      const name = part === 'error' ? `${call} error` : call;
      for (const path of new Set([...a.types.keys(), ...b.types.keys()])) {
        const [ta, tb] = [a.types.get(path), b.types.get(path)];
        if (typesText(ta) === typesText(tb)) continue;
        if ((!ta && !comparable(path, a)) || (!tb && !comparable(path, b))) continue;
        differences.push({
          call: name,
          path: path || '(whole)',
          recorded: typesText(ta),
          replayed: typesText(tb),
        });
      }
    }
  }
  return differences;
}

const SDKS: Record<Exclude<keyof AwsClients, 'bedrockRuntime'>, Record<string, unknown>> = {
  bedrock: bedrockSdk,
  cloudwatch: cloudwatchSdk,
  logs: logsSdk,
  iam: iamSdk,
  sts: stsSdk,
};

const TERMINAL_QUERY = new Set(['Complete', 'Failed', 'Cancelled', 'Timeout']);

/** What a replayed call's answer (or error) tells the replay. */
type Answer = { queryId?: string; status?: string };

/**
 * Sends a recording's requests through `clients` (of the account `accountId`) and records the
 * answers the way the grader's recordings are made. Inputs are adapted only where a replay must:
 * the recorded account id becomes `accountId`, time windows end now, and query ids are the ones
 * this replay's StartQuery gave. A query the recording saw finish is polled until it finishes.
 */
export async function replayRequests(
  clients: AwsClients,
  accountId: string,
  calls: RecordedCall[],
): Promise<RecordedCall[]> {
  const recorder = new Recorder();
  recorder.attach(clients);
  const queryIds = new Map<string, string>();
  const now = Date.now();
  for (const call of calls) {
    const sdk = SDKS[call.client as keyof typeof SDKS];
    const Command = sdk?.[call.command] as (new (input: unknown) => never) | undefined;
    if (!Command)
      throw new Error(`The recording calls ${call.client} ${call.command}, which the replay cannot send.`);
    const input = adaptInput(call.input, accountId, queryIds, now);
    const client = clients[call.client] as { send(command: never): Promise<unknown> };
    const send = () => client.send(new Command(input)).catch((error: unknown) => error) as Promise<Answer>;
    const recordedStatus = (call.output as { status?: string } | undefined)?.status;
    const answer =
      call.command === 'GetQueryResultsCommand' && TERMINAL_QUERY.has(recordedStatus ?? '')
        ? await poll(send, (read) => TERMINAL_QUERY.has(read.status ?? ''), {
            timeoutMs: 15_000,
            intervals: CADENCE.queryStatus('local'),
            what: 'the replayed query to end',
          }).catch(lastRead<Answer>)
        : await send();
    const recordedId = (call.output as { queryId?: string } | undefined)?.queryId;
    if (recordedId && answer.queryId) queryIds.set(recordedId, answer.queryId);
  }
  return recorder.snapshot();
}

/**
 * The recorded input as this replay sends it. The lab window's bounds end now: a Date (GetMetricData,
 * a recorded Date is an ISO string once through JSON), epoch seconds (StartQuery) or milliseconds
 * (FilterLogEvents), as the grader reads the last hour.
 */
const WINDOW = new Map([
  ['startTime', -3_600_000],
  ['StartTime', -3_600_000],
  ['endTime', 60_000],
  ['EndTime', 60_000],
]);

function adaptInput(input: unknown, accountId: string, queryIds: Map<string, string>, now: number): unknown {
  const text = JSON.stringify(input ?? {})
    .split(RECORDED_ACCOUNT)
    .join(accountId);
  return JSON.parse(text, (key, value: unknown) => {
    if (key === 'queryId' && typeof value === 'string') return queryIds.get(value) ?? value;
    const offset = WINDOW.get(key);
    if (offset === undefined) return value;
    const bound = now + offset;
    if (typeof value === 'string') return new Date(bound);
    if (typeof value === 'number') return value < 1e11 ? Math.floor(bound / 1000) : bound;
    return value;
  });
}
