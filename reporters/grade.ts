import type { Actor, Grade, RecordedVerdict } from '../helpers/grade-contract';
import { maxScore, type LabDefinition } from '../helpers/lab-definition';
import { quantity } from '../helpers/verdict';
import { oneLine } from '../helpers/escape';

/**
 * A grade's score and status from its checks: points earned over the rubric's full points. A
 * check the grader could not decide earns nothing and stays in the maximum, so blocking the
 * grader can only lose points.
 */
export function summarize(
  checks: readonly RecordedVerdict[],
  lab: LabDefinition,
): Pick<Grade, 'score' | 'maxScore' | 'status' | 'inconclusive'> {
  const undecided = checks.filter((c) => c.status === 'inconclusive');
  return {
    score: checks.reduce((sum, c) => sum + (c.status === 'pass' ? c.earned : 0), 0),
    maxScore: maxScore(lab),
    status: undecided.length ? 'incomplete' : 'complete',
    inconclusive: undecided.map((c) => ({
      id: c.id,
      points: c.points,
      reason: c.message,
      actor: c.actor ?? 'instructor',
    })),
  };
}

/** Score over the full points, to two decimals: what was not decided counts as not earned. */
export function percent(grade: Pick<Grade, 'score' | 'maxScore'>): string {
  return String(Math.round((grade.score / grade.maxScore) * 10_000) / 100);
}

function countStatuses(grade: Grade): Record<RecordedVerdict['status'], number> {
  const counts = { pass: 0, fail: 0, inconclusive: 0, skipped: 0 };
  for (const c of grade.checks) counts[c.status]++;
  return counts;
}

/** Who must act, as the reports say it. */
export const ACT: Record<Actor, string> = {
  learner: 'the learner must act',
  instructor: 'whoever runs the grader must act',
};

/** `Score: 40/100 (40%), incomplete: ...` */
export function scoreLine(grade: Grade): string {
  const counts = countStatuses(grade);
  const tally = `${counts.pass} passed, ${counts.fail} failed, ${counts.inconclusive} inconclusive${counts.skipped ? `, ${counts.skipped} not run` : ''}`;
  if (grade.status === 'complete')
    return `Score: ${grade.score}/${grade.maxScore} (${percent(grade)}%), complete: ${tally}.`;
  const points = grade.inconclusive.reduce((sum, c) => sum + c.points, 0);
  return (
    `Score: ${grade.score}/${grade.maxScore} (${percent(grade)}%), INCOMPLETE: ${tally}; ` +
    `${quantity(grade.inconclusive.length, 'check')} worth ${quantity(points, 'point')} could not be decided and earned nothing.`
  );
}

/** One line per distinct cause of an incomplete grade, each naming who must act. */
export function causeLines(grade: Grade): string[] {
  const causes = new Map<string, { actor: Actor; ids: string[] }>();
  for (const c of grade.inconclusive) {
    const cause = causes.get(c.reason) ?? { actor: c.actor, ids: [] };
    cause.ids.push(c.id);
    causes.set(c.reason, cause);
  }
  const ran = grade.checks.filter((c) => c.status !== 'skipped').length;
  return [...causes].map(
    ([reason, { actor, ids }]) =>
      `Cause (${ACT[actor]}; ${ids.length === ran ? 'every check' : ids.join(', ')}): ${oneLine(reason)}`,
  );
}
