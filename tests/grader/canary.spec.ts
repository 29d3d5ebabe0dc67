import {
  CloudWatchClient,
  GetDashboardCommand,
  ListDashboardsCommand,
  PutDashboardCommand,
} from '@aws-sdk/client-cloudwatch';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test } from '../fixtures/sandbox';

const ROOT = resolve(__dirname, '../..');

/**
 * The lab canary, run as CI runs it (`npm run canary`), in a sandbox of its own. The sandbox's
 * catalogue dates the lab's model (Claude 3.5 Sonnet v2) past its end of life, and the lab's
 * queries name fields Bedrock's records do not have: the lab as written no longer works.
 */
function canary(
  sandboxUrl: string,
  accountId: string,
  accept: string,
  { reportsDir = mkdtempSync(join(tmpdir(), 'lab-canary-test-')), args = ['--grep-invert', '@console'] } = {},
) {
  const summaryFile = join(reportsDir, 'summary.md');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LAB_TARGET: 'local',
    LAB_SANDBOX_URL: sandboxUrl,
    AWS_ACCESS_KEY_ID: accountId,
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-east-1',
    LAB_REPORTS_DIR: reportsDir,
    LAB_INGESTION_TIMEOUT: '3',
    LAB_WORKERS: '2',
    LAB_CANARY_ACCEPT: accept,
    GITHUB_STEP_SUMMARY: summaryFile,
  };
  for (const key of Object.keys(env)) if (key.startsWith('TEST_') || key.startsWith('PW_')) delete env[key];
  delete env.CI;
  return new Promise<{ exitCode: number; summary: string }>((done) => {
    execFile(
      process.execPath,
      ['--require', 'tsx/cjs', join(ROOT, 'scripts/lab-canary.ts'), ...args],
      { cwd: ROOT, env, maxBuffer: 16 * 1024 * 1024 },
      (error) => {
        const exitCode = error ? ((error as { code?: number }).code ?? 1) : 0;
        done({ exitCode, summary: readFileSync(summaryFile, 'utf8') });
      },
    );
  });
}

test.describe('the lab canary', () => {
  test.setTimeout(240_000);

  test('fails when the lab’s model is past its end of life, naming it in the job summary', async ({
    sandbox,
    accountId,
  }) => {
    const { exitCode, summary } = await canary(sandbox.url, accountId, 'lab-query-fields');
    expect(exitCode).toBe(1);
    expect(summary).toContain('the lab no longer works as written');
    expect(summary).toMatch(
      /lab-model-end-of-life: The lab's model anthropic\.claude-3-5-sonnet-20241022-v2:0 was refused/,
    );
    // Acknowledged drift is still reported, and does not fail the canary by itself.
    expect(summary).toContain('acknowledged (LAB_CANARY_ACCEPT): lab-query-fields');
  });

  test('fails on a query field Bedrock’s records lack, and passes once every drift is acknowledged', async ({
    sandbox,
    accountId,
  }) => {
    const strict = await canary(sandbox.url, accountId, 'lab-model-end-of-life');
    expect(strict.exitCode).toBe(1);
    expect(strict.summary).toMatch(
      /- lab-query-fields: The lab's queries name fields Bedrock's records do not have/,
    );

    const acknowledged = await canary(sandbox.url, accountId, 'lab-model-end-of-life,lab-query-fields');
    expect(acknowledged.summary).toContain('the lab works as written');
    expect(acknowledged.summary).toContain('100/100, complete');
    expect(acknowledged.exitCode).toBe(0);
  });

  test('an earlier grade in the reports folder never passes for a run that graded nothing', async ({
    sandbox,
    accountId,
  }) => {
    const reportsDir = mkdtempSync(join(tmpdir(), 'lab-canary-stale-'));
    const full = {
      lab: 'Lab 5',
      score: 100,
      maxScore: 100,
      status: 'complete',
      checks: [],
      notes: [],
      inconclusive: [],
    };
    writeFileSync(join(reportsDir, 'grade.json'), JSON.stringify(full));
    const { exitCode, summary } = await canary(sandbox.url, accountId, '', {
      reportsDir,
      args: ['--grep', 'no check is called this'],
    });
    expect(summary).toContain('the run wrote no grade');
    expect(exitCode).toBe(1);
  });

  test('a sandbox already running, which may hold a learner’s work, is left alone', async ({
    sandbox,
    accountId,
  }) => {
    const cloudwatch = new CloudWatchClient({
      endpoint: sandbox.url,
      region: 'us-east-1',
      credentials: { accessKeyId: accountId, secretAccessKey: 'test' },
    });
    await cloudwatch.send(
      new PutDashboardCommand({ DashboardName: 'GenAI-Monitoring', DashboardBody: '{"widgets":[]}' }),
    );
    await canary(sandbox.url, accountId, 'lab-model-end-of-life,lab-query-fields');
    const { DashboardEntries } = await cloudwatch.send(new ListDashboardsCommand({}));
    expect(DashboardEntries?.map((d) => d.DashboardName)).toEqual(['GenAI-Monitoring']);
    expect(
      await cloudwatch.send(new GetDashboardCommand({ DashboardName: 'GenAI-Monitoring' })),
    ).toMatchObject({
      DashboardBody: '{"widgets":[]}',
    });
  });
});
