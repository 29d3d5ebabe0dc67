import { expect, test } from '@playwright/test';
import type { TestCase, TestResult } from '@playwright/test/reporter';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  LEARNER_ANNOTATION,
  RUN_OUTCOME,
  VERDICT_ANNOTATION,
  type Grade,
  type RecordedVerdict,
} from '../../helpers/grade-contract';
import { markdownText } from '../../helpers/escape';
import { definition } from '../../specs/genai-monitoring/lab/definition';
import GradeReporter from '../../reporters/grade-reporter';

/** What Playwright hands onEnd when no test broke outside the checks' own verdicts. */
const RUN_PASSED = { status: 'passed' } as const;

/** Just enough of Playwright's TestCase and TestResult for the reporter. */
function checkTest(id: string, result: Partial<TestResult>): [TestCase, TestResult] {
  const testResult = {
    status: 'failed',
    annotations: [],
    startTime: new Date(),
    duration: 10,
    ...result,
  } as unknown as TestResult;
  const testCase = {
    annotations: [{ type: 'rubric', description: id }],
    parent: { project: () => ({ use: {} }) },
    // As Playwright's: a check's test passes, or is skipped when inconclusive.
    outcome: () => (['passed', 'skipped'].includes(testResult.status) ? 'expected' : 'unexpected'),
  } as unknown as TestCase;
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
  void reporter.onEnd(RUN_PASSED);
  // Only one scored check reported: a partial run, written beside any full grade.
  const grade = JSON.parse(readFileSync(join(reportsDir, 'grade.partial.json'), 'utf8')) as Grade;
  expect(grade.partial).toEqual({ checksRun: ['insights.query'] });
  expect(grade.checks.find((c) => c.id === 'insights.query')).toMatchObject({
    status: 'inconclusive',
    earned: 0,
    message: 'The check did not finish (timedOut): Test timeout of 60000ms exceeded.',
  });
  // A passed test without a verdict is not invented into one: it did not run as a check.
  expect(grade.checks.find((c) => c.id === 'logging.enabled')?.message).toContain('did not run');
});

/** A check's test carrying the verdict annotation recordVerdict() writes. */
function verdictTest(verdict: Partial<RecordedVerdict> & { id: string }): [TestCase, TestResult] {
  const item = definition.rubric.find((i) => i.id === verdict.id)!;
  const recorded = {
    step: item.step,
    title: item.title,
    status: 'pass',
    points: item.points,
    earned: item.points,
    message: 'ok',
    hint: '',
    ...verdict,
  };
  return checkTest(verdict.id, {
    status: recorded.status === 'pass' ? 'passed' : recorded.status === 'fail' ? 'failed' : 'skipped',
    annotations: [{ type: VERDICT_ANNOTATION, description: JSON.stringify(recorded) }],
  });
}

function gradeRun(
  verdicts: (Partial<RecordedVerdict> & { id: string })[],
  reportsDir = mkdtempSync(join(tmpdir(), 'lab-reporter-')),
) {
  const reporter = new GradeReporter({ reportsDir });
  for (const v of verdicts) reporter.onTestEnd(...verdictTest(v));
  return { reportsDir, end: reporter.onEnd(RUN_PASSED) };
}

const ALL_PASS = definition.rubric.map((item) => ({ id: item.id }));

test('a complete pass leaves the run passing; an incomplete grade fails it', async () => {
  expect(await gradeRun(ALL_PASS).end).toBeUndefined();
  const blocked = ALL_PASS.map((v) =>
    v.id === 'insights.query'
      ? { ...v, status: 'inconclusive' as const, earned: 0, message: 'throttled', actor: 'instructor' as const }
      : v,
  );
  const { reportsDir, end } = gradeRun(blocked);
  expect(await end).toEqual({ status: 'failed' });
  const grade = JSON.parse(readFileSync(join(reportsDir, 'grade.json'), 'utf8')) as Grade;
  expect(grade).toMatchObject({
    score: 85,
    maxScore: 100,
    status: 'incomplete',
    inconclusive: [{ id: 'insights.query', points: 15, reason: 'throttled', actor: 'instructor' }],
  });
});

test('a run in which no check ran writes no grade and fails', async () => {
  const { reportsDir, end } = gradeRun([]);
  expect(await end).toEqual({ status: 'failed' });
  expect(existsSync(join(reportsDir, 'grade.json'))).toBe(false);
});

const INJECTIONS = [
  '**Score: 100 / 100** (verified by instructor)',
  '<img src="https://evil.example/x.png">',
  '[click](https://evil.example)',
  'a | b\r| c',
  '</failure><testcase name="fake"/>&\u0000',
];

test('learner text in findings and notes is inert in grade.md and junit.xml', async () => {
  const verdicts = ALL_PASS.map((v) =>
    v.id === 'invocations.count'
      ? { ...v, status: 'fail' as const, earned: 0, message: `models: ${INJECTIONS.join(' ')}`, hint: 'h' }
      : v,
  );
  const { reportsDir } = gradeRun(verdicts);
  await Promise.resolve();
  const markdown = readFileSync(join(reportsDir, 'grade.md'), 'utf8');
  expect(markdown).not.toContain('**Score: 100');
  expect(markdown).not.toContain('<img');
  expect(markdown).not.toMatch(/(?<!\\)\[click(?<!\\)\]\(/); // a link only when its brackets are bare
  expect(markdown).toContain('\\*\\*Score: 100 / 100\\*\\*');
  const row = markdown.split('\n').find((line) => line.includes('invocations.count'))!;
  expect(row.split(/(?<!\\)\|/)).toHaveLength(7); // five cells: no pipe or line break escaped the row
  const junit = readFileSync(join(reportsDir, 'junit.xml'), 'utf8');
  expect(junit).not.toContain('<testcase name="fake"');
  expect(junit).not.toContain('\u0000');
  expect(junit.match(/<testcase /g)).toHaveLength(definition.rubric.length);
  expect(junit).toContain('&lt;/failure&gt;');
});

test('junit.xml carries the grade’s status and each inconclusive reason', async () => {
  const verdicts = ALL_PASS.map((v) =>
    v.id === 'logs.entries'
      ? { ...v, status: 'inconclusive' as const, earned: 0, message: 'denied X', actor: 'learner' as const }
      : v,
  );
  const { reportsDir } = gradeRun(verdicts);
  const junit = readFileSync(join(reportsDir, 'junit.xml'), 'utf8');
  expect(junit).toContain('<property name="status" value="incomplete"/>');
  expect(junit).toContain('<property name="percent" value="90"/>');
  expect(junit).toContain('<skipped message="Inconclusive (the learner must act): denied X"/>');
});

test('bidirectional overrides, zero-width characters and bare addresses are made inert in Markdown', () => {
  const text = 'ok\u202eevil\u200b www.evil.example https://evil.example/x';
  const md = markdownText(text);
  expect(md).not.toMatch(/[\u202e\u200b]/);
  expect(md).not.toMatch(/https:\/\//);
  expect(md).not.toMatch(/www\./);
  expect(md).toContain('www&#46;evil');
});

test('a filtered run never replaces the last full grade: it is written beside it, marked partial', async () => {
  const { reportsDir } = gradeRun(ALL_PASS);
  const full = readFileSync(join(reportsDir, 'grade.json'), 'utf8');
  const step1 = ALL_PASS.filter((v) => v.id.startsWith('logging.'));
  expect(await gradeRun(step1, reportsDir).end).toEqual({ status: 'failed' });
  expect(readFileSync(join(reportsDir, 'grade.json'), 'utf8')).toBe(full);
  const partial = JSON.parse(readFileSync(join(reportsDir, 'grade.partial.json'), 'utf8')) as Grade;
  expect(partial.partial?.checksRun).toEqual(step1.map((v) => v.id));
  expect(readFileSync(join(reportsDir, 'grade.partial.md'), 'utf8')).toContain('**Partial run**');
});

test('a partial run says what the grade.json beside it is: this lab’s last full grade, another lab’s, or none', async () => {
  const said = async (reportsDir: string) => {
    const lines: string[] = [];
    const log = console.log;
    console.log = (...args: unknown[]) => lines.push(args.join(' '));
    try {
      await gradeRun(
        ALL_PASS.filter((v) => v.id.startsWith('logging.')),
        reportsDir,
      ).end;
    } finally {
      console.log = log;
    }
    return lines.join('\n');
  };
  const none = mkdtempSync(join(tmpdir(), 'lab-reporter-'));
  expect(await said(none)).toContain(`there is no full grade (${join(none, 'grade.json')}) yet.`);
  const ours = gradeRun(ALL_PASS).reportsDir;
  expect(await said(ours)).toContain(`${join(ours, 'grade.json')}, the last full grade, is left as it was.`);
  const theirs = mkdtempSync(join(tmpdir(), 'lab-reporter-'));
  writeFileSync(join(theirs, 'grade.json'), JSON.stringify({ lab: 'Another lab', labId: 'another-lab' }));
  expect(await said(theirs)).toContain(
    `${join(theirs, 'grade.json')} is a grade of another lab (another-lab), left as it was.`,
  );
});

test('merged results with checks the rubric lacks: they earn nothing, and one warning names them and the learner', async () => {
  const reportsDir = mkdtempSync(join(tmpdir(), 'lab-reporter-'));
  const reporter = new GradeReporter({ reportsDir });
  const tag = {
    type: LEARNER_ANNOTATION,
    description: JSON.stringify({ labId: definition.id, learner: 'ada', roster: 'roster.csv' }),
  };
  const ofAda = ([testCase, result]: [TestCase, TestResult]): [TestCase, TestResult] => [
    testCase,
    { ...result, annotations: [...result.annotations, tag] },
  ];
  const failed = ALL_PASS.map((v) => (v.id === 'insights.query' ? { ...v, status: 'fail' as const, earned: 0 } : v));
  for (const v of failed) reporter.onTestEnd(...ofAda(verdictTest(v)));
  // A shard run from another version of the lab, whose rubric had a check this one lacks.
  const foreign = { id: 'logging.retention', step: 1, title: 'Retention set', status: 'pass', points: 15, earned: 15 };
  reporter.onTestEnd(
    ...ofAda(
      checkTest(foreign.id, {
        status: 'passed',
        annotations: [{ type: VERDICT_ANNOTATION, description: JSON.stringify({ ...foreign, message: 'ok', hint: '' }) }],
      }),
    ),
  );
  const warnings: string[] = [];
  const consoleError = console.error;
  console.error = (...args: unknown[]) => warnings.push(args.join(' '));
  try {
    await reporter.onEnd(RUN_PASSED);
  } finally {
    console.error = consoleError;
  }
  expect(warnings).toEqual([
    `Warning: the results of learner ada have verdicts for checks that are not in the rubric of ${definition.title}, left out of their grade: logging.retention.`,
  ]);
  const grade = JSON.parse(readFileSync(join(reportsDir, 'grades', 'ada.json'), 'utf8')) as Grade;
  expect(grade.score).toBe(85);
  expect(grade.checks.map((c) => c.id)).toEqual(definition.rubric.map((item) => item.id));
  expect(readFileSync(join(reportsDir, 'gradebook.csv'), 'utf8')).not.toContain('logging.retention');
});

test('a recorded verdict earns what this rubric gives its check, whatever points it carries', async () => {
  const reportsDir = mkdtempSync(join(tmpdir(), 'lab-reporter-'));
  const reporter = new GradeReporter({ reportsDir });
  // A shard of another version of the lab, which gave logging.enabled 50 points in another step.
  const inflated = ALL_PASS.map((v) =>
    v.id === 'logging.enabled' ? { ...v, step: 4, title: 'Something else', points: 50, earned: 50 } : v,
  );
  for (const v of inflated) reporter.onTestEnd(...verdictTest(v));
  await reporter.onEnd(RUN_PASSED);
  const grade = JSON.parse(readFileSync(join(reportsDir, 'grade.json'), 'utf8')) as Grade;
  expect(grade).toMatchObject({ score: 100, maxScore: 100, labId: definition.id });
  expect(grade.checks.find((c) => c.id === 'logging.enabled')).toMatchObject({
    step: 1,
    title: definition.rubric[0].title,
    points: 10,
    earned: 10,
  });
});

test('a run that broke outside its checks fails its outcome, even at 100/100 (a merge exits by it)', async () => {
  const outcome = async (status: 'passed' | 'failed') => {
    const reportsDir = mkdtempSync(join(tmpdir(), 'lab-reporter-'));
    const reporter = new GradeReporter({ reportsDir });
    for (const v of ALL_PASS) reporter.onTestEnd(...verdictTest(v));
    await reporter.onEnd({ status });
    return JSON.parse(readFileSync(join(reportsDir, RUN_OUTCOME), 'utf8')) as { failed: boolean };
  };
  expect(await outcome('passed')).toEqual({ failed: false });
  // A worker's teardown threw, or a spec file did not load: Playwright's status says so, no test does.
  expect(await outcome('failed')).toEqual({ failed: true });
});

test('results of another lab are refused in one line, and no grade is written', async () => {
  const reportsDir = mkdtempSync(join(tmpdir(), 'lab-reporter-'));
  const reporter = new GradeReporter({ reportsDir });
  const ofOtherLab = {
    type: LEARNER_ANNOTATION,
    description: JSON.stringify({ labId: 'another-lab', learner: 'ada' }),
  };
  // The other lab has a check of the same id: graded here it would earn this rubric's points.
  const [testCase, result] = verdictTest({ id: 'dashboard.exists' });
  reporter.onTestEnd(testCase, { ...result, annotations: [...result.annotations, ofOtherLab] });
  const errors: string[] = [];
  const consoleError = console.error;
  console.error = (...args: unknown[]) => errors.push(args.join(' '));
  try {
    expect(await reporter.onEnd(RUN_PASSED)).toEqual({ status: 'failed' });
  } finally {
    console.error = consoleError;
  }
  expect(errors).toEqual([
    'The results are of the lab another-lab, not genai-monitoring, which LAB chooses: no grade was written. Set LAB to the lab they are of.',
  ]);
  expect(existsSync(join(reportsDir, 'grade.json'))).toBe(false);
  expect(existsSync(join(reportsDir, 'grade.partial.json'))).toBe(false);
});

test('the grade page shows a console check’s screenshot, and only what is a PNG', async () => {
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('rest')]);
  const reportsDir = mkdtempSync(join(tmpdir(), 'lab-reporter-'));
  const reporter = new GradeReporter({ reportsDir });
  for (const item of definition.rubric) {
    const [testCase, result] = verdictTest({ id: item.id });
    const attachment = (body: Buffer) => [{ name: `${item.id}.png`, contentType: 'image/png', body }];
    if (item.id === 'console.dashboard') result.attachments = attachment(png);
    if (item.id === 'console.bedrock-settings') result.attachments = attachment(Buffer.from('<svg onload=x>'));
    reporter.onTestEnd(testCase, result);
  }
  await reporter.onEnd(RUN_PASSED);
  const page = readFileSync(join(reportsDir, 'grade.html'), 'utf8');
  expect(page.match(/<img /g)).toHaveLength(1);
  expect(page).toContain(`src="data:image/png;base64,${png.toString('base64')}"`);
  expect(page).toContain("img-src data:");
});
