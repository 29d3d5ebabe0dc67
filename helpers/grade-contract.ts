/**
 * The grade contract: what a check records on its test (annotations), what the reporters read
 * back, and the grade they write (grade.json, grades/<learner_id>.json). Specs, reporters and
 * scripts share it; it imports nothing at run time, so a reporter or script never loads the test
 * runner, the AWS SDK or Allure through it.
 */

/**
 * What a check concluded. `inconclusive` means the grader could not tell (throttled, a read
 * denied, endpoint unreachable, a wait exhausted): it earns nothing and never shrinks the
 * maximum, so it can never make a grade look better.
 */
export type CheckStatus = 'pass' | 'fail' | 'inconclusive' | 'skipped';

/**
 * Who must act before an inconclusive check can be decided: the learner (their account blocks a
 * read the grader needs) or the instructor, who runs the grader (its credentials, quotas,
 * network, or simply grading again later).
 */
export type Actor = 'learner' | 'instructor';

/** The annotation types a test carries for the grade reporters. */
export const VERDICT_ANNOTATION = 'lab-verdict';
export const NOTE_ANNOTATION = 'lab-note';
export const IDENTITY_ANNOTATION = 'lab-identity';
/** Whose check this was, so one run (or merged shards) can grade a whole roster. */
export const LEARNER_ANNOTATION = 'lab-learner';

/**
 * Where, under the reports folder, the grade reporter writes whether the run failed
 * (`{ "failed": boolean }`): any check failed or was undecided, a test broke, nothing was
 * graded. `npm run merge-reports` exits by it.
 */
export const RUN_OUTCOME = '.lab/outcome.json';

/** The verdict of one check as the grade reporter reads it from the test's annotations. */
export interface RecordedVerdict {
  id: string;
  step: number;
  title: string;
  status: CheckStatus;
  points: number;
  earned: number;
  message: string;
  /** What to do: a failure's hint, or how a learner unblocks the grader; empty otherwise. */
  hint: string;
  /** Who must act on an inconclusive verdict. */
  actor?: Actor;
}

/** What the learner annotation carries. */
export interface LearnerTag {
  /** The lab whose check this was (unset in results older than this field): a reporter grading another lab refuses them. */
  labId?: string;
  learner: string;
  /** The roster's account for the learner, when graded from a roster. */
  accountId?: string;
  roster?: string;
}

/** What the identity annotation carries: who and where the preflight found the grader talking to. */
export type IdentityTag = Pick<Grade, 'learner' | 'accountId' | 'region' | 'target' | 'mode'>;

/** A remark about the lab itself (the note annotation), said once per report. */
export interface LabNote {
  id: string;
  message: string;
}

/** One learner's grade: grade.json, grades/<learner_id>.json, and every report made from them. */
export interface Grade {
  /** The lab's title. */
  lab: string;
  /** The lab's id (its definition's): grades of different labs never share a gradebook. */
  labId: string;
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
  notes: LabNote[];
}
