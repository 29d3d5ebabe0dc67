import {
  closeSync,
  existsSync,
  linkSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Caller } from './auth/credentials';

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
  /** What the request read from the clock, randomness and changing settings, in order. */
  tape: (number | string)[];
  /** `ok`, or the code of the error it ended with: a replay must end alike. */
  outcome: string;
}

export class StateError extends Error {}

/**
 * Buffers and Dates survive the trip through JSON as `{"$b64": ...}` and `{"$date": ...}`. So
 * that no input can pass for one, every key of the input that begins with `$` gets another.
 */
function encode(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const original = this[key];
  if (original instanceof Date) return { $date: original.toISOString() };
  if (original instanceof Uint8Array) return { $b64: Buffer.from(original).toString('base64') };
  if (value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).some(isDollar)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [isDollar(k) ? `$${k}` : k, v]));
  }
  return value;
}

const isDollar = (key: string) => key.charCodeAt(0) === 36;

function decode(_key: string, value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  const v = value as Record<string, unknown>;
  if (keys.length === 1 && keys[0] === '$b64' && typeof v.$b64 === 'string')
    return Buffer.from(v.$b64, 'base64');
  if (keys.length === 1 && keys[0] === '$date' && typeof v.$date === 'string') return new Date(v.$date);
  if (!keys.some(isDollar)) return value;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [isDollar(k) ? k.slice(1) : k, x]));
}

const header = () => `${JSON.stringify({ format: JOURNAL_FORMAT, version: JOURNAL_VERSION })}\n`;

export class Journal {
  private fd: number | undefined;
  /** Why the journal could not keep a change, once it could not: the sandbox takes no more. */
  failure: string | undefined;
  /** Bytes of the journal each account's requests take. */
  private readonly bytesByAccount = new Map<string, number>();
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
        const bytes = Buffer.byteLength(line) + 1;
        if (lineNo === 1) checkHeader(this.file, line);
        else {
          const entry = parseEntry(this.file, line, lineNo);
          this.count(entry.accountId, bytes);
          yield entry;
        }
        this.validBytes += bytes;
      }
      if (lineNo === 0) {
        // An empty file, or a header a crash cut short, held nothing acknowledged.
        const start = Buffer.alloc(header().length + 1);
        const text = start.subarray(0, readSync(fd, start, 0, start.length, 0)).toString('utf8');
        if (!header().startsWith(text)) checkHeader(this.file, text);
        writeFileSync(this.file, header(), { mode: 0o600 });
        this.validBytes = Buffer.byteLength(header());
      }
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
    const line = Buffer.from(`${JSON.stringify(entry, encode)}\n`);
    // A write may take only part of the line (a full disk): the rest, or the error.
    for (let at = 0; at < line.length;) at += writeSync(this.fd!, line, at);
    this.count(entry.accountId, line.length);
  }

  /** How much of the journal an account's requests take. */
  bytesOf(accountId: string): number {
    return this.bytesByAccount.get(accountId) ?? 0;
  }

  private count(accountId: string, bytes: number): void {
    this.bytesByAccount.set(accountId, this.bytesOf(accountId) + bytes);
  }

  /** After a sandbox reset: the journal starts over. */
  restart(): void {
    this.bytesByAccount.clear();
    if (this.fd !== undefined) closeSync(this.fd);
    writeFileSync(this.file, header(), { mode: 0o600 });
    this.fd = openSync(this.file, 'a');
  }

  /** Says where a running sandbox answers, for a grader that finds the state in use. */
  announce(url: string): void {
    // Replaced whole, never seen half-written: a half-written lock would pass for a stale one.
    const next = `${this.lock}.${process.pid}.next`;
    writeFileSync(next, JSON.stringify({ pid: process.pid, url }), { mode: 0o600 });
    renameSync(next, this.lock);
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
  let entry: Partial<JournalEntry> | null = null;
  try {
    entry = JSON.parse(line, decode) as Partial<JournalEntry> | null;
  } catch {
    // reported below
  }
  const whole =
    entry !== null &&
    typeof entry === 'object' &&
    ['service', 'operation', 'accountId', 'region', 'requestId', 'outcome'].every(
      (k) => typeof entry[k as keyof JournalEntry] === 'string',
    ) &&
    typeof entry.caller === 'object' &&
    entry.caller !== null &&
    Array.isArray(entry.tape);
  if (!whole) {
    throw new StateError(
      `${file} line ${lineNo} is damaged (not a journal entry): the sandbox cannot rebuild its state past it. Restore the file, or start with --reset to discard the state.`,
    );
  }
  return entry as JournalEntry;
}

/**
 * One process per state directory: a second sandbox, or a grader, must use the one running. The
 * lock appears whole or not at all (a file written aside, then linked into place), and a lock
 * left by a process that died is moved aside before it is removed, so that of several processes
 * starting at once only one takes it.
 */
function takeLock(dir: string): string {
  const lock = join(dir, 'lock');
  const mine = join(dir, `lock.${process.pid}.${randomUUID()}`);
  writeFileSync(mine, JSON.stringify({ pid: process.pid }), { mode: 0o600 });
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        linkSync(mine, lock);
        return lock;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = holderOf(lock);
      if (holder) throw inUse(dir, lock, holder);
      const aside = join(dir, `lock.stale.${randomUUID()}`);
      try {
        renameSync(lock, aside);
      } catch {
        continue; // another process moved it first
      }
      const moved = holderOf(aside);
      if (moved) {
        // What was moved is a lock another process took meanwhile: it is theirs.
        renameSync(aside, lock);
        throw inUse(dir, lock, moved);
      }
      rmSync(aside, { force: true });
    }
    throw new StateError(`${lock} could not be taken: other processes keep taking it.`);
  } finally {
    rmSync(mine, { force: true });
  }
}

const inUse = (dir: string, lock: string, holder: { pid: number; url?: string }) =>
  new StateError(
    `${dir} is in use by the sandbox of process ${holder.pid}${holder.url ? ` at ${holder.url}` : ''}: use that one, or stop it first (if no sandbox runs, delete ${lock}).`,
  );

/** The live process holding a lock, and where it answers, if any. */
function holderOf(lock: string): { pid: number; url?: string } | undefined {
  let holder: { pid?: unknown; url?: unknown };
  try {
    holder = JSON.parse(readFileSync(lock, 'utf8')) as typeof holder;
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
