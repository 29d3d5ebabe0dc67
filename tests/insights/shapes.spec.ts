// The ingest-time shape index (insights/shapes.ts): which messages share a shape, which get
// none, and what a shape can answer without scanning. Query results over indexed records are
// checked by every table-driven case (cases.spec.ts runs each over both kinds of record).
import { expect, test } from '@playwright/test';
import { JsonShapeTable } from '../../insights';

test('messages with one structure share a shape, whatever their values', () => {
  const shapes = new JsonShapeTable();
  const a = shapes.idOf('{"k": 1, "o": {"s": "x"}}');
  const b = shapes.idOf('{"k":25,"o":{"s":"a much longer value"}}');
  const c = shapes.idOf('{"k": 1, "o": {"s": null}}');
  expect(a).toBeGreaterThan(1);
  expect(b).toBe(a);
  expect(c).not.toBe(a);
});

test('a message that is not a JSON object has the not-JSON shape', () => {
  const shapes = new JsonShapeTable();
  for (const message of [
    'plain text',
    '[1, 2]',
    '{"k": 1',
    '{"k": 01}',
    '{"k": "\\x"}',
    '{"k": 1} trailing',
  ]) {
    expect(shapes.shape(shapes.idOf(message))?.isJson, message).toBe(false);
  }
});

test('a key written with an escape leaves the message without a shape, to be scanned', () => {
  const shapes = new JsonShapeTable();
  expect(shapes.idOf('{"\\u006b": 1}')).toBe(0);
  expect(shapes.shape(0)).toBeUndefined();
});

test('past its capacity the table gives no shape; known shapes keep theirs', () => {
  const shapes = new JsonShapeTable(4); // two ids are reserved
  const first = shapes.idOf('{"a": 1}');
  expect(shapes.idOf('{"b": 1}')).toBeGreaterThan(1);
  expect(shapes.idOf('{"c": 1}')).toBe(0);
  expect(shapes.idOf('{"a": 2}')).toBe(first);
});

test('a shape answers absent fields itself and leaves array-index fields to a scan', () => {
  const shapes = new JsonShapeTable();
  const message = '{"list": [7, {"k": 8}], "n": null}';
  const shape = shapes.shape(shapes.idOf(message));
  expect(shape?.read(message, 'missing')).toBeNull();
  expect(shape?.read(message, 'n')).toBeNull();
  expect(shape?.read(message, 'list.0')).toBeUndefined();
  expect(shape?.read(message, 'list.1.k')).toBe(8);
});

test('a message with too many keys to index has no shape', () => {
  const shapes = new JsonShapeTable();
  const wide = JSON.stringify(Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`key${i}`, i])));
  expect(shapes.idOf(wide)).toBe(0);
});
