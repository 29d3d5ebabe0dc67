import { JsonShapeTable, type LogRecord } from '../../insights';
import { logsErrors } from './errors';
import { StreamEvents, VisibleRecords, type IncomingEvent } from './events';
import { nowMs, taped } from '../tape';

export interface LogStream {
  name: string;
  creationTime: number;
  /** Kept in timestamp order, so reads and queries need no sorting. */
  events: StreamEvents;
  storedBytes: number;
  lastIngestionTime?: number;
  uploadSequence: number;
}

export interface LogGroup {
  name: string;
  creationTime: number;
  retentionInDays?: number;
  kmsKeyId?: string;
  tags: Record<string, string>;
  streams: Map<string, LogStream>;
}

/** A Logs Insights query as DescribeQueries and GetQueryResults report it. */
export interface QueryRun {
  queryId: string;
  queryString: string;
  logGroupNames: string[];
  startTime: number;
  endTime: number;
  createTime: number;
  status: 'Scheduled' | 'Running' | 'Complete' | 'Failed' | 'Cancelled' | 'Timeout';
  results: { field: string; value: string }[][];
  statistics: { recordsMatched: number; recordsScanned: number; bytesScanned: number };
  abort: AbortController;
}

/** CloudWatch Logs state of one account and region; no wire knowledge. */
export class LogsBackend {
  readonly groups = new Map<string, LogGroup>();
  readonly queries = new Map<string, QueryRun>();
  /** Structures of the JSON messages written here, so queries need not scan them. */
  private readonly shapes = new JsonShapeTable();
  private eventCounter = 0;

  constructor(
    readonly accountId: string,
    readonly region: string,
    /** The latency profile's log ingestion delay, read at each write (the profile may change). */
    private readonly ingestionDelayMs: () => number,
  ) {}

  groupArn(name: string): string {
    return `arn:aws:logs:${this.region}:${this.accountId}:log-group:${name}`;
  }

  hasGroup(name: string): boolean {
    return this.groups.has(name);
  }

  group(name: string): LogGroup {
    const group = this.groups.get(name);
    if (!group) throw logsErrors.groupNotFound();
    return group;
  }

  stream(groupName: string, streamName: string): LogStream {
    const stream = this.group(groupName).streams.get(streamName);
    if (!stream) throw logsErrors.streamNotFound();
    return stream;
  }

  createGroup(name: string, settings: { kmsKeyId?: string; tags?: Record<string, string> } = {}): void {
    if (this.groups.has(name)) throw logsErrors.groupExists();
    this.groups.set(name, {
      name,
      creationTime: nowMs(),
      kmsKeyId: settings.kmsKeyId,
      tags: { ...settings.tags },
      streams: new Map(),
    });
  }

  createStream(groupName: string, streamName: string): LogStream {
    const group = this.group(groupName);
    if (group.streams.has(streamName)) throw logsErrors.streamExists();
    const stream: LogStream = {
      name: streamName,
      creationTime: nowMs(),
      events: new StreamEvents(
        { accountId: this.accountId, logGroupName: groupName, logStreamName: streamName },
        this.shapes,
      ),
      storedBytes: 0,
      uploadSequence: 0,
    };
    group.streams.set(streamName, stream);
    return stream;
  }

  /**
   * Appends events (already validated and in timestamp order among themselves). They become
   * visible to reads once ingested: after the latency profile's ingestion delay.
   */
  append(groupName: string, streamName: string, events: IncomingEvent[]): LogStream {
    const stream = this.stream(groupName, streamName);
    const ingestionTime = nowMs() + taped(this.ingestionDelayMs);
    for (const event of events) {
      stream.storedBytes += stream.events.insert(event, ingestionTime, ++this.eventCounter >>> 0);
    }
    stream.lastIngestionTime = ingestionTime;
    stream.uploadSequence++;
    return stream;
  }

  /** How AWS services (Bedrock) write into a customer's group: the stream is created on first use. */
  deliver(groupName: string, streamName: string, events: IncomingEvent[]): void {
    const group = this.group(groupName);
    if (!group.streams.has(streamName)) this.createStream(groupName, streamName);
    this.append(groupName, streamName, events);
  }

  /**
   * Events of these groups (of the named streams only, when given) ingested by `now`, stream by
   * stream: what FilterLogEvents and Logs Insights read. A group deleted meanwhile has none.
   */
  visibleEvents(
    groupNames: readonly string[],
    now: number,
    streamNames?: ReadonlySet<string>,
  ): Iterable<LogRecord> {
    const streams = groupNames
      .flatMap((name) => [...(this.groups.get(name)?.streams.values() ?? [])])
      .filter((s) => !streamNames || streamNames.has(s.name));
    return new VisibleRecords(
      streams.map((s) => s.events),
      now,
    );
  }
}
