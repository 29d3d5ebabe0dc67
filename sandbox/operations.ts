import { StateError, type JournalEntry } from './journal';
import { AwsError, notImplemented } from './protocols/errors';
import type { RequestContext, ServiceDefinition } from './service';
import { SERVICES } from './services';
import { recording, replaying } from './tape';
import type { World } from './world';

type Handler = (input: unknown, ctx: RequestContext) => unknown;

/** How a run ended, as the journal keeps it: `ok`, or the error's code. */
function outcomeOf(error: unknown): string {
  return error instanceof AwsError ? error.code : 'InternalFailure';
}

/**
 * Runs one operation once the request is authorized, from the API or the console alike. With
 * durable state, an operation that may change state is journaled before it is answered, whether
 * it succeeded or failed: a failed one may have changed state too, and replays to the same
 * failure. A change the journal could not keep is answered as a failure, and the sandbox then
 * takes no more changes: what it holds and what it would rebuild must not drift apart.
 */
export async function runOperation(ctx: RequestContext, operation: string, input: unknown): Promise<unknown> {
  const { world, service } = ctx;
  const handler = handlerOf(service, operation);
  if (!handler) throw notImplemented(service.name, operation);
  const journal = world.journal;
  if (!journal || service.readOnly.has(operation)) return handler(input, ctx);
  if (journal.failure) throw unsaved(journal.failure);
  // One account cannot fill the disk the whole class's state is on.
  if (journal.bytesOf(ctx.accountId) >= world.accountStateLimitBytes) {
    throw new AwsError(
      'LimitExceededException',
      `This account's saved state has reached the sandbox's limit of ${sizeText(world.accountStateLimitBytes)}: ask the instructor to reset the sandbox.`,
      400,
    );
  }
  const t = Date.now();
  const run = recording(async () => handler(input, ctx));
  let outcome = 'ok';
  try {
    return await run.done;
  } catch (error) {
    outcome = outcomeOf(error);
    throw error;
  } finally {
    const entry: JournalEntry = {
      t,
      service: service.name,
      operation,
      accountId: ctx.accountId,
      region: ctx.region,
      requestId: ctx.requestId,
      caller: ctx.caller,
      input,
      tape: run.tape,
      outcome,
    };
    try {
      journal.append(entry);
    } catch (error) {
      journal.failure = (error as Error).message;
      // Thrown from `finally`, this replaces the answer the handler gave.
      // eslint-disable-next-line no-unsafe-finally
      throw unsaved(journal.failure);
    }
  }
}

/** `1 GiB`, `64 KiB`. */
function sizeText(bytes: number): string {
  const units = [
    ['GiB', 2 ** 30],
    ['MiB', 2 ** 20],
  ] as const;
  for (const [unit, size] of units)
    if (bytes >= size) return `${Math.round((bytes / size) * 10) / 10} ${unit}`;
  return `${Math.round(bytes / 1024)} KiB`;
}

const unsaved = (reason: string) =>
  new AwsError(
    'ServiceUnavailableException',
    `The lab sandbox could not save a change to its state (${reason}); it takes no more changes until it is restarted.`,
    503,
  );

/**
 * Rebuilds the state a journal describes: each entry through its handler again, in the order
 * they were answered, with the values it read then (waits that stand for latency are skipped).
 * Each must end as it ended then; one that does not means the code changed under the journal,
 * and the state cannot be trusted past it.
 */
export async function replayJournal(
  world: World,
  entries: Iterable<JournalEntry>,
  file: string,
): Promise<void> {
  let line = 1;
  for (const entry of entries) {
    line++;
    const service = SERVICES.find((s) => s.name === entry.service);
    const handler = service && handlerOf(service, entry.operation);
    const stop = (why: string) =>
      new StateError(`${file} line ${line}: ${why} Start with --reset to discard the state.`);
    if (!service || !handler)
      throw stop(`${entry.service}:${entry.operation} is no operation of this sandbox.`);
    const ctx: RequestContext = {
      world,
      service,
      caller: entry.caller,
      accountId: entry.accountId,
      region: entry.region,
      requestId: entry.requestId,
    };
    let outcome = 'ok';
    try {
      await replaying(entry.tape, async () => handler(entry.input, ctx));
    } catch (error) {
      outcome = outcomeOf(error);
    }
    if (outcome !== entry.outcome) {
      throw stop(
        `${entry.service}:${entry.operation} ended ${outcome} on replay, ${entry.outcome} when it ran: the sandbox's code changed since.`,
      );
    }
  }
}

/** The service's own handler of `operation`: a name such as `constructor` or `toString` names none. */
function handlerOf(service: ServiceDefinition, operation: string): Handler | undefined {
  return Object.hasOwn(service.operations, operation)
    ? (service.operations[operation] as Handler)
    : undefined;
}
