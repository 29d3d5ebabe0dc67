import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DescribeLogGroupsCommand,
  CreateLogStreamCommand,
  FilterLogEventsCommand,
  GetQueryResultsCommand,
  PutLogEventsCommand,
  StartQueryCommand,
  StopQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { connect as connectHttp2 } from 'node:http2';
import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { AUDIT_LIMITS, AuditLog } from '../../sandbox/conditions';
import { startSandbox } from '../../sandbox/server';
import { FINISHED_QUERY_LIMITS } from '../../sandbox/logs/queries';
import { expect, test } from '../fixtures/sandbox';
import { signedRequest } from '../fixtures/signed-request';

/** Health answers: the sandbox, and every account's state in it, lives on. */
async function healthy(url: string): Promise<void> {
  const response = await fetch(`${url}/_sandbox/health`, { signal: AbortSignal.timeout(2_000) });
  expect(response.status).toBe(200);
}

/** Writes raw bytes on a fresh connection, then closes or resets it. */
function rawRequest(url: string, bytes: string, end: 'close' | 'reset'): Promise<void> {
  const { hostname, port } = new URL(url);
  return new Promise((done) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(bytes, () => {
        if (end === 'reset') socket.resetAndDestroy();
        else socket.end();
      });
    });
    socket.on('error', () => undefined);
    socket.resume(); // read whatever the sandbox answers, so its close reaches us
    socket.on('close', () => done());
  });
}

const truncated = (url: string) =>
  `POST / HTTP/1.1\r\nHost: ${new URL(url).host}\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: Logs_20140328.DescribeLogGroups\r\nContent-Length: 1000\r\n\r\n{"limit":`;

test.describe('hostile requests fail alone', () => {
  test('a body shorter than its Content-Length, then a close', async ({ sandbox }) => {
    for (let i = 0; i < 20; i++) await rawRequest(sandbox.url, truncated(sandbox.url), 'close');
    await healthy(sandbox.url);
  });

  test('a body cut by a connection reset', async ({ sandbox }) => {
    for (let i = 0; i < 20; i++) await rawRequest(sandbox.url, truncated(sandbox.url), 'reset');
    await healthy(sandbox.url);
  });

  test('a connection reset after one byte, before any protocol is known', async ({ sandbox }) => {
    for (let i = 0; i < 20; i++) await rawRequest(sandbox.url, 'P', 'reset');
    await healthy(sandbox.url);
  });

  test('an HTTP/2 stream reset mid-body', async ({ sandbox }) => {
    const session = connectHttp2(sandbox.url);
    session.on('error', () => undefined);
    for (let i = 0; i < 20; i++) {
      const stream = session.request({
        ':method': 'POST',
        ':path': '/model/x/invoke',
        'content-length': '1000',
      });
      stream.on('error', () => undefined);
      stream.write('{"messages":');
      await new Promise((resolve) => setTimeout(resolve, 5));
      stream.close(8); // NGHTTP2_CANCEL
    }
    session.close();
    await healthy(sandbox.url);
  });
});

test.describe('pathological regular expressions cost no more than others (RE2)', () => {
  const message = `${'a'.repeat(40)}!`; // 2^40 steps for a backtracking engine on (a+)+$

  test('a Logs Insights regex and a filter-pattern regex over a pathological message', async ({ aws }) => {
    const logs = new CloudWatchLogsClient(aws);
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'g' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: 'g', logStreamName: 's' }));
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: 'g',
        logStreamName: 's',
        logEvents: [{ timestamp: Date.now(), message }],
      }),
    );
    const { events = [] } = await logs.send(
      new FilterLogEventsCommand({ logGroupName: 'g', filterPattern: '%(a+)+$%' }),
    );
    expect(events).toEqual([]);
    const { queryId } = await logs.send(
      new StartQueryCommand({
        logGroupName: 'g',
        queryString: 'filter @message like /(a+)+$/ | stats count(*) as n',
        startTime: Math.floor(Date.now() / 1000) - 60,
        endTime: Math.floor(Date.now() / 1000) + 60,
      }),
    );
    await expect
      .poll(async () => (await logs.send(new GetQueryResultsCommand({ queryId }))).status)
      .toBe('Complete');
    const { results } = await logs.send(new GetQueryResultsCommand({ queryId }));
    expect(results).toEqual([[{ field: 'n', value: '0' }]]);
  });

  test('a lookahead is refused, as RE2 refuses it', async ({ aws }) => {
    const logs = new CloudWatchLogsClient(aws);
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'g' }));
    await expect(
      logs.send(new FilterLogEventsCommand({ logGroupName: 'g', filterPattern: '%a(?=b)%' })),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });
});

test.describe('bounded work', () => {
  test('a body declared larger than any the services take is refused before it is read', async ({
    sandbox,
  }) => {
    const { hostname, port } = new URL(sandbox.url);
    const answer = await new Promise<string>((done) => {
      let text = '';
      const socket = connect(Number(port), hostname, () =>
        socket.write(
          `POST / HTTP/1.1\r\nHost: ${hostname}\r\nContent-Length: ${64 * 1024 * 1024}\r\n\r\n${'x'.repeat(1000)}`,
        ),
      );
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.on('error', () => undefined);
      socket.on('close', () => done(text));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    await healthy(sandbox.url);
  });

  test('a chunked body that grows past the limit is cut off', async ({ sandbox }) => {
    const chunk = Buffer.alloc(1024 * 1024, 'x');
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        // Up to 200 MB: a sandbox that read on would take it all; the client may queue a few
        // dozen MB past the cut before it hears of it, more so on a busy machine.
        if (sent++ < 200) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const response = await fetch(`${sandbox.url}/`, {
      method: 'POST',
      body,
      duplex: 'half',
    } as RequestInit).catch((error: unknown) => error);
    if (response instanceof Response) expect(response.status).toBe(413);
    expect(sent, 'the sandbox stopped reading well before 200 MB').toBeLessThan(200);
    await healthy(sandbox.url);
  });

  test('a connection that never says which protocol it speaks is closed', async ({ sandbox }) => {
    // Without the routing timeout the socket stays open and the test times out.
    test.setTimeout(30_000);
    const { hostname, port } = new URL(sandbox.url);
    await new Promise<void>((done) => {
      const socket = connect(Number(port), hostname, () => socket.write('P'));
      socket.on('error', () => undefined);
      socket.resume();
      socket.on('close', () => done());
    });
  });
});

test.describe('bounded memory', () => {
  test('finished queries are kept up to the newest 100 an account; older ids are unknown', async ({
    aws,
  }) => {
    test.setTimeout(60_000);
    const logs = new CloudWatchLogsClient(aws);
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'g' }));
    const ids: string[] = [];
    for (let i = 0; i < FINISHED_QUERY_LIMITS.count + 5; i++) {
      const { queryId } = await logs.send(
        new StartQueryCommand({ logGroupName: 'g', queryString: 'stats count(*)', startTime: 0, endTime: 1 }),
      );
      await expect
        .poll(async () => (await logs.send(new GetQueryResultsCommand({ queryId }))).status)
        .toBe('Complete');
      ids.push(queryId!);
    }
    await expect(logs.send(new GetQueryResultsCommand({ queryId: ids[0] }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    const newest = await logs.send(new GetQueryResultsCommand({ queryId: ids.at(-1) }));
    expect(newest.status).toBe('Complete');
    const kept = await Promise.all(
      ids.map((queryId) =>
        logs.send(new GetQueryResultsCommand({ queryId })).then(
          () => 1,
          () => 0,
        ),
      ),
    );
    expect(kept.reduce((a: number, b) => a + b, 0)).toBe(FINISHED_QUERY_LIMITS.count);
  });

  test('the audit log keeps the last day, about 100,000 calls at most', () => {
    const log = new AuditLog();
    const entry = (time: number) => ({
      time: new Date(time).toISOString(),
      requestId: 'r',
      accountId: 'a',
      region: 'us-east-1',
      service: 'logs',
      operation: 'X',
      caller: 'c',
      readOnly: true,
      status: 200,
    });
    const old = Date.now() - AUDIT_LIMITS.ageMs - 1_000;
    for (let i = 0; i < AUDIT_LIMITS.every - 1; i++) log.record(entry(old));
    log.record(entry(Date.now()));
    expect(log.list()).toHaveLength(1);
    for (let i = 0; i < AUDIT_LIMITS.entries + 2 * AUDIT_LIMITS.every; i++) log.record(entry(Date.now()));
    expect(log.list().length).toBeLessThanOrEqual(AUDIT_LIMITS.entries + AUDIT_LIMITS.every);
  });
});

test.describe('inputs are held to the SDK model’s types before anything sees them', () => {
  /** A JSON-protocol call signed for `accountId`, whatever its body. */
  async function call(
    url: string,
    accountId: string,
    service: string,
    target: string,
    version: string,
    body: unknown,
  ) {
    const response = await signedRequest(url, accountId, {
      service,
      headers: { 'content-type': `application/x-amz-json-${version}`, 'x-amz-target': target },
      body: JSON.stringify(body),
    });
    return {
      status: response.status,
      body: (await response.json()) as { __type?: string; message?: string },
    };
  }

  test('a log group named by a list is refused, and the account stays usable', async ({
    sandbox,
    accountId,
  }) => {
    const bad = await call(sandbox.url, accountId, 'logs', 'Logs_20140328.CreateLogGroup', '1.1', {
      logGroupName: ['a', 'b'],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.__type).toContain('SerializationException');
    expect(bad.body.message).toContain('logGroupName');
    const list = await call(sandbox.url, accountId, 'logs', 'Logs_20140328.DescribeLogGroups', '1.1', {});
    expect(list.status).toBe(200);
  });

  test('a dashboard named by a list is refused before it is authorised against any resource', async ({
    sandbox,
    accountId,
  }) => {
    const bad = await call(
      sandbox.url,
      accountId,
      'monitoring',
      'GraniteServiceVersion20100801.GetDashboard',
      '1.0',
      {
        DashboardName: ['GenAI-Monitoring'],
      },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.__type).toContain('SerializationException');
  });

  test('a member given as null is a member not given', async ({ sandbox, accountId }) => {
    const ok = await call(sandbox.url, accountId, 'logs', 'Logs_20140328.DescribeLogGroups', '1.1', {
      logGroupNamePrefix: null,
      limit: null,
    });
    expect(ok.status).toBe(200);
  });
});

test('a Logs Insights query longer than the 10,000 characters StartQuery takes is refused unparsed', async ({
  aws,
}) => {
  const logs = new CloudWatchLogsClient(aws);
  await logs.send(new CreateLogGroupCommand({ logGroupName: 'g' }));
  await expect(
    logs.send(
      new StartQueryCommand({
        logGroupName: 'g',
        queryString: `fields @message ${'| limit 1 '.repeat(100_000)}`,
        startTime: 0,
        endTime: 1,
      }),
    ),
  ).rejects.toMatchObject({
    name: 'InvalidParameterException',
    message: expect.stringContaining(
      "at 'queryString' failed to satisfy constraint: Member must have length less than or equal to 10000",
    ),
  });
});

test.describe('requests crafted to reach past the request they are in', () => {
  /** Signed for `accountId` and `service`; the body is sent as given. */
  async function send(
    url: string,
    accountId: string,
    options: {
      service: string;
      method?: string;
      path?: string;
      headers?: Record<string, string>;
      body?: string | Buffer;
    },
  ) {
    const response = await signedRequest(url, accountId, options);
    return { status: response.status, text: await response.text() };
  }
  const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

  test('a Query parameter named __proto__ is refused, and reaches no other account', async ({
    sandbox,
    accountId,
    aws,
  }) => {
    const attack = await send(sandbox.url, accountId, {
      service: 'iam',
      headers: FORM,
      body: 'Action=ListRoles&Version=2010-05-08&__proto__.session.kind=federated-user',
    });
    expect(attack.status).toBe(400);
    expect(attack.text).toContain('MalformedQueryString');
    expect(({} as Record<string, unknown>).session).toBeUndefined();
    const other = {
      ...aws,
      credentials: { accessKeyId: String(Number(accountId) + 1), secretAccessKey: 'test' },
    };
    await expect(
      new CloudWatchLogsClient(other).send(new DescribeLogGroupsCommand({})),
    ).resolves.toBeDefined();
  });

  test('a list index of a hundred million is refused at once', async ({ sandbox, accountId }) => {
    const { status, text } = await send(sandbox.url, accountId, {
      service: 'monitoring',
      headers: FORM,
      body: 'Action=ListMetrics&Version=2010-08-01&Dimensions.member.100000000.Name=a',
    });
    expect(status).toBe(400);
    expect(text).toContain('MalformedQueryString');
  });

  test('a gzip body that inflates past the limit is refused, signed or not', async ({
    sandbox,
    accountId,
  }) => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(100_000);
    const { status, text } = await send(sandbox.url, accountId, {
      service: 'monitoring',
      headers: { ...FORM, 'content-encoding': 'gzip' },
      body: bomb,
    });
    expect(status).toBe(400);
    expect(text).toContain('once inflated');
    await healthy(sandbox.url);
  });

  test('JSON nested two million deep is the client’s error', async ({ sandbox, accountId }) => {
    const { status, text } = await send(sandbox.url, accountId, {
      service: 'logs',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'Logs_20140328.DescribeLogGroups',
      },
      body: `{"logGroupNamePrefix":${'['.repeat(2_000_000)}${']'.repeat(2_000_000)}}`,
    });
    expect(status).toBe(400);
    expect(text).toContain('SerializationException');
  });

  test('an operation named after an object’s own properties names none', async ({ sandbox, accountId }) => {
    for (const [service, target] of [
      ['logs', 'Logs_20140328.constructor'],
      ['logs', 'Logs_20140328.toString'],
      ['monitoring', 'GraniteServiceVersion20100801.hasOwnProperty'],
    ]) {
      const { status, text } = await send(sandbox.url, accountId, {
        service: service!,
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target! },
        body: '{"echo":"me"}',
      });
      expect(status, target).toBe(501);
      expect(text).not.toContain('echo');
    }
    await healthy(sandbox.url);
  });

  test('metric math longer than GetMetricData takes is refused before it is parsed', async ({ aws }) => {
    const cw = new CloudWatchClient(aws);
    await expect(
      cw.send(
        new GetMetricDataCommand({
          StartTime: new Date(Date.now() - 3_600_000),
          EndTime: new Date(),
          MetricDataQueries: [{ Id: 'e1', Expression: `${'('.repeat(50_000)}m1${')'.repeat(50_000)}` }],
        }),
      ),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 400 } });
  });

  test('a path with a broken percent-escape is the client’s error', async ({ sandbox, accountId }) => {
    const { status } = await send(sandbox.url, accountId, {
      service: 'bedrock',
      method: 'GET',
      path: '/foundation-models/%E0%A4%A',
    });
    expect(status).toBe(400);
  });
});

test.describe('the admin endpoints', () => {
  test('refuse a change another site’s page could send: no JSON content type, or another origin', async ({
    sandbox,
  }) => {
    const reset = (headers: Record<string, string>) =>
      fetch(`${sandbox.url}/_sandbox/reset`, { method: 'POST', headers, body: '' });
    expect((await reset({ 'content-type': 'text/plain' })).status).toBe(415);
    expect((await reset({ 'content-type': 'application/json', origin: 'https://evil.example' })).status).toBe(
      403,
    );
    expect(
      (await fetch(`${sandbox.url}/_sandbox/audit`, { headers: { origin: 'https://evil.example' } })).status,
    ).toBe(403);
  });

  test('with an admin token, want it on every call but health', async () => {
    const sandbox = await startSandbox({ port: 0, adminToken: 's3cret-token' });
    try {
      expect((await fetch(`${sandbox.url}/_sandbox/health`)).status).toBe(200);
      expect((await fetch(`${sandbox.url}/_sandbox/audit`)).status).toBe(401);
      const wrong = { authorization: 'Bearer s3cret-tokeX' };
      expect((await fetch(`${sandbox.url}/_sandbox/audit`, { headers: wrong })).status).toBe(401);
      const right = { authorization: 'Bearer s3cret-token' };
      expect((await fetch(`${sandbox.url}/_sandbox/audit`, { headers: right })).status).toBe(200);
      const reset = await fetch(`${sandbox.url}/_sandbox/reset`, {
        method: 'POST',
        headers: { ...right, 'content-type': 'application/json' },
      });
      expect(reset.status).toBe(200);
    } finally {
      await sandbox.close();
    }
  });
});

test.describe('a running query can be stopped, and ends at its time limit', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const withGroup = async (endpoint: string) => {
    const logs = new CloudWatchLogsClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: '123456789012', secretAccessKey: 'test' },
    });
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'g' }));
    return logs;
  };

  test('StopQuery cancels a running query; a finished one cannot be stopped', async () => {
    const sandbox = await startSandbox({ port: 0, latency: 'realistic' });
    try {
      const logs = await withGroup(sandbox.url);
      const start = () =>
        logs.send(
          new StartQueryCommand({
            logGroupName: 'g',
            queryString: 'stats count(*)',
            startTime: now() - 60,
            endTime: now(),
          }),
        );
      const { queryId } = await start();
      await expect
        .poll(async () => (await logs.send(new GetQueryResultsCommand({ queryId }))).status)
        .toBe('Running');
      expect(await logs.send(new StopQueryCommand({ queryId }))).toMatchObject({ success: true });
      expect(await logs.send(new GetQueryResultsCommand({ queryId }))).toMatchObject({
        status: 'Cancelled',
        results: [],
      });
      expect(await logs.send(new StopQueryCommand({ queryId }))).toMatchObject({ success: false });
      await expect(logs.send(new StopQueryCommand({ queryId: 'no-such-query' }))).rejects.toMatchObject({
        name: 'ResourceNotFoundException',
      });
    } finally {
      await sandbox.close();
    }
  });

  test('a query past its time limit ends Timeout, with no results', async () => {
    // The realistic profile takes 1.5 s to answer a query: longer than this sandbox's limit.
    const sandbox = await startSandbox({ port: 0, latency: 'realistic', queryTimeoutMs: 300 });
    try {
      const logs = await withGroup(sandbox.url);
      const { queryId } = await logs.send(
        new StartQueryCommand({
          logGroupName: 'g',
          queryString: 'stats count(*)',
          startTime: now() - 60,
          endTime: now(),
        }),
      );
      await expect
        .poll(async () => (await logs.send(new GetQueryResultsCommand({ queryId }))).status)
        .toBe('Timeout');
      expect(await logs.send(new GetQueryResultsCommand({ queryId }))).toMatchObject({ results: [] });
      expect(await logs.send(new StopQueryCommand({ queryId }))).toMatchObject({ success: false });
    } finally {
      await sandbox.close();
    }
  });
});
