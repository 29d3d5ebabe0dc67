import {
  CloudWatchClient,
  DeleteDashboardsCommand,
  GetDashboardCommand,
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  ListDashboardsCommand,
  ListMetricsCommand,
  PutDashboardCommand,
  PutMetricDataCommand,
  ResourceNotFound,
  errorTypeRegistries,
} from '@aws-sdk/client-cloudwatch';
import { SmithyRpcV2CborProtocol, cbor, tag } from '@smithy/core/cbor';
import { gzipSync } from 'node:zlib';
import { type ClientConfig, expect, test } from '../fixtures/sandbox';
import { signedRequest } from '../fixtures/signed-request';

const HOUR = 3600_000;
/** Start of the previous hour: datapoints placed from here fall in whole, epoch-aligned periods. */
const hourAgo = () => new Date(Math.floor(Date.now() / HOUR) * HOUR - HOUR);
const at = (base: Date, minutes: number) => new Date(base.getTime() + minutes * 60_000);

const BODY = JSON.stringify({
  widgets: [{ type: 'text', x: 0, y: 0, width: 24, height: 2, properties: { markdown: '# GenAI' } }],
});
const SERVICE_PATH = '/service/GraniteServiceVersion20100801/operation';
const CBOR_HEADERS = {
  'smithy-protocol': 'rpc-v2-cbor',
  'content-type': 'application/cbor',
  accept: 'application/cbor',
};

interface Exchange {
  path: string;
  request: Record<string, string>;
  response: Record<string, string>;
}

/**
 * A CloudWatch client speaking RPC v2 CBOR (the SDK's own protocol, with the client's error
 * classes), and what each call sent and received on the wire.
 */
function cborClient(aws: ClientConfig) {
  const client = new CloudWatchClient({
    ...aws,
    protocol: new SmithyRpcV2CborProtocol({
      defaultNamespace: 'com.amazonaws.cloudwatch',
      errorTypeRegistries,
    }),
  });
  const exchanges: Exchange[] = [];
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { path: string; headers: Record<string, string> };
      const exchange: Exchange = { path: request.path, request: { ...request.headers }, response: {} };
      exchanges.push(exchange);
      const out = await next(args);
      exchange.response = (out.response as { headers: Record<string, string> }).headers;
      return out;
    },
    { step: 'finalizeRequest', name: 'captureExchange', priority: 'low' },
  );
  return { client, exchanges };
}

/** A request signed for `accountId` (unless `signed` is false), sent with exactly these headers and bytes. */
async function send(
  url: string,
  accountId: string,
  options: { path: string; headers: Record<string, string>; body: Uint8Array; signed?: boolean },
) {
  const response = await signedRequest(url, accountId, { service: 'monitoring', ...options });
  return {
    status: response.status,
    headers: response.headers,
    body: Buffer.from(await response.arrayBuffer()),
  };
}

const cborCall = (url: string, accountId: string, operation: string, body: Uint8Array) =>
  send(url, accountId, { path: `${SERVICE_PATH}/${operation}`, headers: CBOR_HEADERS, body });

/** What the SDK makes of a failed call: enough to tell two protocols' answers apart. */
async function failure(call: Promise<unknown>) {
  const error = (await call.then(
    () => undefined,
    (e: unknown) => e,
  )) as (Error & { $metadata: { httpStatusCode?: number } }) | undefined;
  expect(error, 'the call should have failed').toBeDefined();
  return {
    name: error!.name,
    message: error!.message,
    status: error!.$metadata.httpStatusCode,
    class: error!.constructor.name,
  };
}

test.describe('CloudWatch over Smithy RPC v2 CBOR', () => {
  test('the SDK sends CBOR to /service/<Service>/operation/<Operation>, and the sandbox answers CBOR', async ({
    aws,
  }) => {
    const { client, exchanges } = cborClient(aws);
    await client.send(new ListDashboardsCommand({}));
    expect(exchanges).toEqual([
      expect.objectContaining({
        path: `${SERVICE_PATH}/ListDashboards`,
        request: expect.objectContaining(CBOR_HEADERS),
        response: expect.objectContaining({
          'smithy-protocol': 'rpc-v2-cbor',
          'content-type': 'application/cbor',
        }),
      }),
    ]);
    expect(exchanges[0]!.request['x-amz-target']).toBeUndefined();
  });

  test('PutMetricData, then GetMetricData, GetMetricStatistics and ListMetrics: Dates both ways', async ({
    aws,
  }) => {
    const { client, exchanges } = cborClient(aws);
    const base = hourAgo();
    const Dimensions = [{ Name: 'App', Value: 'chat' }];
    const datum = { MetricName: 'Latency', Dimensions, Unit: 'Milliseconds' as const };
    await client.send(
      new PutMetricDataCommand({
        Namespace: 'Lab/GenAI',
        MetricData: [
          { ...datum, Value: 100, Timestamp: new Date(at(base, 1).getTime() + 250) },
          { ...datum, Values: [200, 400], Counts: [1, 2], Timestamp: at(base, 4) },
          { ...datum, Value: 50, Timestamp: at(base, 6) },
        ],
      }),
    );
    // PutMetricData's model has no output: the spec wants no body and no Content-Type.
    expect(exchanges[0]!.response['content-type']).toBeUndefined();
    expect(exchanges[0]!.response['smithy-protocol']).toBe('rpc-v2-cbor');

    const data = await client.send(
      new GetMetricDataCommand({
        StartTime: base,
        EndTime: at(base, 60),
        MetricDataQueries: [
          {
            Id: 'sum',
            MetricStat: {
              Metric: { Namespace: 'Lab/GenAI', MetricName: 'Latency', Dimensions },
              Period: 300,
              Stat: 'Sum',
            },
          },
        ],
      }),
    );
    expect(data.MetricDataResults).toEqual([
      {
        Id: 'sum',
        Label: 'Latency',
        Timestamps: [at(base, 5), base],
        Values: [50, 1100],
        StatusCode: 'Complete',
      },
    ]);

    const statistics = await client.send(
      new GetMetricStatisticsCommand({
        Namespace: 'Lab/GenAI',
        MetricName: 'Latency',
        Dimensions,
        StartTime: base,
        EndTime: at(base, 60),
        Period: 300,
        Statistics: ['SampleCount', 'Maximum'],
      }),
    );
    const points = [...statistics.Datapoints!].sort(
      (a, b) => a.Timestamp!.getTime() - b.Timestamp!.getTime(),
    );
    expect(points).toEqual([
      { Timestamp: base, SampleCount: 4, Maximum: 400, Unit: 'Milliseconds' },
      { Timestamp: at(base, 5), SampleCount: 1, Maximum: 50, Unit: 'Milliseconds' },
    ]);

    const listed = await client.send(new ListMetricsCommand({ Namespace: 'Lab/GenAI' }));
    expect(listed.Metrics).toEqual([{ Namespace: 'Lab/GenAI', MetricName: 'Latency', Dimensions }]);
  });

  test('a gzipped PutMetricData arrives whole', async ({ aws, sandbox, accountId }) => {
    // Sent by hand: the SDK (@smithy/core 3.41.1) gzips a large CBOR PutMetricData but keeps the
    // uncompressed Content-Length, so the server waits for bytes that never come.
    const base = hourAgo();
    const input = {
      Namespace: 'Lab/Load',
      MetricData: Array.from({ length: 1000 }, (_, i) => ({
        MetricName: 'Tokens',
        Value: 1,
        Timestamp: tag({ tag: 1, value: base.getTime() / 1000 + i }),
      })),
    };
    const put = await send(sandbox.url, accountId, {
      path: `${SERVICE_PATH}/PutMetricData`,
      headers: { ...CBOR_HEADERS, 'content-encoding': 'gzip' },
      body: gzipSync(cbor.serialize(input)),
    });
    expect(put.status).toBe(200);
    const { Datapoints } = await cborClient(aws).client.send(
      new GetMetricStatisticsCommand({
        Namespace: 'Lab/Load',
        MetricName: 'Tokens',
        StartTime: base,
        EndTime: at(base, 60),
        Period: 3600,
        Statistics: ['Sum'],
      }),
    );
    expect(Datapoints).toEqual([{ Timestamp: base, Sum: 1000, Unit: 'None' }]);
  });

  test('PutDashboard, GetDashboard, ListDashboards and DeleteDashboards', async ({ aws, accountId }) => {
    const { client } = cborClient(aws);
    const before = Date.now();
    const put = await client.send(
      new PutDashboardCommand({ DashboardName: 'GenAI-Monitoring', DashboardBody: BODY }),
    );
    expect(put.DashboardValidationMessages).toEqual([]);
    const after = Date.now();

    await expect(
      client.send(new GetDashboardCommand({ DashboardName: 'GenAI-Monitoring' })),
    ).resolves.toMatchObject({
      DashboardName: 'GenAI-Monitoring',
      DashboardArn: `arn:aws:cloudwatch::${accountId}:dashboard/GenAI-Monitoring`,
      DashboardBody: BODY,
    });
    const { DashboardEntries } = await client.send(
      new ListDashboardsCommand({ DashboardNamePrefix: 'GenAI' }),
    );
    expect(DashboardEntries).toEqual([
      {
        DashboardName: 'GenAI-Monitoring',
        DashboardArn: `arn:aws:cloudwatch::${accountId}:dashboard/GenAI-Monitoring`,
        LastModified: expect.any(Date),
        Size: Buffer.byteLength(BODY),
      },
    ]);
    // Tag 1 carries milliseconds: the time falls within the call, not a second before it.
    const modified = DashboardEntries![0]!.LastModified!.getTime();
    expect(modified).toBeGreaterThanOrEqual(before);
    expect(modified).toBeLessThanOrEqual(after);

    await client.send(new DeleteDashboardsCommand({ DashboardNames: ['GenAI-Monitoring'] }));
    expect((await client.send(new ListDashboardsCommand({}))).DashboardEntries).toEqual([]);
  });

  test('GetDashboard of a missing dashboard is ResourceNotFound (404), as over JSON', async ({
    aws,
    sandbox,
    accountId,
  }) => {
    const call = new GetDashboardCommand({ DashboardName: 'nope' });
    const overCbor = cborClient(aws).client.send(call);
    await expect(overCbor).rejects.toBeInstanceOf(ResourceNotFound);
    await expect(overCbor).rejects.toMatchObject({
      name: 'ResourceNotFound',
      message: 'Dashboard nope does not exist',
      $metadata: { httpStatusCode: 404 },
    });

    // On the wire: the error's absolute shape id in `__type`, and its Query code in a header.
    const raw = await cborCall(
      sandbox.url,
      accountId,
      'GetDashboard',
      cbor.serialize({ DashboardName: 'nope' }),
    );
    expect(raw.status).toBe(404);
    expect(raw.headers.get('smithy-protocol')).toBe('rpc-v2-cbor');
    expect(raw.headers.get('content-type')).toBe('application/cbor');
    expect(raw.headers.get('x-amzn-query-error')).toBe('ResourceNotFound;Sender');
    expect(cbor.deserialize(raw.body)).toEqual({
      __type: 'com.amazonaws.cloudwatch#ResourceNotFound',
      message: 'Dashboard nope does not exist',
    });
  });

  test('validation and authentication errors have the same name, text and status as over JSON', async ({
    aws,
  }) => {
    const badSecret = { ...aws, credentials: { ...aws.credentials, secretAccessKey: 'wrong' } };
    const calls = [
      { config: aws, command: new PutDashboardCommand({ DashboardName: 'a b', DashboardBody: BODY }) },
      {
        config: aws,
        command: new PutDashboardCommand({ DashboardName: 'x', DashboardBody: '{"widgets":[{}]}' }),
      },
      { config: aws, command: new PutMetricDataCommand({ Namespace: 'Lab', MetricData: [] }) },
      {
        config: aws,
        command: new PutMetricDataCommand({
          Namespace: 'AWS/Bedrock',
          MetricData: [{ MetricName: 'm', Value: 1 }],
        }),
      },
      {
        config: aws,
        command: new GetMetricStatisticsCommand({
          Namespace: 'Lab',
          MetricName: 'm',
          StartTime: new Date(Date.now() - HOUR),
          EndTime: new Date(),
          Period: 0,
          Statistics: ['Sum'],
        }),
      },
      { config: badSecret, command: new ListDashboardsCommand({}) },
    ];
    for (const { config, command } of calls) {
      const overJson = await failure(new CloudWatchClient(config).send(command as never));
      const overCbor = await failure(cborClient(config).client.send(command as never));
      expect(overCbor, `${command.constructor.name} ${JSON.stringify(command.input)}`).toEqual(overJson);
    }
    // The names the lab's checks rely on, so that a change on both sides is seen too.
    expect(
      await failure(
        cborClient(aws).client.send(new PutDashboardCommand({ DashboardName: 'a b', DashboardBody: BODY })),
      ),
    ).toMatchObject({ name: 'InvalidParameterValueException', status: 400 });
    await expect(
      cborClient(aws).client.send(
        new PutDashboardCommand({ DashboardName: 'x', DashboardBody: '{"widgets":[{}]}' }),
      ),
    ).rejects.toMatchObject({
      name: 'DashboardInvalidInputError',
      dashboardValidationMessages: expect.arrayContaining([
        { DataPath: '/widgets/0/type', Message: "Should have required property 'type'" },
      ]),
    });
  });

  test('timestamps travel as CBOR tag 1 (epoch seconds) both ways', async ({ sandbox, accountId }) => {
    const base = hourAgo();
    const seconds = (date: Date) => date.getTime() / 1000;
    const put = await cborCall(
      sandbox.url,
      accountId,
      'PutMetricData',
      cbor.serialize({
        Namespace: 'Lab/Raw',
        MetricData: [
          { MetricName: 'm', Value: 2, Timestamp: tag({ tag: 1, value: seconds(at(base, 2)) + 0.5 }) },
        ],
      }),
    );
    expect(put.status).toBe(200);
    expect(put.body).toHaveLength(0);

    const got = await cborCall(
      sandbox.url,
      accountId,
      'GetMetricStatistics',
      cbor.serialize({
        Namespace: 'Lab/Raw',
        MetricName: 'm',
        StartTime: tag({ tag: 1, value: seconds(base) }),
        EndTime: tag({ tag: 1, value: seconds(at(base, 60)) }),
        Period: 60,
        Statistics: ['Sum'],
      }),
    );
    expect(got.status).toBe(200);
    const { Datapoints } = cbor.deserialize(got.body) as { Datapoints: Record<string, unknown>[] };
    expect(Datapoints).toEqual([
      { Timestamp: tag({ tag: 1, value: seconds(at(base, 2)) }), Sum: 2, Unit: 'None' },
    ]);
  });

  test('a body that is not CBOR, or is cut short, is a SerializationException; the account carries on', async ({
    aws,
    sandbox,
    accountId,
  }) => {
    const whole = Buffer.from(cbor.serialize({ DashboardName: 'GenAI-Monitoring', DashboardBody: BODY }));
    // A 200 kB bignum (tag 2): the SDK's decoder would take minutes to build it.
    const bignum = Buffer.concat([
      Buffer.from([0xa1, 0x61, 0x78, 0xc2, 0x5a, 0x00, 0x03, 0x0d, 0x40]),
      Buffer.alloc(200_000, 0xff),
    ]);
    const bodies = {
      json: Buffer.from(JSON.stringify({ DashboardName: 'GenAI-Monitoring', DashboardBody: BODY })),
      truncated: whole.subarray(0, whole.length - 5),
      'bytes after the item': Buffer.concat([whole, Buffer.from([0x00])]),
      'a list, not a map': Buffer.from(cbor.serialize(['GenAI-Monitoring'])),
      'a lone break': Buffer.from([0xff]),
      'a list claiming 2^64 items': Buffer.from([0x9b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
      bignum,
    };
    for (const [label, body] of Object.entries(bodies)) {
      const started = Date.now();
      const { status, headers, body: answer } = await cborCall(sandbox.url, accountId, 'PutDashboard', body);
      expect(status, label).toBe(400);
      expect(Date.now() - started, label).toBeLessThan(5_000);
      expect(headers.get('smithy-protocol'), label).toBe('rpc-v2-cbor');
      expect(headers.get('x-amzn-query-error'), label).toBe('SerializationException;Sender');
      expect(cbor.deserialize(answer), label).toEqual({
        __type: 'com.amazonaws.cloudwatch#SerializationException',
        message: expect.any(String),
      });
    }
    const { client } = cborClient(aws);
    expect((await client.send(new ListDashboardsCommand({}))).DashboardEntries).toEqual([]);
    const health = await fetch(`${sandbox.url}/_sandbox/health`);
    expect(health.status).toBe(200);
  });

  test('an empty body is an empty input', async ({ sandbox, accountId }) => {
    const { status, body } = await cborCall(sandbox.url, accountId, 'ListDashboards', new Uint8Array());
    expect(status).toBe(200);
    expect(cbor.deserialize(body)).toEqual({ DashboardEntries: [] });
  });

  test('a request without the smithy-protocol header is not taken as RPC v2 CBOR', async ({
    sandbox,
    accountId,
  }) => {
    const path = `${SERVICE_PATH}/ListDashboards`;
    const body = cbor.serialize({});
    const { 'smithy-protocol': _, ...withoutProtocol } = CBOR_HEADERS;
    const refused = await send(sandbox.url, accountId, { path, headers: withoutProtocol, body });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('smithy-protocol')).toBeNull();
    expect(JSON.parse(refused.body.toString('utf8'))).toEqual({
      __type: 'UnknownOperationException',
      message: expect.stringContaining('smithy-protocol: rpc-v2-cbor'),
    });
    // The same request with the header is served.
    expect((await send(sandbox.url, accountId, { path, headers: CBOR_HEADERS, body })).status).toBe(200);
  });

  test('a request claiming RPC v2 CBOR with an X-Amz-Target is refused, as the spec has servers do', async ({
    sandbox,
    accountId,
  }) => {
    const { status, body } = await send(sandbox.url, accountId, {
      path: `${SERVICE_PATH}/ListDashboards`,
      headers: { ...CBOR_HEADERS, 'x-amz-target': 'GraniteServiceVersion20100801.ListDashboards' },
      body: cbor.serialize({}),
    });
    expect(status).toBe(400);
    expect(cbor.deserialize(body)).toMatchObject({
      __type: 'com.amazonaws.cloudwatch#SerializationException',
    });
  });

  test('an unsigned CBOR request gets the JSON protocol’s authentication error, in CBOR', async ({
    sandbox,
    accountId,
  }) => {
    const unsigned = await send(sandbox.url, accountId, {
      path: `${SERVICE_PATH}/ListDashboards`,
      headers: CBOR_HEADERS,
      body: cbor.serialize({}),
      signed: false,
    });
    const overJson = await fetch(sandbox.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'GraniteServiceVersion20100801.ListDashboards',
      },
      body: '{}',
    });
    expect(unsigned.status).toBe(403);
    expect(unsigned.status).toBe(overJson.status);
    expect(unsigned.headers.get('x-amzn-query-error')).toBe(overJson.headers.get('x-amzn-query-error'));
    const json = (await overJson.json()) as { __type: string; message: string };
    expect(cbor.deserialize(unsigned.body)).toEqual({
      __type: `com.amazonaws.cloudwatch#${json.__type}`,
      message: json.message,
    });
    expect(json.__type).toBe('MissingAuthenticationTokenException');
  });
});
