// The Logs store's columns, tested directly: a write landing between two chunks of a running
// query cannot be timed through the API, and the query must neither repeat nor skip events.
import { expect, test } from '@playwright/test';
import { JsonShapeTable } from '../../insights';
import { StreamEvents, VisibleRecords } from '../../sandbox/logs/events';

function stream(timestamps: number[]): StreamEvents {
  const events = new StreamEvents(
    { accountId: '123456789012', logGroupName: 'g', logStreamName: 's' },
    new JsonShapeTable(),
  );
  timestamps.forEach((t, i) => events.insert({ timestamp: t, message: `m${t}` }, 1000, i + 1));
  return events;
}

test('events are kept in timestamp order, a late one slotted in after its equals', () => {
  const events = stream([10, 30, 20, 30, 5]);
  const read = [...new VisibleRecords([events], 1000)].map((r) => r.timestamp);
  expect(read).toEqual([5, 10, 20, 30, 30]);
  expect(events.firstTimestamp).toBe(5);
  expect(events.lastTimestamp).toBe(30);
});

test('only events ingested by the reading time are visible', () => {
  const events = stream([1, 2]);
  events.insert({ timestamp: 3, message: 'later' }, 2000, 3);
  expect([...new VisibleRecords([events], 1000)].map((r) => r.message)).toEqual(['m1', 'm2']);
  expect([...new VisibleRecords([events], 2000)].map((r) => r.message)).toEqual(['m1', 'm2', 'later']);
});

test('a late event written during a read shifts nothing the read has yet to see', () => {
  const events = stream([10, 20, 30, 40, 50]);
  const reading = new VisibleRecords([events], 1000);
  const seen = [
    reading.next().value?.timestamp,
    reading.next().value?.timestamp,
    reading.next().value?.timestamp,
  ];
  events.insert({ timestamp: 15, message: 'late' }, 5000, 6); // ingested after the read began
  events.insert({ timestamp: 45, message: 'late too' }, 5000, 7);
  for (const record of reading) seen.push(record.timestamp);
  expect(seen).toEqual([10, 20, 30, 40, 50]);
});

test('event ids sort by time and differ for equal timestamps', () => {
  const [a, b, c] = [...new VisibleRecords([stream([7, 7, 8])], 1000)].map((r) => r.eventId);
  expect(a).not.toBe(b);
  expect((a ?? '') < (c ?? '') && (b ?? '') < (c ?? '')).toBe(true);
});

test('late events across several streams, some with equal timestamps, are each read once', () => {
  const first = stream([10, 20, 20, 30]);
  const second = stream([5, 25]);
  const reading = new VisibleRecords([first, second], 1000);
  const seen = [reading.next().value?.message, reading.next().value?.message, reading.next().value?.message];
  first.insert({ timestamp: 20, message: 'late 20' }, 1000, 9); // visible, after what was read
  first.insert({ timestamp: 1, message: 'late 1' }, 1000, 10); // visible, before what was read
  second.insert({ timestamp: 1, message: 'late in second' }, 1000, 11); // not read yet at all
  for (const record of reading) seen.push(record.message);
  expect(seen).toEqual(['m10', 'm20', 'm20', 'late 20', 'm30', 'late in second', 'm5', 'm25']);
});

test('a message too deeply nested to index is stored as written, its neighbours intact', () => {
  const events = stream([1000, 2000]);
  const deep = `{"n": 3, "x": ${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
  events.insert({ timestamp: 500, message: deep }, 1000, 3);
  const read = [...new VisibleRecords([events], 1000)];
  expect(read.map((r) => [r.timestamp, r.message.slice(0, 7)])).toEqual([
    [500, '{"n": 3'],
    [1000, 'm1000'],
    [2000, 'm2000'],
  ]);
  expect(read[0]?.shape?.isJson).toBe(false);
});
