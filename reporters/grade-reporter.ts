import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';
import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  IDENTITY_ANNOTATION,
  LEARNER_ANNOTATION,
  NOTE_ANNOTATION,
  RUN_OUTCOME,
  VERDICT_ANNOTATION,
  type Grade,
  type IdentityTag,
  type LabNote,
  type LearnerTag,
  type RecordedVerdict,
} from '../helpers/grade-contract';
import { redact } from '../helpers/redact';
import { quantity } from '../helpers/verdict';
import { markdownText, oneLine } from '../helpers/escape';
import { chosenLab, type LabDefinition } from '../helpers/lab-definition';
import { loadSettings } from '../helpers/settings';
import { ACT, causeLines, percent, scoreLine, summarize } from './grade';
import { gradebookCsv, gradebookMarkdown } from './gradebook';
import { gradebookPage, gradePage } from './grade-page';
import { junitXml } from './junit';

export interface GradeReporterOptions {
  reportsDir?: string;
  /** Whose grade untagged results count for (LAB_LEARNER). */
  learner?: string;
  /** The roster's learners, in its order: each gets a grade even when none of its checks ran. */
  roster?: { learnerId: string; accountId: string }[];
}

/** What one learner's results said. */
interface LearnerResults {
  verdicts: Map<string, RecordedVerdict>;
  notes: Map<string, string>;
  /** Console checks' screenshots (`<check id>.png`), for the grade page. */
  screenshots: Map<string, Buffer>;
  identity: Partial<IdentityTag>;
  rosterAccount?: string;
  fromRoster: boolean;
  startMs: number;
  endMs: number;
}

/**
 * Turns the checks' recorded verdicts into the grade contract. One learner: `grade.json`,
 * `grade.md`. A roster (or merged shards of one): `grades/<learner_id>.json` and `.md` for each,
 * `gradebook.csv` and `gradebook.md`. The job summary on GitHub Actions gets the markdown.
 * Everything comes from the results' annotations, so a merge of blob reports (`npm run
 * merge-reports`) grades exactly as the run itself did.
 */
export default class GradeReporter implements Reporter {
  private readonly lab: LabDefinition;
  private readonly reportsDir: string;
  private readonly defaultLearner: string;
  private readonly roster: NonNullable<GradeReporterOptions['roster']>;
  private readonly startedAt = Date.now();
  private readonly learners = new Map<string, LearnerResults>();
  /** Labs other than this one that results were recorded for (blob reports of another lab's run). */
  private readonly otherLabs = new Set<string>();
  /** Every test that ended (once, whatever its retries), for the run's outcome. */
  private readonly tests = new Set<TestCase>();

  constructor(options: GradeReporterOptions = {}) {
    this.lab = chosenLab(loadSettings()).definition;
    this.reportsDir = options.reportsDir ?? 'reports';
    this.defaultLearner = options.learner ?? 'self';
    this.roster = options.roster ?? [];
  }

  printsToStdio(): boolean {
    return true;
  }

  private results(learner: string): LearnerResults {
    let found = this.learners.get(learner);
    if (!found) {
      found = {
        verdicts: new Map(),
        notes: new Map(),
        screenshots: new Map(),
        identity: {},
        fromRoster: false,
        startMs: Infinity,
        endMs: -Infinity,
      };
      this.learners.set(learner, found);
    }
    return found;
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    this.tests.add(test);
    const annotations = (result.annotations ?? test.annotations).filter((a) => a.description);
    const parse = <T>(type: string) =>
      annotations.filter((a) => a.type === type).map((a) => JSON.parse(a.description!) as T);
    const [tag] = parse<LearnerTag>(LEARNER_ANNOTATION);
    if (tag && tag.labId !== this.lab.id) {
      this.otherLabs.add(tag.labId ?? 'unknown (results recorded before they named their lab)');
      return;
    }
    const [identity] = parse<IdentityTag>(IDENTITY_ANNOTATION);
    const projectLearner = (test.parent.project()?.use as { learner?: { learnerId?: string } } | undefined)
      ?.learner;
    const learner = tag?.learner ?? identity?.learner ?? projectLearner?.learnerId ?? this.defaultLearner;
    const found = this.results(learner);
    if (tag?.roster) {
      found.fromRoster = true;
      found.rosterAccount = tag.accountId;
    }
    if (identity) found.identity = identity;
    const verdicts = parse<RecordedVerdict>(VERDICT_ANNOTATION);
    for (const verdict of verdicts) found.verdicts.set(verdict.id, verdict);
    const crashed = unfinishedCheck(this.lab, test, result);
    if (verdicts.length === 0 && crashed) found.verdicts.set(crashed.id, crashed);
    for (const { id, message } of parse<LabNote>(NOTE_ANNOTATION)) {
      if (!found.notes.has(id)) found.notes.set(id, message);
    }
    for (const verdict of verdicts) {
      const screenshot = (result.attachments ?? []).find(
        (a) => a.name === `${verdict.id}.png` && a.contentType === 'image/png',
      );
      const png = screenshot && attachmentBytes(screenshot);
      if (png) found.screenshots.set(verdict.id, png);
    }
    // When the learner was graded: from the results themselves, so a merged report keeps the run's times.
    const start = result.startTime.getTime();
    found.startMs = Math.min(found.startMs, start);
    found.endMs = Math.max(found.endMs, start + result.duration);
  }

  /**
   * Writes the grades, and fails the run when a grade is incomplete or nothing was graded:
   * Playwright then exits 1, as it does when a check fails, so a run exits 0 only when every
   * check of every grade passed.
   */
  async onEnd(result: Pick<FullResult, 'status'>): Promise<{ status?: FullResult['status'] } | undefined> {
    const verdict = this.finish();
    // What the run's exit status says, for `npm run merge-reports`: a merge's exit says only
    // whether its reporters threw, so the script reads the outcome here. Playwright's status
    // carries what no test does (a worker's teardown, a file that did not load).
    const failed =
      result.status !== 'passed' ||
      verdict?.status === 'failed' ||
      [...this.tests].some((t) => t.outcome() === 'unexpected');
    mkdirSync(join(this.reportsDir, '.lab'), { recursive: true });
    writeFileSync(join(this.reportsDir, RUN_OUTCOME), JSON.stringify({ failed }));
    return verdict;
  }

  private finish(): { status?: FullResult['status'] } | undefined {
    if (this.otherLabs.size) {
      // Another lab's verdicts graded by this rubric would be a grade of nothing real.
      console.error(
        `The results are of the lab ${[...this.otherLabs].map(oneLine).join(', ')}, not ${this.lab.id}, which LAB chooses: no grade was written. Set LAB to the lab they are of.`,
      );
      return { status: 'failed' };
    }
    const graded = [...this.learners.values()].some((l) => l.verdicts.size > 0);
    if (!graded && this.roster.length === 0) {
      console.log(
        `\n${this.lab.title}\nNo check ran, so no grade was written (the run was filtered to other tests, or stopped before its checks).`,
      );
      return { status: 'failed' };
    }
    mkdirSync(this.reportsDir, { recursive: true });
    const rosterRun = this.roster.length > 0 || [...this.learners.values()].some((l) => l.fromRoster);
    const grades = rosterRun ? this.writeGradebook() : [this.writeSingle()];
    writeFileSync(join(this.reportsDir, 'junit.xml'), junitXml(grades));
    writeAllureEnvironment(this.reportsDir, grades);
    return grades.some((g) => g.status === 'incomplete') ? { status: 'failed' } : undefined;
  }

  private writeSingle(): Grade {
    // One learner graded: the one named, or the only one the results name.
    const seen = [...this.learners.keys()];
    const learner = seen.length === 1 ? seen[0]! : this.defaultLearner;
    const grade = this.grade(learner);
    const ran = grade.checks.filter((c) => c.points > 0 && this.results(learner).verdicts.has(c.id));
    if (ran.length < grade.checks.filter((c) => c.points > 0).length)
      grade.partial = { checksRun: ran.map((c) => c.id) };
    // A filtered run's grade goes beside the last complete one, never over it.
    const base = join(this.reportsDir, grade.partial ? 'grade.partial' : 'grade');
    writeFileSync(`${base}.json`, `${JSON.stringify(grade, null, 2)}\n`);
    const markdown = gradeMarkdown(grade);
    writeFileSync(`${base}.md`, markdown);
    writeFileSync(`${base}.html`, gradePage(grade, this.results(learner).screenshots));
    if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, `${markdown}\n`);
    console.log(
      `\n${this.lab.title}\n${scoreLine(grade)}\n` +
        (grade.partial
          ? `Partial run: ${ran.length} of the ${grade.checks.filter((c) => c.points > 0).length} scored checks ran; ${this.lastFullGrade()}\n`
          : causeLines(grade)
              .map((line) => `${line}\n`)
              .join('')) +
        `Reports: ${base}.html, ${base}.md, ${base}.json, ${join(this.reportsDir, 'html', 'index.html')}`,
    );
    return grade;
  }

  /** What a partial run says of the grade.json beside it, which it leaves as it was. */
  private lastFullGrade(): string {
    const file = join(this.reportsDir, 'grade.json');
    let last: Pick<Grade, 'labId' | 'lab'> | undefined;
    try {
      last = JSON.parse(readFileSync(file, 'utf8')) as Grade;
    } catch {
      return `there is no full grade (${file}) yet.`;
    }
    return last.labId === this.lab.id
      ? `${file}, the last full grade, is left as it was.`
      : `${file} is a grade of another lab (${oneLine(String(last.labId ?? last.lab))}), left as it was.`;
  }

  private writeGradebook(): Grade[] {
    // The roster's order first, then anyone the results name that the roster doesn't (merged
    // shards of another roster): nobody graded is dropped.
    const order = [
      ...this.roster.map((r) => r.learnerId),
      ...[...this.learners.keys()].filter((id) => !this.roster.some((r) => r.learnerId === id)).sort(),
    ];
    const grades = order.map((learner) =>
      this.grade(learner, this.roster.find((r) => r.learnerId === learner)?.accountId),
    );
    const dir = join(this.reportsDir, 'grades');
    // Grades of an earlier run (a learner since removed from the roster) would pass for this run's.
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    for (const grade of grades) {
      writeFileSync(join(dir, `${grade.learner}.json`), `${JSON.stringify(grade, null, 2)}\n`);
      writeFileSync(join(dir, `${grade.learner}.md`), gradeMarkdown(grade));
      writeFileSync(
        join(dir, `${grade.learner}.html`),
        gradePage(grade, this.results(grade.learner).screenshots),
      );
    }
    writeFileSync(join(this.reportsDir, 'gradebook.html'), gradebookPage(grades, this.lab.title));
    writeFileSync(join(this.reportsDir, 'gradebook.csv'), gradebookCsv(grades, this.lab));
    const markdown = gradebookMarkdown(grades, this.lab.title);
    writeFileSync(join(this.reportsDir, 'gradebook.md'), markdown);
    if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, `${markdown}\n`);
    const width = Math.max(...grades.map((g) => g.learner.length));
    const incomplete = grades.filter((g) => g.status === 'incomplete');
    console.log(
      `\n${this.lab.title}: ${quantity(grades.length, 'learner')}\n` +
        grades
          .map((g) => {
            const cause = g.inconclusive[0];
            return `  ${oneLine(g.learner).padEnd(width)}  ${`${g.score}/${g.maxScore}`.padStart(7)}  ${`${percent(g)}%`.padStart(7)}  ${g.status}${cause ? ` (${g.inconclusive.length} undecided; ${ACT[cause.actor]}: ${oneLine(cause.reason)})` : ''}`;
          })
          .join('\n') +
        (incomplete.length
          ? `\n${quantity(incomplete.length, 'grade is', 'grades are')} incomplete: their undecided checks earned nothing; grade again once the cause is fixed.`
          : '') +
        `\nReports: ${join(this.reportsDir, 'gradebook.html')}, ${join(this.reportsDir, 'gradebook.csv')}, ${join(this.reportsDir, 'gradebook.md')}, ${join(dir, '<learner_id>.json')}, ${join(this.reportsDir, 'html', 'index.html')}`,
    );
    return grades;
  }

  private grade(learner: string, rosterAccount?: string): Grade {
    const found = this.results(learner);
    // Results of another version of the lab (a shard run from an older checkout, say) may carry
    // checks this rubric lacks: they earn nothing here, and the instructor hears of it.
    const unknown = [...found.verdicts.keys()].filter(
      (id) => !this.lab.rubric.some((item) => item.id === id),
    );
    if (unknown.length) {
      console.error(
        `Warning: the results of learner ${oneLine(learner)} have verdicts for checks that are not in the rubric of ${this.lab.title}, left out of their grade: ${unknown.map(oneLine).join(', ')}.`,
      );
    }
    const checks = this.lab.rubric.map((item): RecordedVerdict => {
      const recorded = found.verdicts.get(item.id);
      // Points, step and title are this rubric's: results of another version of the lab keep
      // their verdict, never the points that version gave it.
      if (recorded)
        return {
          ...recorded,
          step: item.step,
          title: item.title,
          points: item.points,
          earned: recorded.status === 'pass' ? item.points : 0,
        };
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
        ...(item.points > 0 && { actor: 'instructor' as const }),
      };
    });
    const ran = Number.isFinite(found.startMs);
    return {
      lab: this.lab.title,
      labId: this.lab.id,
      learner,
      // A roster names the account graded, even when the credentials led elsewhere (wrong account).
      accountId: rosterAccount ?? found.rosterAccount ?? found.identity.accountId,
      region: found.identity.region,
      target: found.identity.target,
      mode: found.identity.mode,
      startedAt: new Date(ran ? found.startMs : this.startedAt).toISOString(),
      finishedAt: new Date(ran ? found.endMs : Date.now()).toISOString(),
      ...summarize(checks, this.lab),
      checks,
      notes: [...found.notes].map(([id, message]) => ({ id, message })),
    };
  }
}

/**
 * A check that ended without a verdict (it timed out, or the grader itself crashed): the grader
 * could not tell, so it is inconclusive, with what stopped it.
 */
function unfinishedCheck(
  lab: LabDefinition,
  test: TestCase,
  result: TestResult,
): RecordedVerdict | undefined {
  const id = test.annotations.find((a) => a.type === 'rubric')?.description;
  const item = lab.rubric.find((i) => i.id === id);
  if (!item || result.status === 'passed' || result.status === 'skipped') return undefined;
  const reason = result.error?.message?.split('\n')[0] ?? result.status;
  return {
    id: item.id,
    step: item.step,
    title: item.title,
    status: 'inconclusive',
    points: item.points,
    earned: 0,
    message: String(redact(`The check did not finish (${result.status}): ${reason}`)),
    hint: '',
    actor: 'instructor',
  };
}

const MARK: Record<RecordedVerdict['status'], string> = {
  pass: 'pass',
  fail: '**fail**',
  inconclusive: '_inconclusive_',
  skipped: 'not run',
};

export function gradeMarkdown(grade: Grade): string {
  const md = markdownText;
  const lines = [
    `## ${grade.lab}`,
    '',
    `Learner **${md(grade.learner)}**, account ${md(grade.accountId ?? 'unknown')}, ${md(grade.region ?? '')} (${grade.target ?? ''}, ${grade.mode ?? ''} mode)`,
    '',
    `**Score: ${grade.score} / ${grade.maxScore}** (${percent(grade)}%), ${grade.status === 'complete' ? 'complete' : '**incomplete**'}`,
  ];
  if (grade.partial) {
    lines.push('', `**Partial run**: only ${grade.partial.checksRun.join(', ') || 'no scored check'} ran.`);
  }
  if (grade.status === 'incomplete') {
    lines.push(
      '',
      'Checks the grader could not decide earned nothing; grade again once the cause is fixed:',
      '',
      ...causeLines(grade).map((line) => `- ${md(line)}`),
    );
  }
  lines.push(
    '',
    '| Step | Check | Result | Points | Finding |',
    '|---|---|---|---|---|',
    ...grade.checks.map(
      (c) =>
        `| ${c.step} | ${c.id} | ${MARK[c.status]} | ${c.earned}/${c.points} | ${md(c.message)}${c.hint ? ` _Hint: ${md(c.hint)}_` : ''} |`,
    ),
  );
  if (grade.notes.length)
    lines.push('', '### Notes on the lab', '', ...grade.notes.map((n) => `- ${md(n.message)}`));
  return `${lines.join('\n')}\n`;
}

/**
 * The Allure report's environment panel carries each grade's score and status (Allure reads
 * `environment.properties` from the results folder).
 */
function writeAllureEnvironment(reportsDir: string, grades: Grade[]): void {
  const dir = join(reportsDir, 'allure-results');
  mkdirSync(dir, { recursive: true });
  const property = (key: string, value: string) =>
    `${key.replace(/[\s=:\\]/g, '_')}=${oneLine(value).replace(/\\/g, '\\\\')}`;
  const lines = grades.map((g) =>
    property(`Grade ${g.learner}`, `${g.score}/${g.maxScore} (${percent(g)}%), ${g.status}`),
  );
  writeFileSync(join(dir, 'environment.properties'), `${lines.join('\n')}\n`);
}

/** An attachment's bytes, when they are a PNG: in memory, or in the file a merged report points to. */
function attachmentBytes(attachment: TestResult['attachments'][number]): Buffer | undefined {
  let bytes = attachment.body;
  if (!bytes && attachment.path) {
    try {
      bytes = readFileSync(attachment.path);
    } catch {
      return undefined; // a merged report whose attachments were not kept
    }
  }
  return bytes && bytes.subarray(0, 8).equals(PNG_SIGNATURE) ? bytes : undefined;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
