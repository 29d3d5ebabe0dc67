import { PutDashboardCommand } from '@aws-sdk/client-cloudwatch';
import { CreateLogGroupCommand, PutRetentionPolicyCommand } from '@aws-sdk/client-cloudwatch-logs';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { createClients } from '../../helpers/aws-clients';
import { definition } from '../labs/log-retention/lab/definition';
import { LAB } from '../labs/log-retention/lab/facts';
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
