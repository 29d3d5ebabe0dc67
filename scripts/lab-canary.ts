import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Grade } from '../helpers/grade-contract';
import { markdownText as md } from '../helpers/escape';
import { loadSettings } from '../helpers/settings';

/**
 * `npm run canary`: is the lab still doable as written? Carries the lab out in run mode (the
 * embedded sandbox, or an AWS account with LAB_TARGET=aws and a sandbox account's credentials),
 * grades it, cleans up (LAB_CLEANUP=1), and fails unless the grade is complete, full marks,
 * and without a note on the lab: a model past its end of life, a query field Bedrock's records
 * no longer have, and whatever else the grader notices drifting.
 *
 * LAB_CANARY_ACCEPT lists note ids the course has acknowledged (`lab-query-fields`): they are
 * still reported, but do not fail the canary. The summary goes to the terminal and, in GitHub
 * Actions, to the job summary ($GITHUB_STEP_SUMMARY). Exit 0 when the lab works as written, 1
 * when it does not.
 */

const ROOT = resolve(__dirname, '..');

const accepted = new Set(
  (process.env.LAB_CANARY_ACCEPT ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean),
);
// Always a folder of its own: an earlier run's grade.json must never pass for this run's.
const reportsParent = process.env.LAB_REPORTS_DIR || tmpdir();
mkdirSync(reportsParent, { recursive: true });
const reportsDir = mkdtempSync(join(reportsParent, 'lab-canary-'));

/** A port nothing listens on, for a sandbox of the canary's own. */
function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
    server.on('error', fail);
  });
}

async function main(): Promise<never> {
  // On the local target the canary carries out and cleans up the lab in a sandbox of its own, its
  // state in memory: never in one already running, which may hold a learner's work.
  const local = loadSettings().target === 'local';
  const sandboxUrl = local ? `http://127.0.0.1:${await freePort()}` : undefined;

  // Arguments go to Playwright: `npm run canary -- --grep-invert @console` where no browser is installed.
  const playwright = [join(ROOT, 'node_modules/@playwright/test/cli.js'), 'test', ...process.argv.slice(2)];
  const run = spawnSync(process.execPath, playwright, {
    cwd: ROOT,
    stdio: 'inherit',
    env: {
      ...process.env,
      LAB_MODE: 'run',
      LAB_CLEANUP: '1',
      LAB_REPORTS_DIR: reportsDir,
      ...(sandboxUrl && { LAB_SANDBOX_URL: sandboxUrl, LAB_SANDBOX_STATE_DIR: '' }),
    },
  });

  const gradeFile = join(reportsDir, 'grade.json');
  const grade = existsSync(gradeFile) ? (JSON.parse(readFileSync(gradeFile, 'utf8')) as Grade) : undefined;
  const problems: string[] = [];
  if (run.error || run.signal) problems.push(`the run did not finish: ${run.error?.message ?? run.signal}`);
  if (!grade) problems.push(`the run wrote no grade (exit ${run.status ?? run.signal})`);
  else {
    if (grade.status !== 'complete')
      problems.push(`the grade is incomplete: ${grade.inconclusive.map((c) => c.reason).join('; ')}`);
    if (grade.score < grade.maxScore) {
      const failed = grade.checks.filter((c) => c.status === 'fail').map((c) => `${c.id}: ${c.message}`);
      problems.push(
        `the lab done as written scores ${grade.score}/${grade.maxScore}${failed.length ? ` (${failed.join('; ')})` : ''}`,
      );
    }
    for (const note of grade.notes) {
      if (!accepted.has(note.id)) problems.push(`${note.id}: ${note.message}`);
    }
  }
  // A full grade from a run that still failed: a step outside the checks (the clean-up) did.
  if (problems.length === 0 && run.status !== 0) {
    problems.push(
      `the run exited ${run.status} although its grade is full: a step outside the checks failed (see its output)`,
    );
  }

  const summary = [
    `## Lab canary: ${problems.length ? 'the lab no longer works as written' : 'the lab works as written'}`,
    '',
    grade
      ? `${md(grade.lab)}: ${grade.score}/${grade.maxScore}, ${grade.status}, ${grade.target ?? ''} account ${grade.accountId ?? 'unknown'}`
      : 'No grade.',
    '',
    ...problems.map((p) => `- ${md(p)}`),
    ...(grade?.notes ?? [])
      .filter((n) => accepted.has(n.id))
      .map((n) => `- acknowledged (LAB_CANARY_ACCEPT): ${md(n.id)}: ${md(n.message)}`),
    '',
    `Reports: ${reportsDir}`,
  ].join('\n');
  console.log(`\n${summary}`);
  if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, `${summary}\n`);
  process.exit(problems.length ? 1 : 0);
}

void main();
