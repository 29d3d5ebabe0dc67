import type {
  FullConfig,
  FullResult,
  Reporter,
  Suite,
  TestCase,
  TestError,
  TestResult,
} from '@playwright/test/reporter';
import { relative } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import {
  LEARNER_ANNOTATION,
  VERDICT_ANNOTATION,
  type LearnerTag,
  type RecordedVerdict,
} from '../helpers/grade-contract';
import { oneLine } from '../helpers/escape';
import { redact } from '../helpers/redact';
import { quantity } from '../helpers/verdict';
import { chosenLab } from '../helpers/lab-definition';
import { loadSettings } from '../helpers/settings';

/** Each verdict's word, and its colour (an SGR code) on a terminal. */
const VERDICT: Record<RecordedVerdict['status'], { word: string; colour: string }> = {
  pass: { word: 'PASS', colour: '32' },
  fail: { word: 'FAIL', colour: '31' },
  inconclusive: { word: 'INCONCLUSIVE', colour: '33' },
  skipped: { word: 'NOT RUN', colour: '2' },
};
const VERDICT_WIDTH = Math.max(...Object.values(VERDICT).map(({ word }) => word.length));

/**
 * Text that came from a result (a finding quotes the learner, an error may quote a request): one
 * inert line, no secrets.
 */
const inert = (text: string) => oneLine(redact(text) as string);

/** The longest line printed from an error or a worker's output: a minified bundle, a dump. */
const MAX_LINE_LENGTH = 500;

/**
 * Text from an error or a worker's output, as the lines to print: its own line breaks kept (a
 * stack is many lines), and in each no escape sequence, carriage return (a progress bar's) or
 * other control character, no secret, and at most MAX_LINE_LENGTH characters.
 */
function terminalLines(text: string): string[] {
  const plain = stripVTControlCharacters(text).replace(/\r/g, '').split('\n').map(oneLine).join('\n');
  return (redact(plain) as string).split('\n').map(capped);
}

function capped(line: string): string {
  if (line.length <= MAX_LINE_LENGTH) return line;
  // Never half a surrogate pair.
  const end = /[\uD800-\uDBFF]/.test(line[MAX_LINE_LENGTH - 1]!) ? MAX_LINE_LENGTH - 1 : MAX_LINE_LENGTH;
  return `${line.slice(0, end)}… [${line.length - end} more characters]`;
}

/**
 * The grading run's terminal: one line per check as it ends (verdict, points earned of possible,
 * check, finding and hint), and in full only what is not a check's verdict: a setup step that
 * failed, a check that crashed, an error outside any test. A check's verdict is its finding, so
 * the expect() with which its test fails, and that code frame, are left to the HTML report. The
 * closing block (score, status and its causes, where the reports are) is the grade reporter's,
 * which comes after this one in the config.
 */
export default class TerminalReporter implements Reporter {
  private readonly colour = !!process.stdout.isTTY && !process.env.NO_COLOR;
  private readonly rubric = chosenLab(loadSettings()).definition.rubric;
  private readonly idWidth = Math.max(...this.rubric.map((item) => item.id.length));
  /** Where the user runs from: error locations are given relative to it. */
  private readonly rootDir = process.cwd();
  private errors = 0;

  printsToStdio(): boolean {
    return true;
  }

  onBegin(config: FullConfig, suite: Suite): void {
    const tests = suite.allTests();
    const checks = tests.filter((test) => rubricId(test)).length;
    this.print(
      `Grading: ${quantity(checks, 'check')} (${quantity(tests.length, 'test')}, ${quantity(config.workers, 'worker')})`,
    );
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    // Another attempt follows (--retries): only the last one says how the test ended.
    if (result.status !== 'passed' && result.status !== 'skipped' && result.retry < test.retries) return;
    // As the grade reporter reads them: a verdict is a runtime annotation of the attempt.
    const annotations = result.annotations ?? test.annotations;
    const find = (type: string) => annotations.find((a) => a.type === type && a.description)?.description;
    const verdict = find(VERDICT_ANNOTATION);
    const tag = find(LEARNER_ANNOTATION);
    const learner = tag ? (JSON.parse(tag) as LearnerTag) : undefined;
    const whose = learner?.roster ? `${inert(learner.learner)}  ` : '';
    if (verdict) return this.print(this.verdictLine(JSON.parse(verdict) as RecordedVerdict, whose));

    const item = this.rubric.find((i) => i.id === rubricId(test));
    const failed = result.status !== 'passed' && result.status !== 'skipped';
    if (item) {
      // A check without a verdict, as the grade counts it: it crashed (what stopped it is a real
      // error, printed below), or it never ran because a step before it failed.
      const message = failed
        ? `The check did not finish (${result.status}): ${result.error?.message ? terminalLines(result.error.message)[0] : result.status}`
        : 'The check did not run (the step before it failed, or it was skipped).';
      this.print(
        this.verdictLine(
          {
            id: item.id,
            step: item.step,
            title: item.title,
            status: failed || item.points > 0 ? 'inconclusive' : 'skipped',
            points: item.points,
            earned: 0,
            message,
            hint: '',
          },
          whose,
        ),
      );
    } else {
      // Setup, the run's lab steps, cleanup: what they did, and a warning or skip reason if they gave one.
      const said = annotations
        .filter((a) => (a.type === 'warning' || a.type === 'skip') && a.description)
        .map((a) => ` — ${inert(a.description!)}`)
        .join('');
      const word = (failed ? 'ERROR' : result.status === 'skipped' ? 'skipped' : 'ok').padEnd(VERDICT_WIDTH);
      this.print(`  ${failed ? this.paint('31', word) : word}  ${testName(test)}${said}`);
    }
    if (failed) for (const error of result.errors) this.printError(error);
  }

  onStdOut(chunk: string | Buffer): void {
    process.stdout.write(terminalLines(chunk.toString()).join('\n'));
  }

  onStdErr(chunk: string | Buffer): void {
    process.stderr.write(terminalLines(chunk.toString()).join('\n'));
  }

  onError(error: TestError): void {
    this.printError(error);
  }

  onEnd(result: FullResult): void {
    if (result.status === 'interrupted') this.print('The run was interrupted.');
    if (result.status === 'timedout') this.print('The run reached its global timeout.');
    if (this.errors) this.print(`${quantity(this.errors, 'error')} above stopped part of the run.`);
  }

  private verdictLine(verdict: RecordedVerdict, whose: string): string {
    const { word, colour } = VERDICT[verdict.status];
    const points = `${verdict.earned}/${verdict.points}`.padStart(5);
    const finding = inert(verdict.message);
    // A finding that quotes an error may end mid-sentence: the hint still starts a sentence of its own.
    const hint = verdict.hint ? `${/[.!?)]$/.test(finding) ? '' : '.'} Hint: ${inert(verdict.hint)}` : '';
    return `  ${this.paint(colour, word.padEnd(VERDICT_WIDTH))}  ${points}  ${whose}${inert(verdict.id).padEnd(this.idWidth)}  ${inert(verdict.title)} — ${finding}${hint}`;
  }

  /** A real error in full: its message, where it happened (with the code), and its stack. */
  private printError(error: TestError): void {
    this.errors++;
    const message = error.message ?? String(error.value ?? 'An unknown error.');
    const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
    const where = [
      ...(error.location
        ? [`at ${relative(this.rootDir, error.location.file)}:${error.location.line}`, error.snippet ?? '']
        : []),
      ...frames.map((frame) => frame.trim()),
    ].filter(Boolean);
    const lines = [
      ...terminalLines(message).map((line) => this.paint('31', line)),
      ...(where.length ? terminalLines(where.join('\n')) : []),
    ];
    this.print(`\n${lines.map((line) => `    ${line}`).join('\n')}\n`);
  }

  private paint(code: string, text: string): string {
    return this.colour ? `\u001b[${code}m${text}\u001b[0m` : text;
  }

  private print(line: string): void {
    process.stdout.write(`${line}\n`);
  }
}

function rubricId(test: TestCase): string | undefined {
  return test.annotations.find((a) => a.type === 'rubric')?.description;
}

/** `preflight: who is calling...`, `run-lab › Step 1: ...`: the project, when the title does not say it. */
function testName(test: TestCase): string {
  const project = test.parent.project()?.name;
  return project && !test.title.startsWith(`${project}:`) ? `${project} › ${test.title}` : test.title;
}
