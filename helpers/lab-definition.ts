import { existsSync, readdirSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { SettingsError, type Env, type LabSettings } from './settings';

/**
 * What the framework (fixtures, reporters, scripts) needs from a lab, and nothing about the AWS
 * services it uses: those stay in the lab's own folder. A lab is a folder holding its specs and
 * `lab/definition.ts`, which exports one of these as `definition`; `LAB` chooses the folder.
 */
export interface LabDefinition {
  /** The lab's name in grades and reports' file names; a lab in specs/ is the folder of that name. */
  id: string;
  /** The lab, as every grade and report names it. */
  title: string;
  /** The lab's steps, as its text names them (the Allure report's features). */
  stepTitles: Readonly<Record<number, string>>;
  /** Its checklist as a rubric. Ids are a public contract (grade.json, the gradebook's columns). */
  rubric: readonly RubricItem[];
  /**
   * The policy a grader needs in a learner's account, a file from the project's root: the hint of
   * a check the learner's account refused a read names it.
   */
  graderPolicy: string;
  /** The lab's console checks, if it has any: what they may read, and what the grader needs for them. */
  console?: {
    /** The console session's policy: the pages read this, and nothing more. */
    sessionPolicy: object;
    /** The policy (a file, as `graderPolicy`) that lets the grader open a console session. */
    graderPolicy: string;
  };
  /**
   * The lab's own settings, read from the environment after the framework's: specs see them in
   * `settings` beside the framework's. A bad value throws a SettingsError, said in one line.
   */
  readSettings?(env: Env): object;
}

export interface RubricItem {
  id: string;
  step: number;
  points: number;
  title: string;
}

/** A lab's own settings, as its `readSettings` gives them. */
export type OwnSettings<Lab extends LabDefinition> = Lab extends { readSettings(env: Env): infer S }
  ? S
  : object;

/** A check id of a lab: a spec naming an id its lab's rubric lacks does not compile. */
export type CheckId<Lab extends LabDefinition> = Lab['rubric'][number]['id'];

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

/** The project's root, where `specs/` holds its labs. */
const ROOT = resolve(__dirname, '..');
const LABS_DIR = join(ROOT, 'specs');
const DEFINITION = join('lab', 'definition.ts');

/** A lab and its folder, which is the grader's test folder. */
export interface ChosenLab {
  definition: LabDefinition;
  /** The lab's folder, absolute. */
  dir: string;
}

/** The labs in specs/: its folders that hold a lab definition. */
export function labsInSpecs(): string[] {
  return readdirSync(LABS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(LABS_DIR, entry.name, DEFINITION)))
    .map((entry) => entry.name)
    .sort();
}

/**
 * The lab `LAB` chooses: the name of a lab in specs/, or the path of a lab's folder anywhere
 * (a course keeping its labs elsewhere; the project's tests grade one of their own). Unset, the
 * lab is the only one in specs/. Anything else is a bad setting, said in one line naming the labs.
 * The definition is found by its folder, so adding a lab changes no file outside it.
 */
export function chosenLab(settings: Pick<LabSettings, 'lab'>): ChosenLab {
  const named = labsInSpecs();
  const expected = `expected one of ${named.join(', ') || '(no lab in specs/)'}, or the path of a lab's folder (one holding ${DEFINITION})`;
  const value = settings.lab;
  if (value === undefined && named.length !== 1) {
    throw new SettingsError(`LAB is not set, and specs/ holds ${named.length} labs: ${expected}.`);
  }
  const isPath = value !== undefined && /[/\\]/.test(value);
  const dir = isPath ? resolve(value) : join(LABS_DIR, value ?? named[0]!);
  if (!existsSync(join(dir, DEFINITION))) {
    throw new SettingsError(`LAB=${value} is not valid: ${expected}.`);
  }
  const definition = loadDefinition(join(dir, DEFINITION));
  if (!isPath && definition.id !== basename(dir)) {
    throw new SettingsError(
      `specs/${basename(dir)}/${DEFINITION} defines the lab ${definition.id}: a lab in specs/ is named for its folder.`,
    );
  }
  return { definition, dir };
}

/** The lab's folder as its reports and hints name it: from the project's root. */
export function labFolder(lab: ChosenLab): string {
  return relative(ROOT, lab.dir).split('\\').join('/');
}

function loadDefinition(file: string): LabDefinition {
  // A lab is TypeScript, loaded as every spec is: by the runner's (or tsx's) require.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = (require(file) as { definition?: LabDefinition }).definition;
  const problem = !loaded
    ? 'it exports no definition'
    : typeof loaded.id !== 'string' || !/^[\w.-]+$/.test(loaded.id)
      ? 'its id is not a name (letters, digits, . _ -)'
      : !Array.isArray(loaded.rubric) || loaded.rubric.length === 0
        ? 'its rubric is empty'
        : undefined;
  if (problem) throw new SettingsError(`${relative(ROOT, file)} is not a lab definition: ${problem}.`);
  return loaded!;
}
