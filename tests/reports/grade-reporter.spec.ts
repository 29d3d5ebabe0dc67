import { expect, test } from '@playwright/test';
import type { TestCase, TestResult } from '@playwright/test/reporter';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import GradeReporter, { type Grade } from '../../reporters/grade-reporter';

/** Just enough of Playwright's TestCase and TestResult for the reporter. */
function checkTest(id: string, result: Partial<TestResult>): [TestCase, TestResult] {
  const testCase = {
    annotations: [{ type: 'rubric', description: id }],
    parent: { project: () => ({ use: {} }) },
  } as unknown as TestCase;
  const testResult = {
    status: 'failed',
    annotations: [],
    startTime: new Date(),
    duration: 10,
    ...result,
  } as unknown as TestResult;
  return [testCase, testResult];
}

test('a check that ends without a verdict is inconclusive, with what stopped it', () => {
  const reportsDir = mkdtempSync(join(tmpdir(), 'lab-reporter-'));
  const reporter = new GradeReporter({ reportsDir });
  reporter.onTestEnd(
    ...checkTest('insights.query', {
      status: 'timedOut',
      error: { message: 'Test timeout of 60000ms exceeded.\n  at somewhere' },
    }),
  );
  reporter.onTestEnd(...checkTest('logging.enabled', { status: 'passed' }));
  reporter.onEnd();
  const grade = JSON.parse(readFileSync(join(reportsDir, 'grade.json'), 'utf8')) as Grade;
  expect(grade.checks.find((c) => c.id === 'insights.query')).toMatchObject({
    status: 'inconclusive',
    earned: 0,
    message: 'The check did not finish (timedOut): Test timeout of 60000ms exceeded.',
  });
  // A passed test without a verdict is not invented into one: it did not run as a check.
  expect(grade.checks.find((c) => c.id === 'logging.enabled')?.message).toContain('did not run');
});
