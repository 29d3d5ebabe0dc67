import { latencyProfile } from './conditions';
import { StateError, type JournalEntry } from './journal';
import { notImplemented } from './protocols/errors';
import type { RequestContext } from './service';
import { SERVICES } from './services';
import { recording, replaying } from './tape';
import type { World } from './world';

type Handler = (input: unknown, ctx: RequestContext) => unknown;

/**
 * Runs one operation once the request is authorized, from the API or the console alike. With
 * durable state, an operation that may change state is journaled before it is answered, whether
 * it succeeded or failed: a failed one may have changed state too, and replays to the same failure.
 */
export async function runOperation(ctx: RequestContext, operation: string, input: unknown): Promise<unknown> {
  const { world, service } = ctx;
  const handler = service.operations[operation] as Handler | undefined;
  if (!handler) throw notImplemented(service.name, operation);
  const journal = world.journal;
  if (!journal || service.readOnly.has(operation)) return handler(input, ctx);
  const t = Date.now();
  const run = recording(async () => handler(input, ctx));
  try {
    return await run.done;
  } finally {
    journal.append({
      t,
      service: service.name,
      operation,
      accountId: ctx.accountId,
      region: ctx.region,
      requestId: ctx.requestId,
      caller: ctx.caller,
      input,
      tape: run.tape,
      latency: world.latency.name,
    });
  }
}

/**
 * Rebuilds the state a journal describes: each entry through its handler again, in the order
 * they were answered, with the values it read then. Waits that stand for latency are skipped.
 */
export async function replayJournal(
  world: World,
  entries: Iterable<JournalEntry>,
  file: string,
): Promise<void> {
  const configured = world.latency;
  try {
    let line = 1;
    for (const entry of entries) {
      line++;
      const service = SERVICES.find((s) => s.name === entry.service);
      const handler = service?.operations[entry.operation] as Handler | undefined;
      if (!service || !handler) {
        throw new StateError(
          `${file} line ${line}: ${entry.service}:${entry.operation} is no operation of this sandbox. Start with --reset to discard the state.`,
        );
      }
      world.latency = latencyProfile(entry.latency);
      const ctx: RequestContext = {
        world,
        service,
        caller: entry.caller,
        accountId: entry.accountId,
        region: entry.region,
        requestId: entry.requestId,
      };
      try {
        await replaying(entry.tape, async () => handler(entry.input, ctx));
      } catch (error) {
        // A request that failed fails again, with the same effect; a replay that runs out of
        // recorded values means the code changed under the journal.
        if (error instanceof Error && error.message.startsWith('The journal entry ran out')) {
          throw new StateError(
            `${file} line ${line}: ${error.message} Start with --reset to discard the state.`,
          );
        }
      }
    }
  } finally {
    world.latency = configured;
  }
}
