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
