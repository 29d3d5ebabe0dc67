import { PutDashboardCommand } from '@aws-sdk/client-cloudwatch';
import { CreateLogGroupCommand, PutRetentionPolicyCommand } from '@aws-sdk/client-cloudwatch-logs';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createClients } from '../../helpers/aws-clients';
import { definition } from '../labs/log-retention/lab/definition';
import { LAB } from '../labs/log-retention/lab/facts';
import { checkIngestionWidget } from '../labs/log-retention/lab/checks';
import { metricWidget } from '../../testkit/widgets';
import { mergeReports, runClassGrader } from '../../testkit/class-run';
import type { Grade } from '../../helpers/grade-contract';
import { accountConfig, expect, test } from '../fixtures/sandbox';
import { runGrader, statuses } from '../../testkit/run-grader';

/**
 * A lab is its folder alone: tests/labs/log-retention is graded end to end, in run and grade
 * mode, by the grader as users run it, and nothing outside its folder names it.
 */
const LAB_FOLDER = 'tests/labs/log-retention';
const ROOT = resolve(__dirname, '../..');

test('run mode carries out the second lab and grades it 100/100, under its own title and rubric', async ({
  sandbox,
  accountId,
}) => {
  const { grade, exitCode, output } = await runGrader({
    sandboxUrl: sandbox.url,
    accountId,
    mode: 'run',
    env: { LAB: LAB_FOLDER },
  });
  expect(exitCode, output).toBe(0);
  expect(grade).toMatchObject({ lab: definition.title, score: 100, maxScore: 100, status: 'complete' });
  expect(grade.checks.map((c) => c.id).sort()).toEqual(definition.rubric.map((item) => item.id).sort());
  expect(output).toContain('Score: 100/100 (100%), complete: 4 passed');
});

test('a sharded run merges into its grade, exit 0; merged as another lab it is refused, no grade written', async ({
  sandbox,
  accountId,
}) => {
  const reportsDir = mkdtempSync(join(tmpdir(), 'lab-shards-'));
  const options = { sandboxUrl: sandbox.url, graderAccount: accountId, reportsDir };
  const shard = await runClassGrader({
    ...options,
    args: ['--shard=1/1'],
    env: { LAB: LAB_FOLDER, LAB_MODE: 'run' },
  });
  expect(shard.exitCode, shard.output).toBe(0);
  const merged = await mergeReports({ ...options, env: { LAB: LAB_FOLDER } });
  expect(merged.exitCode, merged.output).toBe(0);
  const grade = JSON.parse(readFileSync(join(reportsDir, 'grade.json'), 'utf8')) as Grade;
  expect(grade).toMatchObject({ labId: definition.id, score: 100, status: 'complete' });
  rmSync(join(reportsDir, 'grade.json'));
  // The default lab has a check of the same id, dashboard.exists: graded by its rubric, it would score.
  const elsewhere = await mergeReports(options);
  expect(elsewhere.exitCode, elsewhere.output).toBe(1);
  expect(elsewhere.output).toContain(
    'The results are of the lab log-retention, not genai-monitoring, which LAB chooses: no grade was written.',
  );
  expect(existsSync(join(reportsDir, 'grade.json'))).toBe(false);

  // Shards of another run left beside this one's, or a shard missing: refused, not merged.
  const blob = join(reportsDir, 'blob-report', 'shard-1-of-1', 'report-shard-1-of-1.zip');
  mkdirSync(join(reportsDir, 'blob-report', 'shard-1-of-2'));
  copyFileSync(blob, join(reportsDir, 'blob-report', 'shard-1-of-2', 'report-shard-1-of-2.zip'));
  const mixed = await mergeReports({ ...options, env: { LAB: LAB_FOLDER } });
  expect(mixed.exitCode).toBe(1);
  expect(mixed.output).toContain('are of runs of 1 and 2 shards: keep one run');
  rmSync(join(reportsDir, 'blob-report', 'shard-1-of-1'), { recursive: true });
  const missing = await mergeReports({ ...options, env: { LAB: LAB_FOLDER } });
  expect(missing.exitCode).toBe(1);
  expect(missing.output).toContain('Shard 2 of 2 has no blob report under');
  expect(existsSync(join(reportsDir, 'grade.json'))).toBe(false);
});

test('grade mode: an empty account fails every check, each with its hint', async ({ sandbox, accountId }) => {
  const { grade, exitCode } = await runGrader({
    sandboxUrl: sandbox.url,
    accountId,
    env: { LAB: LAB_FOLDER },
  });
  expect(exitCode).toBe(1);
  expect(grade.score).toBe(0);
  for (const check of grade.checks) {
    expect(check.status, check.id).toBe('fail');
    expect(check.hint, check.id).toMatch(/\S/);
  }
});

test('grade mode: the wrong retention and a widget on another group earn only what was done', async ({
  sandbox,
  accountId,
}) => {
  const aws = createClients({ ...accountConfig(sandbox.url, accountId), maxAttempts: 1 });
  await aws.logs.send(new CreateLogGroupCommand({ logGroupName: LAB.logGroup }));
  await aws.logs.send(new PutRetentionPolicyCommand({ logGroupName: LAB.logGroup, retentionInDays: 14 }));
  // A neighbour whose name the lab's group begins: a prefix match would take it for the lab's.
  await aws.logs.send(new CreateLogGroupCommand({ logGroupName: `${LAB.logGroup}-old` }));
  const widget = (group: string) => ({
    type: 'metric',
    properties: { metrics: [['AWS/Logs', 'IncomingBytes', 'LogGroupName', group]], region: 'us-east-1' },
  });
  await aws.cloudwatch.send(
    new PutDashboardCommand({
      DashboardName: LAB.dashboardName,
      DashboardBody: JSON.stringify({ widgets: [widget(`${LAB.logGroup}-old`)] }),
    }),
  );
  const { grade } = await runGrader({ sandboxUrl: sandbox.url, accountId, env: { LAB: LAB_FOLDER } });
  expect(statuses(grade)).toEqual({
    'log-group.exists': 'pass',
    'log-group.retention': 'fail',
    'dashboard.exists': 'pass',
    'dashboard.ingestion-widget': 'fail',
  });
  expect(grade.score).toBe(40);
  expect(grade.checks.find((c) => c.id === 'log-group.retention')?.message).toContain('14 days, not 7');
  for (const client of Object.values(aws)) client.destroy();
});

test.describe('its widget check: the lab’s group, where it was graded, shown', () => {
  const graded = { region: 'us-east-1', accountId: '111111111111' };
  const web = ['AWS/Logs', 'IncomingBytes', 'LogGroupName', LAB.logGroup];
  const api = ['AWS/Logs', 'IncomingBytes', 'LogGroupName', '/lab/app/api'];
  const judged = (metrics: unknown[], region?: string) =>
    checkIngestionWidget(JSON.stringify({ widgets: [metricWidget(metrics, undefined, region)] }), graded)
      .status;

  const cases: { name: string; metrics: unknown[]; region?: string; status: 'pass' | 'fail' }[] = [
    { name: 'the row as written', metrics: [web], status: 'pass' },
    {
      name: 'the console’s "..." after another group',
      metrics: [api, ['...', LAB.logGroup]],
      status: 'pass',
    },
    {
      name: 'a chain of "." rows',
      metrics: [api, ['.', '.', '.', '/lab/app/worker'], ['.', '.', '.', LAB.logGroup]],
      status: 'pass',
    },
    { name: 'its own account named', metrics: [[...web, { accountId: '111111111111' }]], status: 'pass' },
    { name: 'a hidden row', metrics: [[...web, { visible: false }]], status: 'fail' },
    {
      name: 'a hidden row behind metric math',
      metrics: [[...web, { id: 'm1', visible: false }], [{ expression: 'm1*0', id: 'e1' }]],
      status: 'fail',
    },
    { name: 'a widget in another Region', metrics: [web], region: 'eu-west-1', status: 'fail' },
    { name: 'a row in another Region', metrics: [[...web, { region: 'eu-west-1' }]], status: 'fail' },
    { name: 'a row of another account', metrics: [[...web, { accountId: '222222222222' }]], status: 'fail' },
    { name: 'another dimension too', metrics: [[...web, 'Nope', 'x']], status: 'fail' },
    { name: 'another group', metrics: [api], status: 'fail' },
  ];
  for (const c of cases) {
    test(`${c.name}: ${c.status}`, () => expect(judged(c.metrics, c.region)).toBe(c.status));
  }
});

test('nothing outside the lab’s folder names it', () => {
  // The code the project tracks, or would once this change is added; its docs may describe the lab.
  const naming = execFileSync(
    'git',
    ['grep', '-l', '--untracked', '-e', 'log-retention', '-e', LAB.logGroup, '--', '.', ':!*.md'],
    { cwd: ROOT, encoding: 'utf8' },
  )
    .split('\n')
    .filter((file) => file && !file.startsWith(`${LAB_FOLDER}/`));
  expect(naming.sort()).toEqual(['tests/grader/lab-folder.spec.ts']);
});
