import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { LabDefinition } from '../helpers/lab-definition';
import type { Grade } from '../helpers/grade-contract';

const ROOT = resolve(__dirname, '..');
/** The Region every test account's grader runs in. */
export const REGION = 'us-east-1';
const PLAYWRIGHT = join(ROOT, 'node_modules', '@playwright', 'test', 'cli.js');

export interface GraderProcess {
  exitCode: number;
  output: string;
  reportsDir: string;
}

export interface GraderRun extends GraderProcess {
  grade: Grade;
}

interface GraderOptions {
  sandboxUrl: string;
  accountId: string;
  mode?: 'grade' | 'run';
  env?: Record<string, string>;
  /** More arguments for `playwright test`, such as `--grep @step1`. */
  args?: string[];
  /** Stops a run that takes longer (SIGTERM), keeping what it printed. */
  timeoutMs?: number;
}

/**
 * Runs the real grader, as a user would, in a child process against one sandbox account, and
 * returns its grade. API checks only: the console checks have their own tests.
 */
export async function runGrader(options: GraderOptions): Promise<GraderRun> {
  const run = await runGraderProcess(options);
  try {
    return { ...run, grade: JSON.parse(readFileSync(join(run.reportsDir, 'grade.json'), 'utf8')) as Grade };
  } catch {
    throw new Error(`The grader wrote no grade.json (exit ${run.exitCode}):\n${run.output}`);
  }
}

/** Runs the real grader and returns how it ended, whether it wrote a grade or not. */
export function runGraderProcess(options: GraderOptions): Promise<GraderProcess> {
  const reportsDir = mkdtempSync(join(tmpdir(), 'lab-grade-'));
  const env = graderEnvironment({
    sandboxUrl: options.sandboxUrl,
    accountId: options.accountId,
    reportsDir,
    env: {
      LAB_MODE: options.mode ?? 'grade',
      LAB_WORKERS: '2',
      LAB_LEARNER: options.accountId,
      ...options.env,
    },
  });
  return new Promise((done) => {
    execFile(
      process.execPath,
      graderCommand(options.args),
      { cwd: ROOT, env, maxBuffer: 16 * 1024 * 1024, timeout: options.timeoutMs },
      (error, stdout, stderr) => {
        const exitCode = error ? ((error as { code?: number }).code ?? 1) : 0;
        done({ exitCode, output: `${stdout}\n${stderr}`, reportsDir });
      },
    );
  });
}

/** The grader's command for `node`, API checks only: `playwright test` with the project's config. */
export function graderCommand(args: string[] = []): string[] {
  return [
    PLAYWRIGHT,
    'test',
    '--config',
    join(ROOT, 'playwright.config.ts'),
    '--grep-invert',
    '@console',
    ...args,
  ];
}

/**
 * What a child grader runs with: grade mode on the local target, one sandbox account's
 * credentials (`accountId`: the learner's, or a class's grader), this environment without the
 * test runner's own variables, and `env` over all of it.
 */
export function graderEnvironment(options: {
  sandboxUrl: string;
  accountId: string;
  reportsDir: string;
  env?: Record<string, string>;
}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LAB_MODE: 'grade',
    LAB_TARGET: 'local',
    LAB_SANDBOX_URL: options.sandboxUrl,
    AWS_ACCESS_KEY_ID: options.accountId,
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: REGION,
    LAB_REPORTS_DIR: options.reportsDir,
    LAB_INGESTION_TIMEOUT: '3',
    ...options.env,
  };
  // The parent's test-runner variables would make the child think it is a worker of this run,
  // and a CI job's summary is the parent's to write.
  for (const key of Object.keys(env)) if (key.startsWith('TEST_') || key.startsWith('PW_')) delete env[key];
  delete env.CI;
  delete env.GITHUB_STEP_SUMMARY;
  return env;
}

/** `{checkId: status}` of a grade, for compact assertions. */
export function statuses(grade: Grade): Record<string, string> {
  return Object.fromEntries(grade.checks.filter((c) => c.points > 0).map((c) => [c.id, c.status]));
}

export type Status = 'pass' | 'fail' | 'inconclusive';

/** `all(status, except)` for a lab: every scored check of its rubric at `status`, except the ones named. */
export function everyScoredCheck(lab: LabDefinition) {
  const scored = lab.rubric.filter((item) => item.points > 0).map((item) => item.id);
  return (status: Status, except: Record<string, Status> = {}): Record<string, Status> =>
    Object.fromEntries(scored.map((id) => [id, except[id] ?? status]));
}
