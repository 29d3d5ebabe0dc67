import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localTargetNote, sandboxCredentials } from '../../helpers/aws-clients';
import { readSettings } from '../../helpers/settings';
import type { Grade } from '../../helpers/grade-contract';
import { startSandbox } from '../../sandbox/server';
import { expect, test } from '../fixtures/sandbox';
import { LabBuilder } from '../../specs/genai-monitoring/lab/scenario';
import { runGraderProcess, type GraderProcess } from '../../testkit/run-grader';

/** A refusal comes before any test: these runs take seconds; a graded one well under a minute. */
const RUN = { timeoutMs: 100_000 };
const ONE_CHECK = ['--grep', 'logging.enabled'];

async function listening(server: Server): Promise<number> {
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return (server.address() as AddressInfo).port;
}

async function freePort(): Promise<number> {
  const server = createServer();
  const port = await listening(server);
  await new Promise((done) => server.close(done));
  return port;
}

const refused = (port: number) =>
  new Promise<boolean>((done) =>
    connect(port, '127.0.0.1')
      .once('connect', function (this: ReturnType<typeof connect>) {
        this.destroy();
        done(false);
      })
      .once('error', () => done(true)),
  );

function partialGrade(run: GraderProcess): Grade {
  return JSON.parse(readFileSync(join(run.reportsDir, 'grade.partial.json'), 'utf8')) as Grade;
}

/** The run said one line, and nothing was graded. */
function expectOneLineRefusal(run: GraderProcess): string {
  expect(run.exitCode, run.output).toBe(1);
  const lines = run.output.trim().split('\n');
  expect(lines, 'one line, no stack trace').toHaveLength(1);
  expect(existsSync(join(run.reportsDir, 'grade.json'))).toBe(false);
  return lines[0]!;
}

test.describe('which sandbox a grading run uses', () => {
  test.describe.configure({ timeout: 120_000 });

  test('a sandbox elsewhere that does not answer is said so, not started here; what health says is printed inert', async ({
    accountId,
  }) => {
    const away = await runGraderProcess({ sandboxUrl: 'http://lab-host.invalid:4566', accountId, ...RUN });
    expect(expectOneLineRefusal(away)).toBe(
      'Nothing answers at LAB_SANDBOX_URL=http://lab-host.invalid:4566: start the sandbox there, or check the address.',
    );

    // Whatever answers health could try to write lines of its own into the run's output.
    const forged = createHttpServer((req, res) => {
      res.writeHead(req.url === '/_sandbox/health' ? 200 : 404, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          sandbox: 'lab',
          pid: 1,
          owner: 'standalone',
          stateDir: '/x\n\u001b[32mPASS 100/100',
        }),
      );
    });
    try {
      const port = await listening(forged);
      const run = await runGraderProcess({
        sandboxUrl: `http://127.0.0.1:${port}`,
        accountId,
        ...RUN,
        args: ONE_CHECK,
      });
      const using = run.output.split('\n').find((line) => line.startsWith('Using the lab sandbox'));
      expect(using).toBe(
        `Using the lab sandbox already running at http://127.0.0.1:${port} (process 1; state: /x [32mPASS 100/100).`,
      );
      expect(run.output).not.toContain('\u001b[32mPASS');
    } finally {
      forged.close();
    }
  });

  test('anything but a lab sandbox on the port stops the run in one line naming the port and what answered', async ({
    accountId,
  }) => {
    const localstack = createHttpServer((req, res) => {
      res.writeHead(req.url === '/_localstack/health' ? 200 : 404, { 'content-type': 'application/json' });
      res.end('{"services":{}}');
    });
    const notHttp = createServer((socket) => socket.end('SSH-2.0-OpenSSH_9.6\r\n'));
    try {
      const httpPort = await listening(localstack);
      const http = await runGraderProcess({ sandboxUrl: `http://127.0.0.1:${httpPort}`, accountId, ...RUN });
      expect(expectOneLineRefusal(http)).toBe(
        `Port ${httpPort} (LAB_SANDBOX_URL=http://127.0.0.1:${httpPort}) is taken by an HTTP server that is not a lab sandbox (LocalStack answers /_localstack/health): stop it, or set LAB_SANDBOX_URL to a free port (such as http://127.0.0.1:${httpPort + 1}).`,
      );

      const tcpPort = await listening(notHttp);
      const tcp = await runGraderProcess({ sandboxUrl: `http://127.0.0.1:${tcpPort}`, accountId, ...RUN });
      expect(expectOneLineRefusal(tcp)).toMatch(
        new RegExp(
          `^Port ${tcpPort} \\(LAB_SANDBOX_URL=\\S+\\) is taken by a listener that is not HTTP: stop it`,
        ),
      );
    } finally {
      localstack.close();
      notHttp.close();
    }
  });

  test('a lab sandbox another grading run started is not used: the run stops in one line naming its process', async ({
    accountId,
  }) => {
    const other = await startSandbox({ port: 0, owner: 'run' });
    try {
      const health = (await (await fetch(`${other.url}/_sandbox/health`)).json()) as object;
      expect(health).toMatchObject({ sandbox: 'lab', pid: process.pid, stateDir: null, owner: 'run' });
      const run = await runGraderProcess({ sandboxUrl: other.url, accountId, ...RUN });
      const line = expectOneLineRefusal(run);
      expect(line).toContain(`is the lab sandbox of another grading run (process ${process.pid})`);
      expect(line).toContain('npm run sandbox');
      expect(line).toContain('set LAB_SANDBOX_URL to another port');
    } finally {
      await other.close();
    }
  });

  test('a lab sandbox started on its own is used, and the run says so', async ({ sandbox, accountId }) => {
    await new LabBuilder(sandbox.url, accountId).enableLogging();
    const run = await runGraderProcess({ sandboxUrl: sandbox.url, accountId, args: ONE_CHECK, ...RUN });
    expect(run.output.split('\n')[0]).toBe(
      `Using the lab sandbox already running at ${sandbox.url} (process ${process.pid}; state: in memory only).`,
    );
    const grade = partialGrade(run);
    expect(grade.accountId).toBe(accountId);
    expect(grade.checks.find((c) => c.id === 'logging.enabled')?.status, run.output).toBe('pass');
  });

  test('with nothing on the port the run starts its own sandbox and stops it; a state directory in use is one line', async ({
    accountId,
  }) => {
    const port = await freePort();
    const own = await runGraderProcess({
      sandboxUrl: `http://127.0.0.1:${port}`,
      accountId,
      args: ONE_CHECK,
      ...RUN,
    });
    expect(own.output).not.toContain('Using the lab sandbox');
    expect(partialGrade(own).checks.find((c) => c.id === 'logging.enabled')?.status, own.output).toBe('fail');
    expect(await refused(port), 'the run’s sandbox ended with the run').toBe(true);

    const stateDir = mkdtempSync(join(tmpdir(), 'lab-state-'));
    const holder = await startSandbox({ port: 0, stateDir });
    try {
      const health = (await (await fetch(`${holder.url}/_sandbox/health`)).json()) as object;
      expect(health).toMatchObject({ stateDir, owner: 'standalone' });
      const run = await runGraderProcess({
        sandboxUrl: `http://127.0.0.1:${port}`,
        accountId,
        env: { LAB_SANDBOX_STATE_DIR: stateDir },
        ...RUN,
      });
      expect(expectOneLineRefusal(run)).toBe(
        `The lab sandbox could not start: ${stateDir} is in use by the sandbox of process ${process.pid} at ${holder.url}: use that one, or stop it first (if no sandbox runs, delete ${join(stateDir, 'lock')}).`,
      );
    } finally {
      await holder.close();
    }
  });

  test('LAB_TARGET=local ignores AWS_ENDPOINT_URL and an AWS account’s keys, and says so once', async ({
    sandbox,
  }) => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const run = await runGraderProcess({
      sandboxUrl: sandbox.url,
      accountId: '000000000000',
      env: {
        AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
        AWS_SECRET_ACCESS_KEY: secret,
        AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
        AWS_PROFILE: '',
      },
      args: ONE_CHECK,
      ...RUN,
    });
    const notes = run.output.split('\n').filter((line) => line.startsWith('LAB_TARGET=local: ignoring'));
    expect(notes, run.output).toEqual([
      `LAB_TARGET=local: ignoring AWS_ENDPOINT_URL and the ambient AWS credentials (AWS_ACCESS_KEY_ID); the lab sandbox's own are used, at ${sandbox.url} (LAB_TARGET=aws grades AWS with them).`,
    ]);
    expect(run.output).not.toContain(secret);
    // Signed in as the sandbox's own key: its account, and a verdict, not "the credentials were refused".
    const grade = partialGrade(run);
    expect(grade.accountId).toBe('000000000000');
    expect(grade.checks.find((c) => c.id === 'logging.enabled')?.status, run.output).not.toBe('inconclusive');
  });

  test('credentials meant for the sandbox are kept: its keys, its sessions, a profile of its keys', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-profiles-'));
    const file = join(dir, 'credentials');
    writeFileSync(
      file,
      '[work]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = real\n\n# class mode\n[lab-sandbox]\naws_access_key_id = 123456789012\naws_secret_access_key = s3cret\n',
    );
    const files = { AWS_SHARED_CREDENTIALS_FILE: file, AWS_CONFIG_FILE: join(dir, 'config') };
    expect(sandboxCredentials({ ...files, AWS_PROFILE: 'lab-sandbox' })).toEqual({
      credentials: { accessKeyId: '123456789012', secretAccessKey: 's3cret' },
      ignored: [],
    });
    // The profile is chosen for the sandbox: an AWS account's keys beside it are ignored.
    expect(
      sandboxCredentials({ ...files, AWS_PROFILE: 'lab-sandbox', AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE' }),
    ).toMatchObject({ credentials: { accessKeyId: '123456789012' }, ignored: ['AWS_ACCESS_KEY_ID'] });
    expect(sandboxCredentials({ ...files, AWS_PROFILE: 'work' })).toEqual({
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      ignored: ['AWS_PROFILE=work'],
    });
    const session = {
      AWS_ACCESS_KEY_ID: 'ASIA0123456789ABCDEF',
      AWS_SECRET_ACCESS_KEY: 'x',
      AWS_SESSION_TOKEN: 'IQoJsandboxAbC',
    };
    expect(sandboxCredentials(session).ignored).toEqual([]);
    expect(sandboxCredentials({ ...session, AWS_SESSION_TOKEN: 'IQoJb3JpZ2luX2VjEXAMPLE' }).ignored).toEqual([
      'AWS_ACCESS_KEY_ID',
    ]);
    const local = readSettings({ LAB_SANDBOX_URL: 'http://127.0.0.1:4566' });
    expect(
      localTargetNote(local, { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566/', AWS_ACCESS_KEY_ID: 'test' }),
    ).toBe(undefined);
    expect(localTargetNote(readSettings({ LAB_TARGET: 'aws' }), { AWS_ENDPOINT_URL: 'http://x' })).toBe(
      undefined,
    );
  });
});
