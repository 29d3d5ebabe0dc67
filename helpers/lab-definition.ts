import { existsSync, readdirSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { z } from 'zod';
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
 * lab is the only one in specs/. Anything else, or a folder whose definition is not one, is a bad
 * setting, said in one line. The definition is found by its folder, so adding a lab changes no
 * file outside it.
 */
export function chosenLab(settings: Pick<LabSettings, 'lab'>): ChosenLab {
  const named = labsInSpecs();
  const expected = `expected one of ${named.join(', ') || '(no lab in specs/)'}, or the path of a lab's folder (one holding ${DEFINITION})`;
  // `genai-monitoring/` is a name still; `./mylab` or `labs/mylab` a path.
  const value = settings.lab?.replace(/[/\\]+$/, '');
  if (value === undefined && named.length !== 1) {
    throw new SettingsError(`LAB is not set, and specs/ holds ${named.length} labs: ${expected}.`);
  }
  const isPath = value !== undefined && /[/\\]/.test(value);
  const dir = isPath ? resolve(value) : join(LABS_DIR, value ?? named[0]!);
  if (!existsSync(join(dir, DEFINITION))) {
    // A folder of the current one, named without a path, is the likeliest meaning.
    const here = !isPath && value !== undefined && existsSync(join(value, DEFINITION));
    throw new SettingsError(
      `LAB=${settings.lab} is not valid: ${expected}${here ? `: for the folder here, write LAB=./${value}` : ''}.`,
    );
  }
  const definition = loadDefinition(join(dir, DEFINITION));
  if (resolve(dir, '..') === LABS_DIR && definition.id !== basename(dir)) {
    throw new SettingsError(
      `${shown(join(dir, DEFINITION))} defines the lab ${definition.id}: a lab in specs/ is named for its folder, ${basename(dir)}.`,
    );
  }
  return { definition, dir };
}

/**
 * The lab's own settings, read as its workers read them. A lab's setting named like one of the
 * framework's would silently replace it in the workers alone: refused, as any bad setting.
 */
export function ownSettings<Lab extends LabDefinition>(
  lab: Lab,
  env: Env,
  framework: LabSettings,
): OwnSettings<Lab> {
  let own: object;
  try {
    own = lab.readSettings?.(env) ?? {};
  } catch (error) {
    if (error instanceof SettingsError) throw error;
    throw new SettingsError(`The lab ${lab.id}'s settings could not be read: ${firstLine(error)}`);
  }
  const shadowing = Object.keys(own).filter((key) => key in framework);
  if (shadowing.length) {
    throw new SettingsError(
      `The lab ${lab.id} has settings named as the grader's own (${shadowing.join(', ')}): its readSettings must name them otherwise.`,
    );
  }
  return own as OwnSettings<Lab>;
}

const Rubric = z
  .array(
    z.object({
      id: z.string().regex(/^[\w.-]+$/, 'an id is a name: letters, digits, . _ -'),
      step: z.number().int().positive(),
      points: z.number().finite().nonnegative(),
      title: z.string().trim().min(1),
    }),
  )
  .min(1)
  .refine((items) => new Set(items.map((item) => item.id)).size === items.length, 'its ids must be unique');

/** What loadDefinition accepts: a LabDefinition's data, so a typo in a lab is one line, not a wrong grade. */
const Definition = z.object({
  id: z.string().regex(/^[\w.-]+$/, 'an id is a name: letters, digits, . _ -'),
  title: z.string().trim().min(1),
  stepTitles: z.record(z.string(), z.string()),
  rubric: Rubric,
  graderPolicy: z.string().min(1),
  console: z.object({ sessionPolicy: z.object({}).loose(), graderPolicy: z.string().min(1) }).optional(),
  readSettings: z.function().optional(),
});

function loadDefinition(file: string): LabDefinition {
  let loaded: unknown;
  try {
    // A lab is TypeScript, loaded as every spec is: by the runner's (or tsx's) require.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = (require(file) as { definition?: unknown }).definition;
  } catch (error) {
    throw new SettingsError(`${shown(file)} could not be loaded: ${firstLine(error)}`);
  }
  if (loaded === undefined)
    throw new SettingsError(`${shown(file)} is not a lab definition: it exports no definition.`);
  const checked = Definition.safeParse(loaded);
  if (!checked.success) {
    const [issue] = checked.error.issues;
    const where = issue!.path.length ? `${issue!.path.join('.')}: ` : '';
    throw new SettingsError(`${shown(file)} is not a lab definition: ${where}${issue!.message}.`);
  }
  return loaded as LabDefinition;
}

/** A file as a message names it: from the project's root when inside it. */
function shown(file: string): string {
  const inside = relative(ROOT, file);
  return inside.startsWith('..') ? file : inside;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!.trim();
}
