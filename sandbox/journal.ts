import {
  closeSync,
  existsSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { Caller } from './auth/credentials';
import type { LatencyProfile } from './conditions';

/**
 * The sandbox's durable state (`--state-dir`): an append-only journal of every request that
 * changed, or may have changed, an account's state, each with what made its effect more than a
 * function of its input (its clock readings and random values: sandbox/tape.ts). A restart
 * replays the journal through the same handlers and rebuilds the same state: the same ids, keys,
 * times and events.
 *
 * Why a journal of requests: one line per write is appended before the write is acknowledged, so
 * nothing acknowledged is lost when the process dies (`kill -9`: the line is in the operating
 * system's hands; a power cut can still lose the last lines, as no fsync is made per write); it
 * needs no schema for the state of six services, and it costs one sequential write per request.
 * A line cut short by a crash was never acknowledged and is dropped on the next start.
 */

export const JOURNAL_FORMAT = 'lab-sandbox-journal';
export const JOURNAL_VERSION = 1;

export interface JournalEntry {
  /** When it ran (ms since the epoch). */
  t: number;
  service: string;
  operation: string;
  accountId: string;
  region: string;
  requestId: string;
  caller: Caller;
  input: unknown;
  /** What the request read from the clock and randomness, in order. */
  tape: (number | string)[];
  /** The latency profile it ran under: ingestion delays and metric listing lag depend on it. */
  latency: LatencyProfile['name'];
}

export class StateError extends Error {}

/** Buffers and Dates survive the trip through JSON (seen as they were, before their toJSON). */
function encode(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const original = this[key];
  if (original instanceof Date) return { $date: original.toISOString() };
  if (original instanceof Uint8Array) return { $b64: Buffer.from(original).toString('base64') };
  return value;
}

function decode(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const v = value as { $b64?: unknown; $date?: unknown };
    if (typeof v.$b64 === 'string' && Object.keys(v).length === 1) return Buffer.from(v.$b64, 'base64');
    if (typeof v.$date === 'string' && Object.keys(v).length === 1) return new Date(v.$date);
  }
  return value;
}

const header = () => `${JSON.stringify({ format: JOURNAL_FORMAT, version: JOURNAL_VERSION })}\n`;

export class Journal {
  private fd: number | undefined;
  /** Bytes of whole lines read so far: where appending resumes. */
  private validBytes = 0;

  private constructor(
    readonly file: string,
    private readonly lock: string,
  ) {}

  /**
   * Opens the journal in `dir` (created when missing) for this process alone; `reset` starts it
   * empty. Read its entries, then start appending.
   */
  static open(dir: string, options: { reset?: boolean } = {}): Journal {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = join(dir, 'journal.jsonl');
    const lock = takeLock(dir);
    if (options.reset || !existsSync(file)) writeFileSync(file, header(), { mode: 0o600 });
    return new Journal(file, lock);
  }

  /**
   * The entries, read a chunk at a time (a journal may hold more than one string can). A journal
   * of another format or a newer version, or a damaged line, is a StateError naming the file
   * and line; the text after the last newline is a line a crash cut short, never acknowledged,
   * and is left out.
   */
  *entries(): Generator<JournalEntry> {
    const fd = openSync(this.file, 'r');
    try {
      let lineNo = 0;
      for (const line of lines(fd)) {
        lineNo++;
        if (lineNo === 1) checkHeader(this.file, line);
        else yield parseEntry(this.file, line, lineNo);
        this.validBytes += Buffer.byteLength(line) + 1;
      }
      if (lineNo === 0) checkHeader(this.file, '');
    } finally {
      closeSync(fd);
    }
  }

  /** After the entries were read: drops a line cut short, and appends after the rest. */
  startAppending(): void {
    const fd = openSync(this.file, 'r+');
    ftruncateSync(fd, this.validBytes);
    closeSync(fd);
    this.fd = openSync(this.file, 'a');
  }

  /** Written before the request is answered: an acknowledged write is in the journal. */
  append(entry: JournalEntry): void {
    writeSync(this.fd!, `${JSON.stringify(entry, encode)}\n`);
  }

  /** After a sandbox reset: the journal starts over. */
  restart(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    writeFileSync(this.file, header(), { mode: 0o600 });
    this.fd = openSync(this.file, 'a');
  }

  /** Says where a running sandbox answers, for a grader that finds the state in use. */
  announce(url: string): void {
    writeFileSync(this.lock, JSON.stringify({ pid: process.pid, url }), { mode: 0o600 });
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    rmSync(this.lock, { force: true });
  }
}

/** The file's whole lines (each ended by a newline), read 16 MB at a time. */
function* lines(fd: number): Generator<string> {
  const chunk = Buffer.alloc(16 * 1024 * 1024);
  let pending: Buffer[] = [];
  for (;;) {
    const read = readSync(fd, chunk, 0, chunk.length, null);
    if (read === 0) return;
    let from = 0;
    for (let nl = chunk.indexOf(10, from); nl !== -1 && nl < read; nl = chunk.indexOf(10, from)) {
      pending.push(chunk.subarray(from, nl));
      yield Buffer.concat(pending).toString('utf8');
      pending = [];
      from = nl + 1;
    }
    pending.push(Buffer.from(chunk.subarray(from, read)));
  }
}

function checkHeader(file: string, line: string): void {
  let head: { format?: unknown; version?: unknown } = {};
  try {
    head = JSON.parse(line) as typeof head;
  } catch {
    // reported below
  }
  if (head.format !== JOURNAL_FORMAT) {
    throw new StateError(
      `${file} is not a lab sandbox journal (its first line should be ${header().trim()}). Point --state-dir elsewhere, or start with --reset to discard it.`,
    );
  }
  if (typeof head.version !== 'number' || head.version > JOURNAL_VERSION) {
    throw new StateError(
      `${file} was written by a newer lab sandbox (journal version ${String(head.version)}; this one reads ${JOURNAL_VERSION}). Update the project, or start with --reset to discard the state.`,
    );
  }
}

function parseEntry(file: string, line: string, lineNo: number): JournalEntry {
  try {
    return JSON.parse(line, decode) as JournalEntry;
  } catch {
    throw new StateError(
      `${file} line ${lineNo} is damaged (not JSON): the sandbox cannot rebuild its state past it. Restore the file, or start with --reset to discard the state.`,
    );
  }
}

/** One process per state directory: a second sandbox, or a grader, must use the one running. */
function takeLock(dir: string): string {
  const lock = join(dir, 'lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      closeSync(openSync(lock, 'wx', 0o600));
      writeFileSync(lock, JSON.stringify({ pid: process.pid }));
      return lock;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = runningHolder(dir);
      if (holder) {
        throw new StateError(
          `${dir} is in use by the sandbox of process ${holder.pid}${holder.url ? ` at ${holder.url}` : ''}: use that one, or stop it first.`,
        );
      }
      rmSync(lock, { force: true }); // left by a process that died
    }
  }
  throw new StateError(`${lock} could not be taken.`);
}

/** The live process holding `dir`'s lock, and where it answers, if any. */
export function runningHolder(dir: string): { pid: number; url?: string } | undefined {
  let holder: { pid?: unknown; url?: unknown };
  try {
    holder = JSON.parse(readFileSync(join(dir, 'lock'), 'utf8')) as typeof holder;
  } catch {
    return undefined;
  }
  if (typeof holder.pid !== 'number') return undefined;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return undefined;
  }
  return { pid: holder.pid, url: typeof holder.url === 'string' ? holder.url : undefined };
}
