import type { TestError } from '@playwright/test/reporter';
import { expect, test } from '../fixtures/sandbox';
import { logWidget, onGroup } from '../../testkit/widgets';
import { LAB_WIDGETS, LabBuilder } from '../../specs/genai-monitoring/lab/scenario';
import { runGrader, runGraderProcess } from '../../testkit/run-grader';
import { LAB } from '../../specs/genai-monitoring/lab/facts';
import TerminalReporter from '../../reporters/terminal';

const WORD = { pass: 'PASS', fail: 'FAIL', inconclusive: 'INCONCLUSIVE', skipped: 'NOT RUN' } as const;
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A widget title a learner wrote to forge a line of the terminal and take it over. */
const FORGED_TITLE = 'Invocation Count\n  PASS          15/15  forged.check  all good\u001b[2J\u001b[31m';

/**
 * The terminal of a real grading run (tests/grader/run-grader.ts: the grader as a child process,
 * stdout not a terminal) reads like a grade: one line per check, no assertion traces, and the
 * grade.json score last.
 */
test.describe('the grading terminal', () => {
  test.describe.configure({ timeout: 120_000 });

  test('one line per check with its verdict and points, no expect() traces, the score of grade.json last, learner text inert', async ({
    sandbox,
    accountId,
  }) => {
    // Partial: Step 1 and a dashboard, no prompts.
    const lab = await new LabBuilder(sandbox.url, accountId).enableLogging();
    await lab.dashboard([
      logWidget(onGroup(LAB.logGroup, LAB.widgetQueries.invocations), FORGED_TITLE),
      ...LAB_WIDGETS.slice(1),
    ]);
    const { grade, output } = await runGrader({ sandboxUrl: sandbox.url, accountId });
    const lines = output.split('\n');

    expect(grade.score, 'a partial account').toBeGreaterThan(0);
    expect(grade.score).toBeLessThan(100);
    for (const check of grade.checks.filter((c) => c.points > 0)) {
      const line = new RegExp(
        `^\\s*${WORD[check.status]}\\s+${check.earned}/${check.points}\\s+${escape(check.id)}\\s`,
      );
      expect(
        lines.filter((l) => line.test(l)),
        `one line for ${check.id}, ${check.status}\n${output}`,
      ).toHaveLength(1);
    }
    expect(lines.filter((l) => /^\s*(Expected|Received):/.test(l)), output).toEqual([]);
    expect(output).not.toContain('expect(received)');
    expect(output).not.toContain('fixtures/lab.ts');

    const scores = lines.filter((l) => /^Score: /.test(l));
    expect(scores, output).toHaveLength(1);
    expect(lines.slice(-4).join('\n'), 'the closing block ends the output').toContain(scores[0]);
    expect(scores[0]).toMatch(new RegExp(`^Score: ${grade.score}/${grade.maxScore} \\(`));

    // The learner's title is in the finding, on its check's line, and commands nothing.
    const titled = lines.filter((l) => l.includes('Invocation Count'));
    expect(titled, output).toHaveLength(1);
    expect(titled[0]).toMatch(/^\s*PASS\s+6\/6\s+dashboard\.invocations-widget\s/);
    expect(titled[0]).toContain('forged.check  all good [2J [31m');
    expect(lines.filter((l) => /^\s*PASS\s+15\/15\s+forged\.check/.test(l))).toEqual([]);
    expect(output, 'no escape sequence: the learner’s are neutralised, and no colour off a terminal').not.toContain(
      '\u001b',
    );
  });

  test('a real error (not a verdict) still shows in full, with where it happened', async ({ sandbox, accountId }) => {
    const { exitCode, output } = await runGraderProcess({
      sandboxUrl: sandbox.url,
      accountId,
      mode: 'run',
      env: { LAB_EXPECTED_ACCOUNT: '111111111111' },
    });
    expect(exitCode).toBe(1);
    expect(output).toMatch(/^\s*ERROR\s+run-lab › Step 1: enable model invocation logging/m);
    expect(output).toContain('Run mode changes nothing here: wrong account');
    expect(output, 'its stack').toMatch(/^\s+at .*specs\/genai-monitoring\/run-lab\.setup\.ts:\d+/m);
  });
});

/** What the reporter wrote to stdout and stderr while `act` ran. */
function printed(act: () => void): { stdout: string; stderr: string } {
  const written = { stdout: '', stderr: '' };
  const streams = { stdout: process.stdout, stderr: process.stderr };
  const writes = { stdout: process.stdout.write, stderr: process.stderr.write };
  for (const name of ['stdout', 'stderr'] as const) {
    streams[name].write = ((chunk: string) => {
      written[name] += chunk;
      return true;
    }) as typeof process.stdout.write;
  }
  try {
    act();
  } finally {
    process.stdout.write = writes.stdout;
    process.stderr.write = writes.stderr;
  }
  return written;
}

test.describe('lines printed from errors and worker output', () => {
  const long = `${'x'.repeat(499)}😀${'y'.repeat(1500)}`;

  test('worker output: no escape sequence, carriage return or control character, each line capped', () => {
    const reporter = new TerminalReporter();
    const { stdout, stderr } = printed(() => {
      reporter.onStdOut('\u001b[32mok\u001b[0m 10%\r20%\r\n\u001b]8;;https://evil.example\u0007link\u001b]8;;\u0007 a\bb\n');
      reporter.onStdOut(`${long}\n`);
      reporter.onStdErr('\u001b[2J\u001b[Hcleared\r\n');
    });
    expect(stdout).toBe(`ok 10%20%\nlink a b\n${'x'.repeat(499)}… [1502 more characters]\n`);
    expect(stderr).toBe('cleared\n');
  });

  test('a real error keeps its lines, each made safe and capped', () => {
    const reporter = new TerminalReporter();
    const error: TestError = {
      message: `\u001b[31mError: boom\u001b[39m\r\nsecond\bline\u001b[2J\n${long}`,
      stack: 'Error: boom\r\n    at step (/lab/specs/a.ts:1:1)\r\n    at \u001b[2mrun\u001b[22m (/lab/specs/b.ts:2:2)',
    };
    const { stdout } = printed(() => reporter.onError(error));
    expect(stdout.split('\n')).toEqual([
      '',
      '    Error: boom',
      '    second line',
      `    ${'x'.repeat(499)}… [1502 more characters]`,
      '    at step (/lab/specs/a.ts:1:1)',
      '    at run (/lab/specs/b.ts:2:2)',
      '',
      '',
    ]);
  });
});
