import { expect, test } from '@playwright/test';
import { MAX_SCORE, RUBRIC, rubricItem } from '../../helpers/rubric';

test('ids are unique', () => {
  const ids = RUBRIC.map((item) => item.id);
  expect(new Set(ids).size).toBe(ids.length);
});

test('scored items total 100 points', () => {
  const scored = RUBRIC.filter((item) => item.points > 0);
  expect(scored.reduce((sum, item) => sum + item.points, 0)).toBe(100);
  expect(MAX_SCORE).toBe(100);
});

test('console evidence items score nothing', () => {
  for (const item of RUBRIC.filter((i) => i.id.startsWith('console.'))) expect(item.points).toBe(0);
});

for (const item of RUBRIC) {
  test(`${item.id} has a hint, a title and a step 1-4`, () => {
    expect(item.hint.trim().length).toBeGreaterThan(10);
    expect(item.title.trim().length).toBeGreaterThan(0);
    expect([1, 2, 3, 4]).toContain(item.step);
    expect(item.points).toBeGreaterThanOrEqual(0);
    expect(rubricItem(item.id)).toBe(item);
  });
}

test('every step has a scored item', () => {
  const steps = new Set(RUBRIC.filter((i) => i.points > 0).map((i) => i.step));
  expect([...steps].sort()).toEqual([1, 2, 3, 4]);
});
