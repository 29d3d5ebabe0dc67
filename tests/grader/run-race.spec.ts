import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Grade } from '../../helpers/grade-contract';
import { startSandbox, type SandboxOwner } from '../../sandbox/server';
import { runGraderProcess, type GraderProcess } from '../../testkit/run-grader';
import { expect, test } from '../fixtures/sandbox';

/**
 * Loaded into each process of the grading run (NODE_OPTIONS), it acts only in the sandbox the
 * run starts (fixtures/global-setup.ts marks it LAB_SANDBOX_OWNER=run): that sandbox is started
 * once the run found the port free, and it waits there until the test has taken the port.
 */
const GATE = `
const { existsSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
if (process.env.LAB_SANDBOX_OWNER === 'run') {
  const dir = process.env.LAB_TEST_GATE_DIR;
  writeFileSync(join(dir, 'probed'), '');
  const pause = new Int32Array(new SharedArrayBuffer(4));
  const until = Date.now() + 60000;
  while (!existsSync(join(dir, 'taken')) && Date.now() < until) Atomics.wait(pause, 0, 0, 20);
}
`;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

/**
 * A grading run on a free port whose own sandbox finds it taken by a sandbox of `owner`, started
 * in this process after the run looked and before its sandbox listens.
 */
async function raceForThePort(accountId: string, owner: SandboxOwner): Promise<GraderProcess> {
  const port = await freePort();
  const gate = mkdtempSync(join(tmpdir(), 'lab-race-'));
  writeFileSync(join(gate, 'gate.cjs'), GATE);
  const run = runGraderProcess({
    sandboxUrl: `http://127.0.0.1:${port}`,
    accountId,
    env: { NODE_OPTIONS: `--require ${join(gate, 'gate.cjs')}`, LAB_TEST_GATE_DIR: gate },
    args: ['--grep', 'logging.enabled'],
    timeoutMs: 100_000,
  });
  await expect.poll(() => existsSync(join(gate, 'probed')), { timeout: 60_000 }).toBe(true);
  const other = await startSandbox({ port, owner });
  try {
    writeFileSync(join(gate, 'taken'), '');
    return await run;
  } finally {
    await other.close();
  }
}

test.describe('grading runs started at the same moment on one port', () => {
  test.describe.configure({ timeout: 120_000 });

  test('the port taken by another run’s sandbox just now: one line naming that run’s process', async ({
    accountId,
  }) => {
    const run = await raceForThePort(accountId, 'run');
    expect(run.exitCode, run.output).toBe(1);
    const lines = run.output.trim().split('\n');
    expect(lines, 'one line, no stack trace').toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^LAB_SANDBOX_URL=http://127\\.0\\.0\\.1:\\d+ was taken just now by the lab sandbox of another grading run \\(process ${process.pid}\\), which stops when that run ends: `,
      ),
    );
    expect(existsSync(join(run.reportsDir, 'grade.partial.json'))).toBe(false);
  });

  test('the port taken by a standalone sandbox just now: the run uses it, and says so', async ({
    accountId,
  }) => {
    const run = await raceForThePort(accountId, 'standalone');
    expect(run.output.split('\n')[0], run.output).toMatch(
      new RegExp(
        `^Using the lab sandbox started just now at http://127\\.0\\.0\\.1:\\d+ \\(process ${process.pid}; state: in memory only\\)\\.$`,
      ),
    );
    const grade = JSON.parse(readFileSync(join(run.reportsDir, 'grade.partial.json'), 'utf8')) as Grade;
    expect(grade.checks.find((c) => c.id === 'logging.enabled')?.status, run.output).toBe('fail');
  });
});
