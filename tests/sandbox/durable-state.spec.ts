import { BedrockClient, PutModelInvocationLoggingConfigurationCommand } from '@aws-sdk/client-bedrock';
import { BedrockRuntimeClient, ConverseCommand, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import {
  CloudWatchClient,
  GetDashboardCommand,
  GetMetricDataCommand,
  PutDashboardCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  ListTagsLogGroupCommand,
  TagResourceCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { CreateRoleCommand, GetRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startSandbox, type RunningSandbox } from '../../sandbox/server';
import { bedrockTrustPolicy, logsDeliveryPolicy } from '../fixtures/lab-policies';
import { expect, test } from '../fixtures/sandbox';

/**
 * Durable state (`--state-dir`): what a sandbox acknowledged is there after a restart and after
 * `kill -9`, the same to the last id, key and timestamp.
 */
const ACCOUNT = '123456789012';
const GROUP = '/aws/bedrock/model-invocations';
const MODEL = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';

const config = (
  sandbox: RunningSandbox | string,
  credentials = { accessKeyId: ACCOUNT, secretAccessKey: 'test' },
) => ({
  endpoint: typeof sandbox === 'string' ? sandbox : sandbox.url,
  region: 'us-east-1',
  credentials,
  maxAttempts: 1,
});

/** The lab's writes, through every service the sandbox has. */
async function doTheLab(sandbox: RunningSandbox) {
  const aws = config(sandbox);
  const iam = new IAMClient(aws);
  await iam.send(
    new CreateRoleCommand({ RoleName: 'Logging', AssumeRolePolicyDocument: bedrockTrustPolicy(ACCOUNT) }),
  );
  await iam.send(
    new PutRolePolicyCommand({
      RoleName: 'Logging',
      PolicyName: 'logs',
      PolicyDocument: logsDeliveryPolicy({ accountId: ACCOUNT, logGroup: GROUP }),
    }),
  );
  await iam.send(
    new CreateRoleCommand({
      RoleName: 'Learner',
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' },
        ],
      }),
    }),
  );
  const { Credentials } = await new STSClient(aws).send(
    new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/Learner`, RoleSessionName: 'ada' }),
  );
  await new CloudWatchLogsClient(aws).send(
    new CreateLogGroupCommand({ logGroupName: GROUP, tags: { course: 'genai' } }),
  );
  await new CloudWatchLogsClient(aws).send(
    new TagResourceCommand({
      resourceArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${GROUP}`,
      tags: { lab: '5' },
    }),
  );
  await new BedrockClient(aws).send(
    new PutModelInvocationLoggingConfigurationCommand({
      loggingConfig: {
        cloudWatchConfig: { logGroupName: GROUP, roleArn: `arn:aws:iam::${ACCOUNT}:role/Logging` },
        textDataDeliveryEnabled: true,
      },
    }),
  );
  const runtime = new BedrockRuntimeClient(aws);
  for (const text of ['one', 'two']) {
    await runtime.send(
      new ConverseCommand({ modelId: MODEL, messages: [{ role: 'user', content: [{ text }] }] }),
    );
  }
  // InvokeModel's body is bytes: it must survive the journal as bytes.
  await runtime.send(
    new InvokeModelCommand({
      modelId: MODEL,
      contentType: 'application/json',
      body: JSON.stringify({
        anthropic_version: 'bedrock-2023-05-31',
        max_tokens: 50,
        messages: [{ role: 'user', content: 'three' }],
      }),
    }),
  );
  runtime.destroy();
  await new CloudWatchClient(aws).send(
    new PutDashboardCommand({
      DashboardName: 'GenAI-Monitoring',
      DashboardBody: JSON.stringify({ widgets: [] }),
    }),
  );
  return {
    accessKeyId: Credentials!.AccessKeyId!,
    secretAccessKey: Credentials!.SecretAccessKey!,
    sessionToken: Credentials!.SessionToken!,
  };
}

/** What the account holds, as the grader reads it. */
async function accountState(sandbox: RunningSandbox) {
  const aws = config(sandbox);
  const now = new Date();
  return {
    role: (await new IAMClient(aws).send(new GetRoleCommand({ RoleName: 'Logging' }))).Role,
    groups: (await new CloudWatchLogsClient(aws).send(new DescribeLogGroupsCommand({}))).logGroups,
    tags: (await new CloudWatchLogsClient(aws).send(new ListTagsLogGroupCommand({ logGroupName: GROUP })))
      .tags,
    events: (await new CloudWatchLogsClient(aws).send(new FilterLogEventsCommand({ logGroupName: GROUP })))
      .events,
    dashboard: (
      await new CloudWatchClient(aws).send(new GetDashboardCommand({ DashboardName: 'GenAI-Monitoring' }))
    ).DashboardBody,
    invocations: (
      await new CloudWatchClient(aws).send(
        new GetMetricDataCommand({
          StartTime: new Date(now.getTime() - 3600_000),
          EndTime: new Date(now.getTime() + 60_000),
          MetricDataQueries: [
            {
              Id: 'i',
              MetricStat: {
                Metric: {
                  Namespace: 'AWS/Bedrock',
                  MetricName: 'Invocations',
                  Dimensions: [{ Name: 'ModelId', Value: MODEL }],
                },
                Period: 60,
                Stat: 'Sum',
              },
            },
          ],
        }),
      )
    ).MetricDataResults?.[0]?.Values,
  };
}

/**
 * The sandbox as its own process on `stateDir` (after a shell `limit`, if any), and a Logs
 * client of it with the group `g` and its stream `s` made.
 */
async function sandboxProcess(stateDir: string, limit = '') {
  const cli = `"${join(resolve(__dirname, '../..'), 'sandbox/cli.ts')}" --port 0 --state-dir "${stateDir}"`;
  const child = spawn(
    'bash',
    ['-c', `${limit}${limit && ';'} exec "${process.execPath}" --require tsx/cjs ${cli}`],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const url = await new Promise<string>((done) => {
    child.stdout.on('data', (chunk: Buffer) => {
      const m = /listening on (http:\/\/\S+)/.exec(chunk.toString());
      if (m) done(m[1]!);
    });
  });
  const logs = new CloudWatchLogsClient(config(url));
  await logs.send(new CreateLogGroupCommand({ logGroupName: 'g' }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: 'g', logStreamName: 's' }));
  return { child, logs };
}

test.describe('durable state', () => {
  test('a restart rebuilds every account’s state exactly; temporary credentials still work', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-state-'));
    const first = await startSandbox({ port: 0, stateDir: dir });
    const session = await doTheLab(first);
    const before = await accountState(first);
    await first.close();

    const second = await startSandbox({ port: 0, stateDir: dir });
    try {
      expect(before.events).toHaveLength(4); // the permissions line and three records
      expect(before.tags).toEqual({ course: 'genai', lab: '5' });
      expect(await accountState(second)).toEqual(before);
      const { Arn } = await new STSClient(config(second, session)).send(new GetCallerIdentityCommand({}));
      expect(Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/Learner/ada`);
    } finally {
      await second.close();
    }
  });

  test('a reset empties the journal too; --reset starts clean', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-state-'));
    let sandbox = await startSandbox({ port: 0, stateDir: dir });
    await new CloudWatchLogsClient(config(sandbox)).send(new CreateLogGroupCommand({ logGroupName: 'a' }));
    await fetch(`${sandbox.url}/_sandbox/reset`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    await new CloudWatchLogsClient(config(sandbox)).send(new CreateLogGroupCommand({ logGroupName: 'b' }));
    await sandbox.close();
    sandbox = await startSandbox({ port: 0, stateDir: dir });
    const names = async () =>
      (
        (await new CloudWatchLogsClient(config(sandbox)).send(new DescribeLogGroupsCommand({}))).logGroups ??
        []
      ).map((g) => g.logGroupName);
    expect(await names()).toEqual(['b']);
    await sandbox.close();
    sandbox = await startSandbox({ port: 0, stateDir: dir, reset: true });
    expect(await names()).toEqual([]);
    await sandbox.close();
  });

  test('one sandbox per state: a second is refused, naming the one running', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-state-'));
    const sandbox = await startSandbox({ port: 0, stateDir: dir });
    try {
      await expect(startSandbox({ port: 0, stateDir: dir })).rejects.toThrow(
        `${dir} is in use by the sandbox of process ${process.pid} at ${sandbox.url}`,
      );
    } finally {
      await sandbox.close();
    }
  });

  test('a damaged or newer journal is refused with the file and line; a line cut short by a crash is dropped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-state-'));
    const sandbox = await startSandbox({ port: 0, stateDir: dir });
    await new CloudWatchLogsClient(config(sandbox)).send(new CreateLogGroupCommand({ logGroupName: 'kept' }));
    await sandbox.close();
    const file = join(dir, 'journal.jsonl');
    const good = readFileSync(file, 'utf8');

    appendFileSync(file, '{"t":1,"service":"logs","operation":"CreateLogGro'); // a crash mid-line
    const restarted = await startSandbox({ port: 0, stateDir: dir });
    const { logGroups } = await new CloudWatchLogsClient(config(restarted)).send(
      new DescribeLogGroupsCommand({}),
    );
    expect(logGroups?.map((g) => g.logGroupName)).toEqual(['kept']);
    await restarted.close();
    expect(readFileSync(file, 'utf8')).toBe(good);

    const [head, ...rest] = good.split('\n');
    writeFileSync(file, [head, 'not json', ...rest].join('\n'));
    await expect(startSandbox({ port: 0, stateDir: dir })).rejects.toThrow(
      `${file} line 2 is damaged (not a journal entry)`,
    );

    writeFileSync(file, good.replace('"version":1', '"version":99'));
    await expect(startSandbox({ port: 0, stateDir: dir })).rejects.toThrow(
      `${file} was written by a newer lab sandbox (journal version 99; this one reads 1)`,
    );
  });
});

test.describe('the journal keeps exactly what ran', () => {
  test('a latency profile changed while a call waits on the model: the call replays as it ran', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-state-'));
    const sandbox = await startSandbox({ port: 0, stateDir: dir, latency: 'realistic' });
    await doTheLab(sandbox);
    const runtime = new BedrockRuntimeClient(config(sandbox));
    const call = runtime.send(
      new ConverseCommand({ modelId: MODEL, messages: [{ role: 'user', content: [{ text: 'four' }] }] }),
    );
    await new Promise((r) => setTimeout(r, 200)); // the realistic profile's model takes 1 s
    await fetch(`${sandbox.url}/_sandbox/latency`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ profile: 'none' }),
    });
    await call;
    runtime.destroy();
    // The realistic profile ingests logs ~5 s late: read once everything written is visible, so
    // that the state compared after the restart is not merely later.
    await expect.poll(async () => (await accountState(sandbox)).events?.length, { timeout: 15_000 }).toBe(5); // the permissions line and four records
    const before = await accountState(sandbox);
    await sandbox.close();
    const again = await startSandbox({ port: 0, stateDir: dir });
    try {
      expect(await accountState(again)).toEqual(before);
    } finally {
      await again.close();
    }
  });

  test('input keys that look like the journal’s own tags come back as they were sent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-state-'));
    const sandbox = await startSandbox({ port: 0, stateDir: dir });
    const body = JSON.stringify({
      widgets: [{ type: 'text', properties: { markdown: 'x', $date: '2026-01-01', $b64: 'AA==', $$x: 1 } }],
    });
    await new CloudWatchClient(config(sandbox)).send(
      new PutDashboardCommand({ DashboardName: 'd', DashboardBody: body }),
    );
    await new BedrockRuntimeClient(config(sandbox)).send(
      new ConverseCommand({
        modelId: MODEL,
        messages: [{ role: 'user', content: [{ text: 'tags' }] }],
        additionalModelRequestFields: { note: { $date: '2026-01-01T00:00:00Z' }, blob: { $b64: 'AA==' } },
      }),
    );
    await sandbox.close();
    const again = await startSandbox({ port: 0, stateDir: dir });
    try {
      const { DashboardBody } = await new CloudWatchClient(config(again)).send(
        new GetDashboardCommand({ DashboardName: 'd' }),
      );
      expect(DashboardBody).toBe(body);
    } finally {
      await again.close();
    }
  });

  test('a header a crash cut short held nothing: the sandbox starts empty; a replay that ends otherwise than it ran stops the start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-state-'));
    const file = join(dir, 'journal.jsonl');
    writeFileSync(file, '{"format":"lab-sand');
    const sandbox = await startSandbox({ port: 0, stateDir: dir });
    await new CloudWatchLogsClient(config(sandbox)).send(new CreateLogGroupCommand({ logGroupName: 'g' }));
    await sandbox.close();
    // As if the code had changed: the journal says CreateLogGroup failed, the replay succeeds.
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('"outcome":"ok"', '"outcome":"ResourceAlreadyExistsException"'),
    );
    await expect(startSandbox({ port: 0, stateDir: dir })).rejects.toThrow(
      `${file} line 2: logs:CreateLogGroup ended ok on replay, ResourceAlreadyExistsException when it ran`,
    );
  });
});

test('a journal larger than one read (16 MB) replays whole, lines split across reads included', async () => {
  test.setTimeout(60_000);
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-state-'));
  const sandbox = await startSandbox({ port: 0, stateDir: dir });
  const logs = new CloudWatchLogsClient(config(sandbox));
  await logs.send(new CreateLogGroupCommand({ logGroupName: 'g' }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: 'g', logStreamName: 's' }));
  const message = 'x'.repeat(190);
  // 4,500 events of 216 counted bytes: under PutLogEvents' 1,048,576 a call.
  for (let batch = 0; batch < 22; batch++) {
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: 'g',
        logStreamName: 's',
        logEvents: Array.from({ length: 4_500 }, () => ({ timestamp: Date.now(), message })),
      }),
    );
  }
  const stored = async (at: RunningSandbox) => ({
    groups: (await new CloudWatchLogsClient(config(at)).send(new DescribeLogGroupsCommand({}))).logGroups,
    streams: (
      await new CloudWatchLogsClient(config(at)).send(new DescribeLogStreamsCommand({ logGroupName: 'g' }))
    ).logStreams,
  });
  const before = await stored(sandbox);
  await sandbox.close();
  expect(statSync(join(dir, 'journal.jsonl')).size).toBeGreaterThan(16 * 1024 * 1024);
  const restarted = await startSandbox({ port: 0, stateDir: dir });
  try {
    expect(before.groups?.[0]?.storedBytes).toBe(99_000 * 190);
    expect(await stored(restarted)).toEqual(before);
  } finally {
    await restarted.close();
  }
});

test('one account cannot fill the disk: past its share of the state its changes are refused, others go on', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-state-'));
  const sandbox = await startSandbox({ port: 0, stateDir: dir, accountStateLimitBytes: 64 * 1024 });
  try {
    const logs = new CloudWatchLogsClient(config(sandbox));
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'g' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: 'g', logStreamName: 's' }));
    const put = () =>
      logs.send(
        new PutLogEventsCommand({
          logGroupName: 'g',
          logStreamName: 's',
          logEvents: [{ timestamp: Date.now(), message: 'x'.repeat(10_000) }],
        }),
      );
    let refused: unknown;
    for (let i = 0; i < 20 && !refused; i++) await put().catch((error: unknown) => (refused = error));
    expect(refused).toMatchObject({
      name: 'LimitExceededException',
      message:
        "This account's saved state has reached the sandbox's limit of 64 KiB: ask the instructor to reset the sandbox.",
    });
    await expect(logs.send(new DescribeLogGroupsCommand({}))).resolves.toBeDefined();
    const other = new CloudWatchLogsClient(
      config(sandbox, { accessKeyId: '210987654321', secretAccessKey: 'test' }),
    );
    await expect(other.send(new CreateLogGroupCommand({ logGroupName: 'mine' }))).resolves.toBeDefined();
  } finally {
    await sandbox.close();
  }
});

test('processes starting at once on a state with a stale lock: exactly one takes it', async () => {
  test.setTimeout(90_000);
  const cli = join(resolve(__dirname, '../..'), 'sandbox/cli.ts');
  for (let round = 0; round < 3; round++) {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-state-'));
    writeFileSync(join(dir, 'lock'), JSON.stringify({ pid: 2 ** 22 + 1 })); // a process that is gone
    const children = Array.from({ length: 3 }, () =>
      spawn(process.execPath, ['--require', 'tsx/cjs', cli, '--port', '0', '--state-dir', dir], {
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    const ends = await Promise.all(
      children.map(
        (child) =>
          new Promise<'listening' | 'refused'>((done) => {
            child.stdout.on(
              'data',
              (chunk: Buffer) => chunk.toString().includes('listening') && done('listening'),
            );
            child.stderr.on(
              'data',
              (chunk: Buffer) => chunk.toString().includes('is in use') && done('refused'),
            );
            child.once('exit', () => done('refused'));
          }),
      ),
    );
    for (const child of children) child.kill('SIGKILL');
    expect(
      ends.filter((e) => e === 'listening'),
      `round ${round}: ${ends.join(', ')}`,
    ).toHaveLength(1);
  }
});

test('a full disk: the write it refused is answered as failed, later writes are refused, nothing answered is lost', async () => {
  test.setTimeout(60_000);
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-state-'));
  // A file size limit of 64 KiB stands for the disk filling up.
  const { child, logs } = await sandboxProcess(dir, 'ulimit -f 64');
  const acknowledged: string[] = [];
  let refusal: unknown;
  for (let i = 0; i < 200 && !refusal; i++) {
    const message = `${i} ${'x'.repeat(1000)}`;
    try {
      await logs.send(
        new PutLogEventsCommand({
          logGroupName: 'g',
          logStreamName: 's',
          logEvents: [{ timestamp: Date.now(), message }],
        }),
      );
      acknowledged.push(message);
    } catch (error) {
      refusal = error;
    }
  }
  expect(refusal).toMatchObject({ name: 'ServiceUnavailableException', $metadata: { httpStatusCode: 503 } });
  await expect(logs.send(new CreateLogGroupCommand({ logGroupName: 'later' }))).rejects.toMatchObject({
    name: 'ServiceUnavailableException',
  });
  await expect(logs.send(new DescribeLogGroupsCommand({}))).resolves.toBeDefined(); // reads go on
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));

  const restarted = await startSandbox({ port: 0, stateDir: dir });
  try {
    const { events = [] } = await new CloudWatchLogsClient(config(restarted)).send(
      new FilterLogEventsCommand({ logGroupName: 'g' }),
    );
    expect(acknowledged.length).toBeGreaterThan(10);
    expect(events.map((e) => e.message)).toEqual(acknowledged);
  } finally {
    await restarted.close();
  }
});

test('kill -9 while writes are in flight loses nothing acknowledged', async () => {
  test.setTimeout(60_000);
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-state-'));
  const { child, logs } = await sandboxProcess(dir);
  const acknowledged: string[] = [];
  // Four writers at once; the process is killed while they run.
  const writers = Array.from({ length: 4 }, async (_, w) => {
    for (let i = 0; ; i++) {
      const message = `writer ${w} event ${i}`;
      try {
        await logs.send(
          new PutLogEventsCommand({
            logGroupName: 'g',
            logStreamName: 's',
            logEvents: [{ timestamp: Date.now(), message }],
          }),
        );
      } catch {
        return;
      }
      acknowledged.push(message);
    }
  });
  await expect.poll(() => acknowledged.length).toBeGreaterThan(100);
  child.kill('SIGKILL');
  await Promise.all(writers);
  await new Promise((r) => child.once('exit', r));

  const restarted = await startSandbox({ port: 0, stateDir: dir });
  try {
    const stored = new Set<string>();
    let nextToken: string | undefined;
    do {
      const page = await new CloudWatchLogsClient(config(restarted)).send(
        new FilterLogEventsCommand({ logGroupName: 'g', nextToken }),
      );
      for (const e of page.events ?? []) stored.add(e.message!);
      nextToken = page.nextToken;
    } while (nextToken);
    expect(acknowledged.filter((m) => !stored.has(m))).toEqual([]);
  } finally {
    await restarted.close();
  }
});
