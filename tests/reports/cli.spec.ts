import { expect, test } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

/** Runs a command of the project's as a user would, without the parent run's test variables. */
function run(args: string[], env: Record<string, string> = {}) {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('TEST_') && !k.startsWith('PW_')),
  );
  const result = spawnSync(process.execPath, args, { cwd: ROOT, env: { ...clean, ...env }, encoding: 'utf8' });
  return { status: result.status, stderr: result.stderr.trim(), stdout: result.stdout.trim() };
}

const badSettings: { env: Record<string, string>; says: string }[] = [
  { env: { LAB_TARGET: 'amazon' }, says: 'LAB_TARGET=amazon is not valid: expected one of local, aws.' },
  // The lab's own settings are checked as early as the framework's, before any worker starts.
  { env: { LAB_MIN_INVOCATIONS: '-1' }, says: 'LAB_MIN_INVOCATIONS=-1 is not valid: expected a positive number.' },
  {
    env: { LAB: 'nope' },
    says: "LAB=nope is not valid: expected one of genai-monitoring, or the path of a lab's folder (one holding lab/definition.ts).",
  },
];
for (const { env, says } of badSettings) {
  test(`a bad setting is one line naming the variable and what it accepts, exit 2: ${Object.keys(env)[0]}`, () => {
    const { status, stderr } = run([join(ROOT, 'node_modules/@playwright/test/cli.js'), 'test', '--list'], env);
    expect(status).toBe(2);
    expect(stderr).toBe(says);
  });
}

test('the sandbox: a mistyped flag is one line, and --help lists the options', () => {
  const cli = ['--require', 'tsx/cjs', join(ROOT, 'sandbox/cli.ts')];
  const bad = run([...cli, '--prot', '4566']);
  expect(bad.status).toBe(2);
  expect(bad.stderr).toBe("Unknown option '--prot'. Run with --help for the options.");
  const help = run([...cli, '--help']);
  expect(help.status).toBe(0);
  expect(help.stdout).toContain('--admin-token');
  const timeout = run([...cli, '--query-timeout', '10m']);
  expect(timeout.status).toBe(2);
  expect(timeout.stderr).toBe("--query-timeout must be a whole number of seconds (1 or more), not '10m'.");
});

test('the sandbox refuses to listen beyond loopback without an admin token and learners of their own', () => {
  const cli = ['--require', 'tsx/cjs', join(ROOT, 'sandbox/cli.ts'), '--host', '0.0.0.0', '--port', '0'];
  for (const args of [cli, [...cli, '--admin-token', 'secret']]) {
    const { status, stderr } = run(args);
    expect(status).toBe(2);
    expect(stderr).toMatch(/^--host 0\.0\.0\.0 opens the sandbox beyond this machine: set --admin-token .* and --learners roster\.csv/);
  }
});

test('class mode: a roster the sandbox cannot read is the roster’s own message, one per problem', () => {
  const dir = mkdtempSync(join(tmpdir(), 'roster-'));
  const roster = join(dir, 'roster.csv');
  writeFileSync(roster, 'learner_id,account_id,role_arn,region\nalice,12345,arn:aws:iam::123456789012:role/G,us-east-1\n');
  const { status, stderr } = run(['--require', 'tsx/cjs', join(ROOT, 'sandbox/cli.ts'), '--learners', roster, '--port', '0']);
  expect(status).toBe(2);
  expect(stderr).toContain(`${roster} line 2, column account_id`);
});
