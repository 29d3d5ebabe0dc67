import type { RecordedVerdict } from '../fixtures/lab';
import { MAX_SCORE } from '../helpers/rubric';
import { counted, type Actor } from '../helpers/verdict';
import { oneLine } from '../helpers/escape';

/** One learner's grade: grade.json, grades/<learner_id>.json, and every report made from them. */
export interface Grade {
  lab: string;
  learner: string;
  accountId?: string;
  region?: string;
  target?: string;
  mode?: string;
  startedAt: string;
  finishedAt: string;
  /** Points earned. */
  score: number;
  /** The rubric's full points, always: a check the grader could not decide never shrinks it. */
  maxScore: number;
  /** `incomplete` when any check was inconclusive: it earned nothing, and grading again may change that. */
  status: 'complete' | 'incomplete';
  /** The checks the grader could not decide, each with its points (not earned), reason, and who must act. */
  inconclusive: { id: string; points: number; reason: string; actor: Actor }[];
  checks: RecordedVerdict[];
  /**
   * Set when the run was filtered (`--grep`, a single spec) so some scored checks never ran:
   * the checks that did. Such a grade is written beside the last complete one, never over it.
   */
  partial?: { checksRun: string[] };
  notes: { id: string; message: string }[];
}

/**
 * A grade's score and status from its checks: points earned over the rubric's full points. A
 * check the grader could not decide earns nothing and stays in the maximum, so blocking the
 * grader can only lose points.
 */
export function summarize(
  checks: readonly RecordedVerdict[],
): Pick<Grade, 'score' | 'maxScore' | 'status' | 'inconclusive'> {
  const undecided = checks.filter((c) => c.status === 'inconclusive');
  return {
    score: checks.reduce((sum, c) => sum + (c.status === 'pass' ? c.earned : 0), 0),
    maxScore: MAX_SCORE,
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
    `${counted(grade.inconclusive.length, 'check')} worth ${counted(points, 'point')} could not be decided and earned nothing.`
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
