import { stringify } from 'csv-stringify/sync';
import { markdownText } from '../helpers/escape';
import type { Grade } from '../helpers/grade-contract';
import type { LabDefinition } from '../helpers/lab-definition';
import { causeLines, percent } from './grade';

export function gradebookColumns(lab: LabDefinition): string[] {
  return [
    'learner_id',
    'account_id',
    'score',
    'max_score',
    'percent',
    'status',
    ...lab.rubric.map((item) => item.id),
  ];
}

/**
 * A check's cell: the points earned, fractions as they are; a check the grader could not decide
 * says `inconclusive` (never a 0 an LMS would count), one that did not apply says `skipped`.
 */
function cell(check: Grade['checks'][number] | undefined): string {
  if (!check) return 'inconclusive';
  if (check.status === 'inconclusive' || check.status === 'skipped') return check.status;
  return String(check.earned);
}

export function gradebookRows(grades: Grade[], lab: LabDefinition): string[][] {
  return grades.map((grade) => {
    const byId = new Map(grade.checks.map((c) => [c.id, c]));
    return [
      grade.learner,
      grade.accountId ?? '',
      String(grade.score),
      String(grade.maxScore),
      percent(grade),
      grade.status,
      ...lab.rubric.map((item) => cell(byId.get(item.id))),
    ];
  });
}

/** The class as a CSV an LMS can import: one row per learner, one column per rubric id. */
export function gradebookCsv(grades: Grade[], lab: LabDefinition): string {
  // Every value is already text: account ids keep their leading zeros.
  return stringify([gradebookColumns(lab), ...gradebookRows(grades, lab)], { eof: true });
}

/** The class at a glance: one line per learner, the lab notes once. */
export function gradebookMarkdown(grades: Grade[], title: string): string {
  const md = markdownText;
  const count = (grade: Grade, status: string) => grade.checks.filter((c) => c.status === status).length;
  const mean = grades.length
    ? Math.round((grades.reduce((sum, g) => sum + g.score / g.maxScore, 0) / grades.length) * 10_000) / 100
    : undefined;
  const incomplete = grades.filter((g) => g.status === 'incomplete').length;
  const lines = [
    `## ${title}: gradebook`,
    '',
    `${grades.length} learner${grades.length === 1 ? '' : 's'}` +
      (mean === undefined ? '' : `; mean ${mean}%`) +
      (incomplete
        ? `; **${incomplete} incomplete** (undecided checks earned nothing: grade again once the cause is fixed)`
        : '') +
      '.',
    '',
    '| Learner | Account | Score | % | Status | Passed | Failed | Inconclusive | Why incomplete |',
    '|---|---|---|---|---|---|---|---|---|',
    ...grades.map((g) => {
      const causes = causeLines(g);
      return (
        `| ${md(g.learner)} | ${md(g.accountId ?? '')} | ${g.score}/${g.maxScore} | ${percent(g)} | ${g.status === 'complete' ? 'complete' : '**incomplete**'} | ` +
        `${count(g, 'pass')} | ${count(g, 'fail')} | ${count(g, 'inconclusive')} | ${md(causes.slice(0, 2).join(' / '))} |`
      );
    }),
  ];
  const notes = new Map(grades.flatMap((g) => g.notes.map((n) => [n.id, n.message] as const)));
  if (notes.size) lines.push('', '### Notes on the lab', '', ...[...notes.values()].map((m) => `- ${md(m)}`));
  lines.push('', 'Each learner’s checks, findings and hints: `grades/<learner_id>.json` and `.md`.');
  return `${lines.join('\n')}\n`;
}
