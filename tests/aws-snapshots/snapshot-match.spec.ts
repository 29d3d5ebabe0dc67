import { expect, test } from '@playwright/test';
import { differences, type Bindings } from './snapshot-match';

/** The comparison must be able to fail: each way an answer can differ from a recording is caught. */
test.describe('matching an answer to a recorded one', () => {
  const compare = (recorded: unknown, actual: unknown, bindings: Bindings = new Map()) =>
    differences(recorded, actual, bindings).map((d) => d.path);

  test('a placeholder binds once and must then repeat the same text', () => {
    const bindings: Bindings = new Map();
    expect(compare({ a: 'role/<name:1>', b: '<name:1>' }, { a: 'role/ada', b: 'ada' }, bindings)).toEqual([]);
    expect(bindings.get('<name:1>')).toBe('ada');
    expect(compare({ c: '<name:1>' }, { c: 'grace' }, bindings)).toEqual(['$.c']);
  });

  test('placeholders side by side split where whole values bound them', () => {
    const recorded = {
      Arn: 'arn:aws:iam::1:role<path><role-name:1>',
      Path: '<path>',
      RoleName: '<role-name:1>',
    };
    expect(compare(recorded, { Arn: 'arn:aws:iam::1:role/a/b/ada', Path: '/a/b/', RoleName: 'ada' })).toEqual(
      [],
    );
    expect(compare(recorded, { Arn: 'arn:aws:iam::1:role/a/b/ada', Path: '/a/', RoleName: 'ada' })).toEqual([
      '$.Arn',
    ]);
  });

  test('a missing, an extra and a retyped member each differ', () => {
    expect(compare({ a: 1, b: 'x' }, { a: '1', c: true })).toEqual(['$.a', '$.b', '$.c']);
  });

  test('lists differ by length and item by item', () => {
    expect(compare([1, 2, 3], [1, 5])).toEqual(['$.length', '$[1]']);
  });

  test('time words take any time and nothing else', () => {
    expect(compare({ t: 'timestamp', d: '<datetime>' }, { t: 1764547200, d: new Date() })).toEqual([]);
    expect(compare({ t: 'timestamp' }, { t: 'soon' })).toEqual(['$.t']);
  });

  test('a member recorded as its own kebab-case name takes any value, but must be there', () => {
    expect(compare({ createTime: 'create-time' }, { createTime: 5 })).toEqual([]);
    expect(compare({ createTime: 'create-time' }, {})).toEqual(['$.createTime']);
  });

  test('a UUID in a recorded text takes any UUID, not any text', () => {
    const recorded = 'Request ID: b04848e1-f91e-4ed5-8a00-413d7c60de9e; Proxy: null';
    expect(compare(recorded, 'Request ID: 00000000-1111-2222-3333-444444444444; Proxy: null')).toEqual([]);
    expect(compare(recorded, 'Request ID: nope; Proxy: null')).toEqual(['$']);
  });

  test('literal text around placeholders is literal, regex characters included', () => {
    expect(compare('arn:<partition>:iam::1.2', 'arn:aws:iam::1x2')).toEqual(['$']);
    expect(compare('arn:<partition>:iam::1.2', 'arn:aws:iam::1.2')).toEqual([]);
  });
});
