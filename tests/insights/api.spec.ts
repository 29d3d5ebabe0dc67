// executeQuery as the sandbox uses it: limits, cancellation, progress, yielding, @ptr.
import { expect, test } from '@playwright/test';
import {
  executeQuery,
  parseLogRecordPointer,
  parseQuery,
  sourceLogGroups,
  type LogRecord,
  type ParsedQuery,
} from '../../insights';

const BASE = Date.parse('2026-11-27T07:00:00Z');

function records(n: number): LogRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    timestamp: BASE + i * 1000,
    ingestionTime: BASE + i * 1000 + 5000,
    message: JSON.stringify({ i, modelId: i % 2 === 0 ? 'even' : 'odd' }),
    logStreamName: 'aws/bedrock/modelinvocations',
    logGroupName: '/aws/bedrock/model-invocations',
    accountId: '123456789012',
    eventId: `event-${i}`,
  }));
}

function query(text: string): ParsedQuery {
  const result = parseQuery(text);
  if (!result.ok) throw new Error(result.error.message);
  return result.query;
}

const window = { startTime: BASE / 1000, endTime: BASE / 1000 + 86_400 };

test('without a limit at most 10,000 rows come back', async () => {
  const output = await executeQuery(query('fields i'), records(10_050), window);
  expect(output.results).toHaveLength(10_000);
  expect(output.statistics).toEqual({
    recordsMatched: 10_050,
    recordsScanned: 10_050,
    bytesScanned: expect.any(Number),
  });
  expect(output.results[0]).toContainEqual({ field: 'i', value: '10049' });
});

test('the StartQuery limit and the query limit both cap the rows', async () => {
  expect(
    (await executeQuery(query('fields i | limit 7'), records(20), { ...window, limit: 5 })).results,
  ).toHaveLength(5);
  expect(
    (await executeQuery(query('fields i | limit 3'), records(20), { ...window, limit: 5 })).results,
  ).toHaveLength(3);
});

test('@ptr is stable and leads back to the event', async () => {
  const data = records(3);
  const first = await executeQuery(query('fields i'), data, window);
  const second = await executeQuery(query('fields i'), data, window);
  const ptr = first.results[0]?.find((f) => f.field === '@ptr')?.value ?? '';
  expect(ptr).toMatch(/^[A-Za-z0-9_-]+$/);
  expect(second.results[0]?.find((f) => f.field === '@ptr')?.value).toBe(ptr);
  expect(parseLogRecordPointer(ptr)).toEqual({
    accountId: '123456789012',
    logGroupName: '/aws/bedrock/model-invocations',
    logStreamName: 'aws/bedrock/modelinvocations',
    eventId: 'event-2',
  });
});

test('an aborted signal rejects with an AbortError', async () => {
  const controller = new AbortController();
  const running = executeQuery(query('stats count(*) by modelId'), records(200_000), {
    ...window,
    signal: controller.signal,
  });
  controller.abort();
  await expect(running).rejects.toMatchObject({ name: 'AbortError' });
});

test('a query longer than a 10 ms slice reports progress and lets the event loop turn', async () => {
  const seen: number[] = [];
  let turned = false; // a task queued before the query runs only if the query yields
  setImmediate(() => (turned = true));
  const started = performance.now();
  const output = await executeQuery(
    query('filter modelId like /od+/ | stats count(*) as n'),
    records(200_000),
    {
      ...window,
      onProgress: (s) => seen.push(s.recordsScanned),
    },
  );
  expect(performance.now() - started).toBeGreaterThan(20);
  // Every other record is `odd`, over the query's one-day window of one record a second.
  expect(output.results).toEqual([[{ field: 'n', value: String(86_400 / 2) }]]);
  expect(seen.length).toBeGreaterThan(1);
  expect(seen).toEqual([...seen].sort((a, b) => a - b));
  expect(turned).toBe(true);
});

test('records can come from any iterable, e.g. a generator', async () => {
  function* gen(): Generator<LogRecord> {
    yield* records(4);
  }
  const output = await executeQuery(query('stats count(*) as n by modelId'), gen(), window);
  expect(output.results).toEqual([
    [
      { field: 'modelId', value: 'even' },
      { field: 'n', value: '2' },
    ],
    [
      { field: 'modelId', value: 'odd' },
      { field: 'n', value: '2' },
    ],
  ]);
});

test('sourceLogGroups lists the SOURCE groups as written', () => {
  expect(
    sourceLogGroups(
      query("SOURCE '/aws/a' 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/b' | fields a"),
    ),
  ).toEqual(['/aws/a', 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/b']);
  expect(sourceLogGroups(query('fields a'))).toEqual([]);
});
