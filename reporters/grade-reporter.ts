import type { FullConfig, Reporter, Suite, TestCase, TestResult } from '@playwright/test/reporter';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IDENTITY_ANNOTATION, NOTE_ANNOTATION, VERDICT_ANNOTATION, type RecordedVerdict } from '../fixtures/lab';
import { RUBRIC } from '../helpers/rubric';

export interface Grade {
  lab: string;
  learner: string;
  accountId?: string;
  region?: string;
  target?: string;
  mode?: string;
  startedAt: string;
  finishedAt: string;
  /** Points earned on the checks the grader could decide. */
  score: number;
  /** Points of the checks the grader could decide: inconclusive checks count in neither. */
  maxScore: number;
  /** Points waiting on inconclusive checks: grade again to settle them. */
  inconclusivePoints: number;
  checks: RecordedVerdict[];
  notes: { id: string; message: string }[];
}

export const LAB_TITLE = 'Lab 5: Monitoring GenAI Applications with CloudWatch';

/**
 * Turns the checks' recorded verdicts into the grade contract: `grade.json`, `grade.md`, and
 * the job summary on GitHub Actions.
 */
export default class GradeReporter implements Reporter {
  private readonly reportsDir: string;
  private readonly startedAt = new Date();
  private readonly verdicts = new Map<string, RecordedVerdict>();
  private readonly notes = new Map<string, string>();
  private identity: Partial<Grade> & { learner?: string } = {};

  constructor(options: { reportsDir?: string } = {}) {
    this.reportsDir = options.reportsDir ?? 'reports';
  }

  printsToStdio(): boolean {
    return true;
  }

  onBegin(_config: FullConfig, _suite: Suite): void {}

  onTestEnd(test: TestCase, result: TestResult): void {
    for (const annotation of result.annotations ?? test.annotations) {
      if (!annotation.description) continue;
      if (annotation.type === VERDICT_ANNOTATION) {
        const verdict = JSON.parse(annotation.description) as RecordedVerdict;
        this.verdicts.set(verdict.id, verdict);
      } else if (annotation.type === NOTE_ANNOTATION) {
        const { id, message } = JSON.parse(annotation.description) as { id: string; message: string };
        if (!this.notes.has(id)) this.notes.set(id, message);
      } else if (annotation.type === IDENTITY_ANNOTATION) {
        this.identity = JSON.parse(annotation.description) as typeof this.identity;
      }
    }
  }

  onEnd(): void {
    const grade = this.grade();
    mkdirSync(this.reportsDir, { recursive: true });
    writeFileSync(join(this.reportsDir, 'grade.json'), `${JSON.stringify(grade, null, 2)}\n`);
    const markdown = gradeMarkdown(grade);
    writeFileSync(join(this.reportsDir, 'grade.md'), markdown);
    if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, `${markdown}\n`);
    const counts = countStatuses(grade);
    console.log(
      `\n${LAB_TITLE}\nScore: ${grade.score}/${grade.maxScore}` +
        ` (${counts.pass} passed, ${counts.fail} failed, ${counts.inconclusive} inconclusive${counts.skipped ? `, ${counts.skipped} not run` : ''})` +
        (grade.inconclusivePoints ? `; ${grade.inconclusivePoints} points wait on inconclusive checks` : '') +
        `\nReports: ${join(this.reportsDir, 'grade.md')}, ${join(this.reportsDir, 'grade.json')}, ${join(this.reportsDir, 'html', 'index.html')}`,
    );
  }

  private grade(): Grade {
    const checks = RUBRIC.map((item): RecordedVerdict => {
      const recorded = this.verdicts.get(item.id);
      if (recorded) return recorded;
      // A check that never ran: filtered out (0-point evidence) or blocked by a failed setup.
      return {
        id: item.id,
        step: item.step,
        title: item.title,
        status: item.points === 0 ? 'skipped' : 'inconclusive',
        points: item.points,
        earned: 0,
        message: 'The check did not run in this run (filtered out, or the step before it failed).',
        hint: '',
      };
    });
    const decided = checks.filter((c) => c.status === 'pass' || c.status === 'fail');
    return {
      lab: LAB_TITLE,
      learner: this.identity.learner ?? 'self',
      accountId: this.identity.accountId,
      region: this.identity.region,
      target: this.identity.target,
      mode: this.identity.mode,
      startedAt: this.startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      score: decided.reduce((sum, c) => sum + c.earned, 0),
      maxScore: decided.reduce((sum, c) => sum + c.points, 0),
      inconclusivePoints: checks.filter((c) => c.status === 'inconclusive').reduce((sum, c) => sum + c.points, 0),
      checks,
      notes: [...this.notes].map(([id, message]) => ({ id, message })),
    };
  }
}

function countStatuses(grade: Grade): Record<RecordedVerdict['status'], number> {
  const counts = { pass: 0, fail: 0, inconclusive: 0, skipped: 0 };
  for (const c of grade.checks) counts[c.status]++;
  return counts;
}

const MARK: Record<RecordedVerdict['status'], string> = {
  pass: 'pass',
  fail: '**fail**',
  inconclusive: '_inconclusive_',
  skipped: 'not run',
};

export function gradeMarkdown(grade: Grade): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = [
    `## ${grade.lab}`,
    '',
    `Learner **${grade.learner}**, account ${grade.accountId ?? 'unknown'}, ${grade.region ?? ''} (${grade.target ?? ''}, ${grade.mode ?? ''} mode)`,
    '',
    `**Score: ${grade.score} / ${grade.maxScore}**${grade.inconclusivePoints ? ` — ${grade.inconclusivePoints} points inconclusive: grade again` : ''}`,
    '',
    '| Step | Check | Result | Points | Finding |',
    '|---|---|---|---|---|',
    ...grade.checks.map(
      (c) =>
        `| ${c.step} | ${c.id} | ${MARK[c.status]} | ${c.earned}/${c.points} | ${cell(c.message)}${c.hint ? ` _Hint: ${cell(c.hint)}_` : ''} |`,
    ),
  ];
  if (grade.notes.length) lines.push('', '### Notes on the lab', '', ...grade.notes.map((n) => `- ${n.message}`));
  return `${lines.join('\n')}\n`;
}
