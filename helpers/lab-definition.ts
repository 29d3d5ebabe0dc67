/**
 * What the framework (fixtures, reporters, scripts) needs from a lab, and nothing about the AWS
 * services it uses: those stay in the lab's own folder. Each lab exports one; specs/labs.ts lists
 * them and LAB_ID chooses one.
 */
export interface LabDefinition {
  /** LAB_ID's value for this lab. */
  id: string;
  /** The lab, as every grade and report names it. */
  title: string;
  /** The lab's steps, as its text names them (the Allure report's features). */
  stepTitles: Readonly<Record<number, string>>;
  /** Its checklist as a rubric. Ids are a public contract (grade.json, the gradebook's columns). */
  rubric: readonly RubricItem[];
  /** The folder of its specs, from the project's root: the grader's testDir. */
  specsDir: string;
}

export interface RubricItem {
  id: string;
  step: number;
  points: number;
  title: string;
}

/** A rubric item by id; an id the lab's rubric lacks is a grader bug, stopped where it is declared. */
export function rubricItem(lab: LabDefinition, id: string): RubricItem {
  const item = lab.rubric.find((i) => i.id === id);
  if (!item) {
    throw new Error(
      `${id} is not a check of the lab ${lab.id}: its rubric has ${lab.rubric.map((i) => i.id).join(', ')}.`,
    );
  }
  return item;
}

/** The rubric's full points: every score is out of them. */
export function maxScore(lab: LabDefinition): number {
  return lab.rubric.reduce((sum, item) => sum + item.points, 0);
}
