import type { JsonShape, JsonShapeTable, LogRecord } from '../../insights';

/** Where a stream's events belong; shared by every record read from it. */
export interface StreamAddress {
  accountId: string;
  logGroupName: string;
  logStreamName: string;
}

/** An event as written by PutLogEvents or delivered by an AWS service. */
export interface IncomingEvent {
  timestamp: number;
  message: string;
}

/**
 * One log stream's events in timestamp order, held column by column: beyond its text an event
 * costs 34 bytes (a million records as objects would cost ~200 MB more). Records are made when
 * read, and their event id only when asked for.
 */
export class StreamEvents {
  length = 0;
  private timestamps = new Float64Array(16);
  private ingestionTimes = new Float64Array(16);
  private byteLengths = new Uint32Array(16);
  private sequences = new Uint32Array(16); // per-account write order: the event id's second half
  private shapeIds = new Uint16Array(16);
  private readonly messages: string[] = [];
  /**
   * Where events were inserted before the end (an older timestamp arriving late), in order: a
   * query reading the stream meanwhile steps over the shift instead of reading an event twice.
   */
  readonly insertedAt: number[] = [];

  constructor(
    private readonly address: StreamAddress,
    private readonly shapes: JsonShapeTable,
  ) {}

  get firstTimestamp(): number | undefined {
    return this.length > 0 ? this.timestamps[0] : undefined;
  }

  get lastTimestamp(): number | undefined {
    return this.length > 0 ? this.timestamps[this.length - 1] : undefined;
  }

  /** Inserts after every event with a timestamp at or before the new one's. */
  insert(event: IncomingEvent, ingestionTime: number, sequence: number): number {
    if (this.length === this.timestamps.length) this.grow();
    let at = this.length;
    while (at > 0 && (this.timestamps[at - 1] as number) > event.timestamp) at--;
    if (at < this.length) {
      for (const column of this.columns()) column.copyWithin(at + 1, at, this.length);
      this.insertedAt.push(at);
    }
    const byteLength = Buffer.byteLength(event.message);
    this.timestamps[at] = event.timestamp;
    this.ingestionTimes[at] = ingestionTime;
    this.byteLengths[at] = byteLength;
    this.sequences[at] = sequence;
    this.shapeIds[at] = this.shapes.idOf(event.message);
    if (at === this.length) this.messages.push(event.message);
    else this.messages.splice(at, 0, event.message);
    this.length++;
    return byteLength;
  }

  ingestedBy(i: number, now: number): boolean {
    return (this.ingestionTimes[i] as number) <= now;
  }

  record(i: number): LogRecord {
    return new StoredRecord(
      this.address,
      this.timestamps[i] as number,
      this.ingestionTimes[i] as number,
      this.messages[i] as string,
      this.byteLengths[i] as number,
      this.sequences[i] as number,
      this.shapes.shape(this.shapeIds[i] as number),
    );
  }

  private columns(): (Float64Array | Uint32Array | Uint16Array)[] {
    return [this.timestamps, this.ingestionTimes, this.byteLengths, this.sequences, this.shapeIds];
  }

  private grow(): void {
    const capacity = this.timestamps.length * 2;
    const grown = <T extends Float64Array | Uint32Array | Uint16Array>(
      column: T,
      make: new (n: number) => T,
    ) => {
      const next = new make(capacity);
      next.set(column);
      return next;
    };
    this.timestamps = grown(this.timestamps, Float64Array);
    this.ingestionTimes = grown(this.ingestionTimes, Float64Array);
    this.byteLengths = grown(this.byteLengths, Uint32Array);
    this.sequences = grown(this.sequences, Uint32Array);
    this.shapeIds = grown(this.shapeIds, Uint16Array);
  }
}

/**
 * The records of some streams, stream after stream, each oldest first, that were ingested by
 * `now`. An iterator class rather than generators: each level of `yield*` costs a query over a
 * million records ~50 ms.
 */
export class VisibleRecords implements IterableIterator<LogRecord> {
  private stream = 0;
  private index = 0;
  private inserts = -1; // how many of the current stream's late inserts the index accounts for

  constructor(
    private readonly streams: readonly StreamEvents[],
    private readonly now: number,
  ) {}

  next(): IteratorResult<LogRecord, undefined> {
    for (let events = this.streams[this.stream]; events !== undefined; events = this.streams[++this.stream]) {
      if (this.inserts < 0) this.inserts = events.insertedAt.length;
      // Late events inserted before the cursor (between two chunks of a query) shifted it by one.
      for (; this.inserts < events.insertedAt.length; this.inserts++) {
        if ((events.insertedAt[this.inserts] as number) < this.index) this.index++;
      }
      while (this.index < events.length) {
        const i = this.index++;
        if (events.ingestedBy(i, this.now)) return { value: events.record(i), done: false };
      }
      this.index = 0;
      this.inserts = -1;
    }
    return { value: undefined, done: true };
  }

  [Symbol.iterator](): this {
    return this;
  }
}

class StoredRecord implements LogRecord {
  constructor(
    private readonly address: StreamAddress,
    readonly timestamp: number,
    readonly ingestionTime: number,
    readonly message: string,
    readonly byteLength: number,
    private readonly sequence: number,
    readonly shape: JsonShape | undefined,
  ) {}

  get accountId(): string {
    return this.address.accountId;
  }

  get logGroupName(): string {
    return this.address.logGroupName;
  }

  get logStreamName(): string {
    return this.address.logStreamName;
  }

  /** AWS event ids are long digit strings that sort by time. */
  get eventId(): string {
    return `${String(this.timestamp).padStart(16, '0')}${String(this.sequence).padStart(20, '0')}`;
  }
}
