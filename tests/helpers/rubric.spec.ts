import { expect, test } from '@playwright/test';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import {
  chosenLab,
  maxScore,
  ownSettings,
  rubricItem,
  type LabDefinition,
} from '../../helpers/lab-definition';
import { readSettings, SettingsError } from '../../helpers/settings';
import { definition } from '../../specs/genai-monitoring/lab/definition';

test('ids, steps and points are the published rubric (a public contract)', () => {
  expect(definition.rubric.map((item) => [item.id, item.step, item.points])).toEqual([
    ['logging.enabled', 1, 10],
    ['logging.log-group', 1, 5],
    ['logging.text-data', 1, 5],
    ['logging.role', 1, 10],
    ['invocations.count', 2, 15],
    ['logs.entries', 3, 10],
    ['insights.query', 3, 15],
    ['dashboard.exists', 4, 6],
    ['dashboard.invocations-widget', 4, 6],
    ['dashboard.tokens-widget', 4, 6],
    ['dashboard.latency-widget', 4, 6],
    ['dashboard.displays-data', 4, 6],
    ['console.bedrock-settings', 1, 0],
    ['console.dashboard', 4, 0],
  ]);
});

test('ids are unique', () => {
  const ids = definition.rubric.map((item) => item.id);
  expect(new Set(ids).size).toBe(ids.length);
});

test('scored items total 100 points', () => {
  const scored = definition.rubric.filter((item) => item.points > 0);
  expect(scored.reduce((sum, item) => sum + item.points, 0)).toBe(100);
  expect(maxScore(definition)).toBe(100);
});

test('console evidence items score nothing', () => {
  for (const item of definition.rubric.filter((i) => i.id.startsWith('console.')))
    expect(item.points).toBe(0);
});

for (const item of definition.rubric) {
  test(`${item.id} has a title and a step 1-4`, () => {
    expect(item.title.trim().length).toBeGreaterThan(0);
    expect([1, 2, 3, 4]).toContain(item.step);
    expect(item.points).toBeGreaterThanOrEqual(0);
    expect(rubricItem(definition, item.id)).toBe(item);
  });
}

test('every step has a scored item', () => {
  const steps = new Set(definition.rubric.filter((i) => i.points > 0).map((i) => i.step));
  expect([...steps].sort()).toEqual([1, 2, 3, 4]);
});

test('LAB chooses the lab: by name in specs/, by folder, or the only one in specs/ when unset', () => {
  const dir = resolve('specs/genai-monitoring');
  expect(chosenLab({})).toEqual({ definition, dir });
  expect(chosenLab({ lab: 'genai-monitoring' })).toEqual({ definition, dir });
  expect(chosenLab({ lab: 'genai-monitoring/' })).toEqual({ definition, dir });
  expect(chosenLab({ lab: 'specs/genai-monitoring/' })).toEqual({ definition, dir });
  expect(chosenLab({ lab: dir })).toEqual({ definition, dir });
});

test('LAB naming no lab is one line naming the labs', () => {
  const expected =
    "expected one of genai-monitoring, or the path of a lab's folder (one holding lab/definition.ts).";
  for (const lab of ['nope', '..', 'lab', 'specs', 'specs/genai-monitoring/lab'])
    expect(() => chosenLab({ lab })).toThrow(new SettingsError(`LAB=${lab} is not valid: ${expected}`));
});

/** A lab folder outside the project holding `definition.ts` with this source. */
function labFolder(source: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'lab-folder-'));
  mkdirSync(join(dir, 'lab'));
  writeFileSync(join(dir, 'lab', 'definition.ts'), source);
  return dir;
}

const LAB_SOURCE = (definition: string) => `export const definition = ${definition};\n`;
const GOOD = {
  id: 'tiny',
  title: 'A tiny lab',
  stepTitles: { 1: 'One' },
  rubric: [{ id: 'a', step: 1, points: 10, title: 'A' }],
  graderPolicy: 'iam/grader-policy.json',
};

const badLabs: { name: string; source: string; says: string }[] = [
  { name: 'a syntax error', source: 'export const definition = {', says: 'could not be loaded: ' },
  { name: 'a throw on load', source: "throw new Error('boom');", says: 'could not be loaded: boom' },
  {
    name: 'no definition',
    source: 'export const other = 1;',
    says: 'is not a lab definition: it exports no definition.',
  },
  {
    name: 'a check twice',
    source: LAB_SOURCE(JSON.stringify({ ...GOOD, rubric: [GOOD.rubric[0], GOOD.rubric[0]] })),
    says: 'is not a lab definition: rubric: its ids must be unique.',
  },
  {
    name: 'points as text',
    source: LAB_SOURCE(JSON.stringify({ ...GOOD, rubric: [{ ...GOOD.rubric[0], points: '25' }] })),
    says: 'is not a lab definition: rubric.0.points: Invalid input: expected number, received string.',
  },
  {
    name: 'no title',
    source: LAB_SOURCE(JSON.stringify({ ...GOOD, title: undefined })),
    says: 'is not a lab definition: title: Invalid input: expected string, received undefined.',
  },
  {
    name: 'no grader policy',
    source: LAB_SOURCE(JSON.stringify({ ...GOOD, graderPolicy: '' })),
    says: 'is not a lab definition: graderPolicy: Too small',
  },
];
for (const bad of badLabs) {
  test(`a lab folder with ${bad.name} is one line naming its definition`, () => {
    const dir = labFolder(bad.source);
    let thrown: unknown;
    try {
      chosenLab({ lab: dir });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SettingsError);
    const message = (thrown as Error).message;
    expect(message.startsWith(join(dir, 'lab', 'definition.ts'))).toBe(true);
    expect(message).toContain(bad.says);
    expect(message).not.toContain('\n');
  });
}

test('LAB naming a folder here without a path says how to name it', () => {
  const dir = labFolder(LAB_SOURCE(JSON.stringify(GOOD)));
  const cwd = process.cwd();
  process.chdir(resolve(dir, '..'));
  try {
    const name = basename(dir);
    expect(() => chosenLab({ lab: name })).toThrow(`: for the folder here, write LAB=./${name}.`);
    expect(chosenLab({ lab: `./${name}` }).definition.id).toBe('tiny');
  } finally {
    process.chdir(cwd);
  }
});

test("a lab's own settings: a plain error is one line, and a name the grader's settings have is refused", () => {
  const framework = readSettings({});
  const lab = (readSettings: LabDefinition['readSettings']) => ({ ...definition, readSettings });
  expect(() =>
    ownSettings(
      lab(() => {
        throw new Error('MY_SETTING must be a number\n    at somewhere');
      }),
      {},
      framework,
    ),
  ).toThrow(
    new SettingsError("The lab genai-monitoring's settings could not be read: MY_SETTING must be a number"),
  );
  expect(() =>
    ownSettings(
      lab(() => ({ expectedAccount: '111111111111', strict: true })),
      {},
      framework,
    ),
  ).toThrow(
    new SettingsError(
      "The lab genai-monitoring has settings named as the grader's own (expectedAccount): its readSettings must name them otherwise.",
    ),
  );
  expect(ownSettings(definition, { LAB_STRICT: '1' }, framework)).toMatchObject({
    strict: true,
    minInvocations: 5,
  });
});

test("the policies the lab's hints name are files of the project", () => {
  for (const file of [definition.graderPolicy, definition.console.graderPolicy])
    expect(() => JSON.parse(readFileSync(file, 'utf8')) as unknown, file).not.toThrow();
});

test('an id the rubric lacks is refused where it is named', () => {
  expect(() => rubricItem(definition, 'logging.enabld')).toThrow(
    'logging.enabld is not a check of the lab genai-monitoring',
  );
});
