import { Sha256 } from '@aws-crypto/sha256-js';
import { cbor } from '@smithy/core/cbor';
import { SignatureV4 } from '@smithy/signature-v4';
import { connect as connectHttp2 } from 'node:http2';
import { SERVICES } from '../../sandbox/services';
import { expect, test } from '../fixtures/sandbox';

/** A seeded generator: a failing run can be replayed with its seed. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  return { next, int, pick };
}

const NAMES = [
  'logGroupName',
  'logGroupIdentifier',
  'logGroupNames',
  'logStreamName',
  'logEvents',
  'limit',
  'nextToken',
  'startTime',
  'endTime',
  'queryString',
  'queryId',
  'filterPattern',
  'DashboardName',
  'DashboardBody',
  'DashboardNames',
  'MetricData',
  'MetricDataQueries',
  'Namespace',
  'MetricName',
  'StartTime',
  'EndTime',
  'RoleName',
  'PolicyDocument',
  'AssumeRolePolicyDocument',
  'PolicyArn',
  'RoleArn',
  'RoleSessionName',
  'DurationSeconds',
  'loggingConfig',
  'modelId',
  'messages',
  'x',
];

type Rng = ReturnType<typeof random>;

function value(rng: Rng, depth = 0): unknown {
  switch (rng.int(depth > 3 ? 6 : 9)) {
    case 0:
      return rng.pick([
        '',
        'x',
        '/aws/bedrock/model-invocations',
        '*',
        '../..',
        '%00',
        '\u202e',
        'a'.repeat(5000),
      ]);
    case 1:
      return rng.pick([0, -1, 1e308, 2 ** 53 + 1, 1.5, NaN]);
    case 2:
      return rng.pick([true, false, null]);
    case 3:
      return `arn:aws:logs:us-east-1:${rng.int(1e12)}:log-group:g${rng.int(5)}`;
    case 4:
      return rng.int(2e12);
    case 5:
      return String(rng.int(100));
    case 6:
      return Array.from({ length: rng.int(4) }, () => value(rng, depth + 1));
    case 7:
      return Object.fromEntries(
        Array.from({ length: rng.int(4) }, () => [rng.pick(NAMES), value(rng, depth + 1)]),
      );
    default:
      return '['.repeat(rng.int(2000)) + ']'.repeat(rng.int(2000));
  }
}

function body(rng: Rng): string {
  switch (rng.int(6)) {
    case 0:
      return '';
    case 1:
      return JSON.stringify(value(rng)).slice(0, rng.int(200));
    case 2:
      return Buffer.from(Array.from({ length: rng.int(300) }, () => rng.int(256))).toString('latin1');
    default:
      return JSON.stringify(
        Object.fromEntries(Array.from({ length: 1 + rng.int(5) }, () => [rng.pick(NAMES), value(rng)])),
      );
  }
}

/**
 * Thousands of malformed, truncated, oversized and random requests (JSON, Query, REST and CBOR),
 * signed and not, over HTTP/1.1 and HTTP/2, against one sandbox on loopback: every one fails (or succeeds) alone, none is an
 * internal failure, and health answers throughout. Bounded in count; the seed is printed so a
 * failure can be replayed.
 */
test('fuzz: the sandbox lives through 3,000 hostile requests', async ({ sandbox, accountId }) => {
  test.setTimeout(180_000);
  const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1e9);
  console.log(`fuzz seed ${seed} (FUZZ_SEED=${seed} replays it)`);
  const rng = random(seed);
  const { host } = new URL(sandbox.url);
  const json = SERVICES.filter((s) => s.json);
  const query = SERVICES.filter((s) => s.query);
  const rest = SERVICES.filter((s) => s.rest);
  const cborServices = SERVICES.filter((s) => s.cbor);
  const signer = (service: string) =>
    new SignatureV4({
      credentials: { accessKeyId: accountId, secretAccessKey: 'test' },
      region: 'us-east-1',
      service,
      sha256: Sha256,
    });

  async function request(): Promise<{
    method: string;
    path: string;
    headers: Record<string, string>;
    body: string | Buffer;
  }> {
    const kind = rng.int(11);
    if (kind === 10) {
      const service = rng.pick(cborServices);
      const op = rng.next() < 0.9 ? rng.pick(Object.keys(service.operations)) : 'Nope';
      // Well-formed CBOR of random members, cut short or not, or random bytes.
      const encoded = Buffer.from(
        cbor.serialize(
          Object.fromEntries(Array.from({ length: 1 + rng.int(5) }, () => [rng.pick(NAMES), value(rng)])),
        ),
      );
      const payload =
        rng.next() < 0.6
          ? encoded.subarray(0, rng.next() < 0.5 ? encoded.length : rng.int(encoded.length + 1))
          : Buffer.from(Array.from({ length: rng.int(300) }, () => rng.int(256)));
      const serviceName = service.cbor!.serviceId.split('#')[1]!;
      return sign(
        service.signingName,
        'POST',
        `/service/${serviceName}/operation/${op}`,
        {
          host,
          'content-type': 'application/cbor',
          accept: 'application/cbor',
          'smithy-protocol': 'rpc-v2-cbor',
        },
        payload,
      );
    }
    if (kind < 4) {
      const service = rng.pick(json);
      const op = rng.next() < 0.9 ? rng.pick(Object.keys(service.operations)) : 'Nope';
      const headers = {
        host,
        'content-type': `application/x-amz-json-${service.json!.version}`,
        'x-amz-target': `${service.json!.targetPrefix}.${op}`,
      };
      return sign(service.signingName, 'POST', '/', headers, body(rng));
    }
    if (kind < 6) {
      const service = rng.pick(query);
      const fields = new URLSearchParams({
        Action: rng.pick(Object.keys(service.operations)),
        Version: '2010-05-08',
      });
      for (let i = rng.int(6); i > 0; i--)
        fields.append(
          rng.pick([...NAMES, 'Tags.member.1.Key', 'PolicyArns.member.1.arn']),
          String(value(rng)),
        );
      return sign(
        service.signingName,
        'POST',
        '/',
        { host, 'content-type': 'application/x-www-form-urlencoded' },
        fields.toString(),
      );
    }
    if (kind < 8) {
      const service = rng.pick(rest);
      const route = rng.pick(service.rest!.routes);
      const path = route.path.replace(/\{[^}]+\}/g, () =>
        encodeURIComponent(String(value(rng)).slice(0, 300)),
      );
      return sign(
        service.signingName,
        route.method,
        path,
        { host, 'content-type': 'application/json' },
        body(rng),
      );
    }
    const path = rng.pick([
      '/',
      '/_sandbox/faults',
      '/signin',
      '/federation',
      `/${'%'.repeat(rng.int(10))}`,
      '/console/api/x',
    ]);
    return {
      method: rng.pick(['GET', 'POST', 'PUT', 'DELETE', 'PATCH']),
      path,
      headers: {
        host,
        authorization: rng.pick([
          '',
          'AWS4-HMAC-SHA256 garbage',
          `AWS4-HMAC-SHA256 Credential=${accountId}/20260101/us-east-1/logs/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}`,
        ]),
      },
      body: body(rng),
    };
  }

  async function sign(
    service: string,
    method: string,
    path: string,
    headers: Record<string, string>,
    text: string | Buffer,
  ) {
    const signed = await signer(service).sign({
      method,
      protocol: 'http:',
      hostname: host,
      path,
      headers,
      body: text,
    });
    // Some bodies are changed after signing: the signature must then fail, and only that.
    const tampered = rng.next() < 0.1;
    const sent = !tampered
      ? text
      : typeof text === 'string'
        ? `${text}x`
        : Buffer.concat([text, Buffer.from('x')]);
    return { method, path, headers: signed.headers as Record<string, string>, body: sent };
  }

  const preview = (sent: string | Buffer) =>
    (typeof sent === 'string' ? sent : sent.toString('latin1')).slice(0, 200);
  const session = connectHttp2(sandbox.url);
  session.on('error', () => undefined);
  const statuses = new Map<number, number>();
  /** Requests the sandbox did not answer within 10 s. */
  const slow: string[] = [];
  const count = (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1);

  async function send(): Promise<void> {
    const r = await request();
    const withBody = r.method !== 'GET' && r.method !== 'HEAD';
    if (rng.next() < 0.25) {
      const headers = Object.fromEntries(Object.entries(r.headers).filter(([k]) => k !== 'host'));
      const stream = session.request({ ':method': r.method, ':path': r.path, ...headers });
      stream.on('error', () => undefined);
      stream.on('response', (h) => count(Number(h[':status'])));
      stream.setTimeout(10_000, () => {
        slow.push(`h2 ${r.method} ${r.path} ${r.headers['x-amz-target'] ?? ''} ${preview(r.body)}`);
        stream.close();
      });
      stream.resume(); // read the answer, or the stream never closes
      stream.end(withBody ? r.body : undefined);
      await new Promise((done) => stream.on('close', done));
      return;
    }
    const response = await fetch(`${sandbox.url}${r.path}`, {
      method: r.method,
      headers: Object.fromEntries(Object.entries(r.headers).filter(([k]) => k !== 'host')),
      body: withBody ? (typeof r.body === 'string' ? r.body : new Uint8Array(r.body)) : undefined,
      signal: AbortSignal.timeout(10_000),
    }).catch((error: unknown) => {
      if ((error as Error).name === 'TimeoutError')
        slow.push(`h1 ${r.method} ${r.path} ${r.headers['x-amz-target'] ?? ''} ${preview(r.body)}`);
      return undefined;
    });
    if (response) {
      count(response.status);
      await response.arrayBuffer().catch(() => undefined);
    }
  }

  for (let round = 0; round < 30; round++) {
    await Promise.all(Array.from({ length: 100 }, send));
    const health = await fetch(`${sandbox.url}/_sandbox/health`, { signal: AbortSignal.timeout(2_000) });
    expect(health.status, `health after ${(round + 1) * 100} requests (seed ${seed})`).toBe(200);
    expect(slow, `requests the sandbox did not answer within 10 s (seed ${seed})`).toEqual([]);
  }
  session.close();
  const answered = [...statuses.values()].reduce((a, b) => a + b, 0);
  console.log(
    `fuzz: ${answered} answered; by status ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`,
  );
  expect(answered, 'nearly every request got an answer').toBeGreaterThan(2_900);
  // Malformed input is the client's error (4xx), never the sandbox's failure.
  expect(statuses.get(500) ?? 0, `internal failures (seed ${seed}); the sandbox's log names them`).toBe(0);
});
