// Table-driven cases: every JSON file in ./cases is an array of { name, query, events | eventSet,
// window?, limit?, expect }, run through parseQuery + executeQuery. Rows are compared without
// their @ptr, whose presence is checked separately.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { JsonShapeTable, executeQuery, parseQuery, type LogRecord, type ResultField } from '../../insights';

interface CaseEvent {
  timestamp: string | number;
  message: string | object;
  logStream?: string;
}

interface Case {
  name: string;
  query: string;
  events?: CaseEvent[];
  eventSet?: string;
  window?: { start: string | number; end: string | number };
  limit?: number;
  expect:
    | {
        rows: ResultField[][];
        unordered?: boolean; // compare as a multiset when the order is not the point
        ptr?: boolean; // every row carries @ptr (default: true without stats, false with)
        statistics?: { recordsMatched?: number; recordsScanned?: number; bytesScanned?: number };
      }
    | { error: { messageContains: string; startCharOffset?: number; endCharOffset?: number } };
}

const casesDir = join(__dirname, 'cases');
const eventSets = JSON.parse(readFileSync(join(__dirname, 'event-sets.json'), 'utf8')) as Record<
  string,
  CaseEvent[]
>;

function ms(t: string | number): number {
  return typeof t === 'number' ? t : Date.parse(t);
}

// Each case runs twice: over bare records, which the engine scans, and over records indexed by
// shape as the sandbox's store writes them; both must give the expected rows.
const RECORD_KINDS = ['scanned', 'indexed'] as const;

function toRecords(events: CaseEvent[], kind: (typeof RECORD_KINDS)[number]): LogRecord[] {
  const shapes = new JsonShapeTable();
  return events.map((e, i) =>
    withShape(kind === 'indexed' ? shapes : null, {
      timestamp: ms(e.timestamp),
      ingestionTime: ms(e.timestamp) + 5000,
      message: typeof e.message === 'string' ? e.message : JSON.stringify(e.message),
      logStreamName: e.logStream ?? 'aws/bedrock/modelinvocations',
      logGroupName: '/aws/bedrock/model-invocations',
      accountId: '123456789012',
      eventId: String(i).padStart(8, '0'),
    }),
  );
}

function withShape(shapes: JsonShapeTable | null, record: LogRecord): LogRecord {
  return shapes === null ? record : { ...record, shape: shapes.shape(shapes.idOf(record.message)) };
}

const seconds = (t: string | number) => Math.floor(ms(t) / 1000);

for (const file of readdirSync(casesDir).filter((f) => f.endsWith('.json'))) {
  const cases = JSON.parse(readFileSync(join(casesDir, file), 'utf8')) as Case[];
  test.describe(file.replace(/\.json$/, ''), () => {
    for (const c of cases) {
      const want = c.expect;
      if ('error' in want) {
        test(c.name, () => {
          const parsed = parseQuery(c.query);
          expect(parsed.ok, `query should not compile: ${c.query}`).toBe(false);
          if (parsed.ok) return;
          expect(parsed.error.message).toContain(want.error.messageContains);
          if (want.error.startCharOffset !== undefined)
            expect(parsed.error.startCharOffset).toBe(want.error.startCharOffset);
          if (want.error.endCharOffset !== undefined)
            expect(parsed.error.endCharOffset).toBe(want.error.endCharOffset);
        });
        continue;
      }
      for (const kind of RECORD_KINDS)
        test(`${c.name} (${kind})`, async () => {
          const parsed = parseQuery(c.query);
          expect(parsed.ok, parsed.ok ? '' : parsed.error.message).toBe(true);
          if (!parsed.ok) return;
          if (c.eventSet !== undefined) expect(Object.keys(eventSets)).toContain(c.eventSet);
          const events = c.events ?? eventSets[c.eventSet ?? ''] ?? [];
          const window = c.window ?? { start: '2026-11-27T00:00:00Z', end: '2026-11-27T23:59:59Z' };
          const output = await executeQuery(parsed.query, toRecords(events, kind), {
            startTime: seconds(window.start),
            endTime: seconds(window.end),
            limit: c.limit,
          });
          const isAggregating = parsed.query.commands.some((cmd) => cmd.kind === 'stats');
          const wantPtr = want.ptr ?? !isAggregating;
          for (const row of output.results) {
            expect(
              row.some((f) => f.field === '@ptr' && f.value !== ''),
              `@ptr in ${JSON.stringify(row)}`,
            ).toBe(wantPtr);
          }
          const rows = output.results.map((row) => row.filter((f) => f.field !== '@ptr'));
          if (want.unordered) {
            const key = (r: ResultField[]) => JSON.stringify(r);
            expect(rows.map(key).sort()).toEqual(want.rows.map(key).sort());
          } else expect(rows).toEqual(want.rows);
          if (want.statistics) expect(output.statistics).toMatchObject(want.statistics);
        });
    }
  });
}
