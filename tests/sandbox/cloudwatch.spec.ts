import {
  CloudWatchClient,
  DeleteDashboardsCommand,
  GetDashboardCommand,
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  ListDashboardsCommand,
  ListMetricsCommand,
  paginateListMetrics,
  type ListMetricsCommandInput,
  PutDashboardCommand,
  PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import { queryRequest } from '../fixtures/query-protocol';
import { expect, test } from '../fixtures/sandbox';
import { logWidget } from '../../testkit/widgets';

const HOUR = 3600_000;
/** Start of the previous hour: datapoints placed from here fall in whole, epoch-aligned periods. */
const hourAgo = () => new Date(Math.floor(Date.now() / HOUR) * HOUR - HOUR);
const at = (base: Date, minutes: number) => new Date(base.getTime() + minutes * 60_000);
/** A time in whole seconds as the Query protocol writes it: `2025-10-06T14:45:00Z`, no fraction. */
const xmlTime = (time: Date) => time.toISOString().replace('.000Z', 'Z');

const GOOD_BODY = JSON.stringify({
  widgets: [
    logWidget("SOURCE '/aws/bedrock/model-invocations' | stats count() as invocations by bin(1h)"),
    {
      type: 'metric',
      x: 12,
      y: 0,
      width: 12,
      height: 6,
      properties: {
        metrics: [
          ['AWS/Bedrock', 'Invocations', 'ModelId', 'm'],
          ['.', 'InvocationLatency', '.', '.', { stat: 'Average' }],
        ],
        region: 'us-east-1',
        stat: 'Sum',
        period: 300,
      },
    },
    { type: 'text', x: 0, y: 6, width: 24, height: 2, properties: { markdown: '# GenAI' } },
  ],
});

test.describe('CloudWatch dashboards', () => {
  test('PutDashboard saves a valid body that GetDashboard and ListDashboards return', async ({
    aws,
    accountId,
  }) => {
    const cw = new CloudWatchClient(aws);
    const put = await cw.send(
      new PutDashboardCommand({ DashboardName: 'GenAI-Monitoring', DashboardBody: GOOD_BODY }),
    );
    expect(put.DashboardValidationMessages).toEqual([]);

    const got = await cw.send(new GetDashboardCommand({ DashboardName: 'GenAI-Monitoring' }));
    expect(got).toMatchObject({
      DashboardName: 'GenAI-Monitoring',
      DashboardArn: `arn:aws:cloudwatch::${accountId}:dashboard/GenAI-Monitoring`,
      DashboardBody: GOOD_BODY,
    });

    const listed = await cw.send(new ListDashboardsCommand({}));
    expect(listed.DashboardEntries).toHaveLength(1);
    const entry = listed.DashboardEntries![0]!;
    expect(entry).toMatchObject({
      DashboardName: 'GenAI-Monitoring',
      DashboardArn: `arn:aws:cloudwatch::${accountId}:dashboard/GenAI-Monitoring`,
      Size: Buffer.byteLength(GOOD_BODY),
    });
    expect(entry.LastModified).toBeInstanceOf(Date);
    expect(Math.abs(entry.LastModified!.getTime() - Date.now())).toBeLessThan(60_000);
  });

  test('dashboards are global: another region sees the same ones', async ({ aws }) => {
    await new CloudWatchClient(aws).send(
      new PutDashboardCommand({ DashboardName: 'd', DashboardBody: GOOD_BODY }),
    );
    const west = new CloudWatchClient({ ...aws, region: 'us-west-2' });
    expect((await west.send(new GetDashboardCommand({ DashboardName: 'd' }))).DashboardBody).toBe(GOOD_BODY);
  });

  test('PutDashboard saves a body with warnings and reports them', async ({ aws }) => {
    const cw = new CloudWatchClient(aws);
    const body = JSON.stringify({ widgets: [logWidget('fields @timestamp | stats count() by bin(1h)')] });
    const put = await cw.send(new PutDashboardCommand({ DashboardName: 'warned', DashboardBody: body }));
    expect(put.DashboardValidationMessages).toEqual([
      { DataPath: '/widgets/0/properties/query', Message: expect.stringContaining('SOURCE') },
    ]);
    expect((await cw.send(new GetDashboardCommand({ DashboardName: 'warned' }))).DashboardBody).toBe(body);
  });

  test('PutDashboard refuses a name with characters other than alphanumerics, - and _', async ({ aws }) => {
    const cw = new CloudWatchClient(aws);
    for (const name of ['GenAI Monitoring', 'a/b', 'x.y']) {
      await expect(
        cw.send(new PutDashboardCommand({ DashboardName: name, DashboardBody: GOOD_BODY })),
      ).rejects.toMatchObject({
        name: 'InvalidParameterValueException',
        message:
          // AWS's text ends with a line break (LocalStack's AWS-validated test_invalid_dashboard_name).
          'The value for field DashboardName contains invalid characters. It can only contain alphanumerics, dash (-) and underscore (_).\n',
        $metadata: { httpStatusCode: 400 },
      });
    }
    await expect(
      cw.send(new PutDashboardCommand({ DashboardName: 'a'.repeat(256), DashboardBody: GOOD_BODY })),
    ).rejects.toMatchObject({ name: 'InvalidParameterValueException', $metadata: { httpStatusCode: 400 } });
  });

  const widget = (over: Record<string, unknown>) => ({
    ...logWidget("SOURCE 'g' | fields @message"),
    ...over,
  });
  const invalidBodies: { title: string; body: string; dataPath: string; message: string | RegExp }[] = [
    { title: 'not JSON', body: '{widgets: [', dataPath: '', message: /^Should be valid JSON/ },
    { title: 'not an object', body: '[]', dataPath: '', message: 'Should be object' },
    { title: 'no widgets', body: '{}', dataPath: '', message: "Should have required property 'widgets'" },
    {
      title: 'widgets not an array',
      body: '{"widgets": {}}',
      dataPath: '/widgets',
      message: 'Should be array',
    },
    {
      title: 'unknown widget type',
      body: JSON.stringify({ widgets: [widget({ type: 'chart' })] }),
      dataPath: '/widgets/0/type',
      message: 'Should be equal to one of the allowed values',
    },
    {
      title: 'x past 23',
      body: JSON.stringify({ widgets: [widget({ x: 24 })] }),
      dataPath: '/widgets/0/x',
      message: 'Should be <= 23',
    },
    {
      title: 'width 0',
      body: JSON.stringify({ widgets: [widget({ width: 0 })] }),
      dataPath: '/widgets/0/width',
      message: 'Should be >= 1',
    },
    {
      title: 'width over 24',
      body: JSON.stringify({ widgets: [widget({ width: 25 })] }),
      dataPath: '/widgets/0/width',
      message: 'Should be <= 24',
    },
    {
      title: 'height over 1000',
      body: JSON.stringify({ widgets: [widget({ height: 1001 })] }),
      dataPath: '/widgets/0/height',
      message: 'Should be <= 1000',
    },
    {
      title: 'x not an integer',
      body: JSON.stringify({ widgets: [widget({ x: '1' })] }),
      dataPath: '/widgets/0/x',
      message: 'Should be integer',
    },
    {
      title: 'no properties',
      body: JSON.stringify({ widgets: [{ type: 'text', x: 0, y: 0, width: 6, height: 6 }] }),
      dataPath: '/widgets/0/properties',
      message: "Should have required property 'properties'",
    },
    {
      title: 'log widget without query',
      body: JSON.stringify({ widgets: [widget({ properties: { region: 'us-east-1' } })] }),
      dataPath: '/widgets/0/properties/query',
      message: "Should have required property 'query'",
    },
    {
      title: 'log widget without region',
      body: JSON.stringify({ widgets: [widget({ properties: { query: "SOURCE 'g' | fields @message" } })] }),
      dataPath: '/widgets/0/properties/region',
      message: "Should have required property 'region'",
    },
    {
      title: 'metric widget without metrics',
      body: JSON.stringify({ widgets: [widget({ type: 'metric', properties: { region: 'us-east-1' } })] }),
      dataPath: '/widgets/0/properties/metrics',
      message: "Should have required property 'metrics'",
    },
    {
      title: 'metric widget without region',
      body: JSON.stringify({
        widgets: [widget({ type: 'metric', properties: { metrics: [['AWS/Bedrock', 'Invocations']] } })],
      }),
      dataPath: '/widgets/0/properties/region',
      message: "Should have required property 'region'",
    },
    {
      title: 'metric entry with a number',
      body: JSON.stringify({
        widgets: [
          widget({
            type: 'metric',
            properties: { region: 'us-east-1', metrics: [['AWS/Bedrock', 'Invocations', 'ModelId', 7]] },
          }),
        ],
      }),
      dataPath: '/widgets/0/properties/metrics/0',
      message: 'Invalid metric field type, only "String" type is allowed',
    },
    {
      title: 'text widget without markdown',
      body: JSON.stringify({ widgets: [widget({ type: 'text', properties: {} })] }),
      dataPath: '/widgets/0/properties/markdown',
      message: "Should have required property 'markdown'",
    },
    {
      title: 'more than the 500 widgets a dashboard holds',
      body: JSON.stringify({
        widgets: Array.from({ length: 501 }, () => widget({ type: 'text', properties: { markdown: 'x' } })),
      }),
      dataPath: '/widgets',
      message: 'Should NOT have more than 500 items',
    },
  ];
  for (const { title, body, dataPath, message } of invalidBodies) {
    test(`PutDashboard refuses a body: ${title}`, async ({ aws }) => {
      const cw = new CloudWatchClient(aws);
      const error = await cw
        .send(new PutDashboardCommand({ DashboardName: 'bad', DashboardBody: body }))
        .catch((e: unknown) => e);
      expect(error).toMatchObject({
        name: 'DashboardInvalidInputError',
        message: expect.stringMatching(/^The dashboard body is invalid, there are 1 validation errors:\n\[/),
        $metadata: { httpStatusCode: 400 },
        dashboardValidationMessages: [{ DataPath: dataPath, Message: message }],
      });
      expect(JSON.parse((error as Error).message.replace(/^[^\n]*\n/, ''))).toEqual([
        {
          dataPath,
          message: expect.stringMatching(
            typeof message === 'string' ? new RegExp(`^${escape(message)}$`) : message,
          ),
        },
      ]);
      await expect(cw.send(new GetDashboardCommand({ DashboardName: 'bad' }))).rejects.toMatchObject({
        $metadata: { httpStatusCode: 404 },
      });
    });
  }

  test('PutDashboard counts every validation error', async ({ aws }) => {
    const body = JSON.stringify({ widgets: [widget({ x: -1, height: 0 }), { type: 'text' }] });
    await expect(
      new CloudWatchClient(aws).send(new PutDashboardCommand({ DashboardName: 'bad', DashboardBody: body })),
    ).rejects.toMatchObject({
      name: 'DashboardInvalidInputError',
      message: expect.stringMatching(/^The dashboard body is invalid, there are 3 validation errors:/),
      dashboardValidationMessages: [
        { DataPath: '/widgets/0/x', Message: 'Should be >= 0' },
        { DataPath: '/widgets/0/height', Message: 'Should be >= 1' },
        { DataPath: '/widgets/1/properties', Message: "Should have required property 'properties'" },
      ],
    });
  });

  test('GetDashboard of a missing dashboard is ResourceNotFound (404)', async ({ aws }) => {
    await expect(
      new CloudWatchClient(aws).send(new GetDashboardCommand({ DashboardName: 'nope' })),
    ).rejects.toMatchObject({
      // The SDK resolves the query code `ResourceNotFound` to its shape of that name (not DashboardNotFoundError).
      name: 'ResourceNotFound',
      message: 'Dashboard nope does not exist',
      $metadata: { httpStatusCode: 404 },
    });
  });

  test('ListDashboards filters by prefix, sorted by name', async ({ aws }) => {
    const cw = new CloudWatchClient(aws);
    for (const name of ['GenAI-b', 'Other', 'GenAI-a']) {
      await cw.send(new PutDashboardCommand({ DashboardName: name, DashboardBody: GOOD_BODY }));
    }
    const all = await cw.send(new ListDashboardsCommand({}));
    expect(all.DashboardEntries!.map((e) => e.DashboardName)).toEqual(['GenAI-a', 'GenAI-b', 'Other']);
    const genai = await cw.send(new ListDashboardsCommand({ DashboardNamePrefix: 'GenAI' }));
    expect(genai.DashboardEntries!.map((e) => e.DashboardName)).toEqual(['GenAI-a', 'GenAI-b']);
  });

  test('DeleteDashboards deletes all or, if one is missing, none', async ({ aws }) => {
    const cw = new CloudWatchClient(aws);
    for (const name of ['a', 'b'])
      await cw.send(new PutDashboardCommand({ DashboardName: name, DashboardBody: GOOD_BODY }));
    await expect(
      cw.send(new DeleteDashboardsCommand({ DashboardNames: ['a', 'missing'] })),
    ).rejects.toMatchObject({
      name: 'ResourceNotFound',
      message: 'Dashboard missing does not exist',
      $metadata: { httpStatusCode: 404 },
    });
    expect((await cw.send(new ListDashboardsCommand({}))).DashboardEntries).toHaveLength(2);
    await cw.send(new DeleteDashboardsCommand({ DashboardNames: ['a', 'b'] }));
    expect((await cw.send(new ListDashboardsCommand({}))).DashboardEntries).toEqual([]);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

test.describe('CloudWatch metrics', () => {
  test('PutMetricData refuses the AWS/ namespaces', async ({ aws }) => {
    await expect(
      new CloudWatchClient(aws).send(
        new PutMetricDataCommand({
          Namespace: 'AWS/Bedrock',
          MetricData: [{ MetricName: 'Invocations', Value: 1 }],
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      message: 'The value AWS/Bedrock for parameter Namespace is invalid.',
      $metadata: { httpStatusCode: 400 },
    });
  });

  test('PutMetricData refuses timestamps outside two weeks back / two hours ahead, and too many items', async ({
    aws,
  }) => {
    const cw = new CloudWatchClient(aws);
    const put = (MetricData: { MetricName: string; Value: number; Timestamp?: Date }[]) =>
      cw.send(new PutMetricDataCommand({ Namespace: 'Lab', MetricData }));
    await expect(
      put([{ MetricName: 'm', Value: 1, Timestamp: new Date(Date.now() - 15 * 24 * HOUR) }]),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      message: 'The parameter MetricData.member.1.Timestamp must specify a time within the past two weeks.',
    });
    await expect(
      put([
        { MetricName: 'm', Value: 1 },
        { MetricName: 'm', Value: 1, Timestamp: new Date(Date.now() + 3 * HOUR) },
      ]),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      message: /MetricData\.member\.2\.Timestamp/,
    });
    await expect(
      put(Array.from({ length: 1001 }, () => ({ MetricName: 'm', Value: 1 }))),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      message: 'The collection MetricData must not have a size greater than 1000.',
    });
    // A refused call stores nothing, not even its valid items.
    expect((await cw.send(new ListMetricsCommand({ Namespace: 'Lab' }))).Metrics).toEqual([]);
  });

  test('PutMetricData refuses Value together with StatisticValues', async ({ aws }) => {
    await expect(
      new CloudWatchClient(aws).send(
        new PutMetricDataCommand({
          Namespace: 'Lab',
          MetricData: [
            {
              MetricName: 'm',
              Value: 1,
              StatisticValues: { SampleCount: 1, Sum: 1, Minimum: 1, Maximum: 1 },
            },
          ],
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterCombinationException',
      message:
        'The parameters MetricData.member.1.Value and MetricData.member.1.StatisticValues are mutually exclusive and you have specified both.',
    });
  });

  test('PutMetricData with Values and Counts of different lengths: InvalidParameterValue, as AWS answers', async ({
    aws,
  }) => {
    await expect(
      new CloudWatchClient(aws).send(
        new PutMetricDataCommand({
          Namespace: 'Lab',
          MetricData: [{ MetricName: 'm', Values: [1, 2], Counts: [1] }],
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterValueException' });
  });

  test('ListMetrics answers 500 metrics a call and a NextToken for the rest; the paginator reads them all', async ({
    aws,
  }) => {
    const cw = new CloudWatchClient(aws);
    // 20 metrics a call keeps each PutMetricData small.
    for (let batch = 0; batch < 26; batch++) {
      await cw.send(
        new PutMetricDataCommand({
          Namespace: 'Many',
          MetricData: Array.from({ length: 20 }, (_, i) => ({ MetricName: `m${batch * 20 + i}`, Value: 1 })),
        }),
      );
    }
    const first = await cw.send(new ListMetricsCommand({ Namespace: 'Many' }));
    expect(first.Metrics).toHaveLength(500);
    expect(first.NextToken).toBeTruthy();
    const names: string[] = [];
    for await (const page of paginateListMetrics({ client: cw }, { Namespace: 'Many' })) {
      names.push(...(page.Metrics ?? []).map((m) => m.MetricName!));
    }
    expect(new Set(names).size).toBe(520);
  });

  test('PutMetricData then GetMetricData: Sum, Average, SampleCount, Maximum and p50 per epoch-aligned period', async ({
    aws,
  }) => {
    const cw = new CloudWatchClient(aws);
    const base = hourAgo();
    const Dimensions = [{ Name: 'App', Value: 'chat' }];
    await cw.send(
      new PutMetricDataCommand({
        Namespace: 'Lab/GenAI',
        MetricData: [
          { MetricName: 'Latency', Dimensions, Value: 100, Unit: 'Milliseconds', Timestamp: at(base, 1) },
          {
            MetricName: 'Latency',
            Dimensions,
            Values: [200, 400],
            Counts: [1, 2],
            Unit: 'Milliseconds',
            Timestamp: at(base, 4),
          },
          { MetricName: 'Latency', Dimensions, Value: 50, Unit: 'Milliseconds', Timestamp: at(base, 6) },
          {
            MetricName: 'Latency',
            Dimensions,
            StatisticValues: { SampleCount: 2, Sum: 30, Minimum: 10, Maximum: 20 },
            Unit: 'Milliseconds',
            Timestamp: at(base, 12),
          },
        ],
      }),
    );
    const metric = { Namespace: 'Lab/GenAI', MetricName: 'Latency', Dimensions };
    const query = (Id: string, Stat: string) => ({ Id, MetricStat: { Metric: metric, Period: 300, Stat } });
    const out = await cw.send(
      new GetMetricDataCommand({
        StartTime: base,
        EndTime: at(base, 60),
        MetricDataQueries: [
          query('sum', 'Sum'),
          query('avg', 'Average'),
          query('n', 'SampleCount'),
          query('max', 'Maximum'),
          query('p50', 'p50'),
        ],
      }),
    );
    expect(out.Messages).toEqual([]);
    const byId = Object.fromEntries(out.MetricDataResults!.map((r) => [r.Id, r]));
    // Newest first (ScanBy defaults to TimestampDescending); periods start at base+10, base+5, base.
    expect(byId.sum).toEqual({
      Id: 'sum',
      // The queries' Stats differ, so AWS adds each one's to its label (docs/aws-behaviours.md).
      Label: 'Latency Sum',
      Timestamps: [at(base, 10), at(base, 5), base],
      Values: [30, 50, 1100],
      StatusCode: 'Complete',
    });
    expect(byId.avg!.Values).toEqual([15, 50, 275]);
    expect(byId.n!.Values).toEqual([2, 1, 4]);
    expect(byId.max!.Values).toEqual([20, 50, 400]);
    // A statistic set cannot answer a percentile: that period has no p50.
    expect(byId.p50).toMatchObject({ Timestamps: [at(base, 5), base], Values: [50, 200] });

    const ascending = await cw.send(
      new GetMetricDataCommand({
        StartTime: base,
        EndTime: at(base, 60),
        ScanBy: 'TimestampAscending',
        MetricDataQueries: [
          { ...query('total', 'Sum'), Label: 'Total latency' },
          { ...query('hidden', 'Sum'), ReturnData: false },
        ],
      }),
    );
    expect(ascending.MetricDataResults).toEqual([
      {
        Id: 'total',
        Label: 'Total latency',
        Timestamps: [base, at(base, 5), at(base, 10)],
        Values: [1100, 50, 30],
        StatusCode: 'Complete',
      },
    ]);
  });

  test('GetMetricData answers within MaxDatapoints, and refuses (501) to page past it', async ({ aws }) => {
    const cw = new CloudWatchClient(aws);
    const base = hourAgo();
    await cw.send(
      new PutMetricDataCommand({
        Namespace: 'Lab',
        MetricData: [1, 2, 3].map((minute) => ({
          MetricName: 'Calls',
          Value: minute,
          Timestamp: at(base, minute),
        })),
      }),
    );
    const request = (MaxDatapoints: number) =>
      cw.send(
        new GetMetricDataCommand({
          StartTime: base,
          EndTime: at(base, 60),
          MaxDatapoints,
          MetricDataQueries: [
            {
              Id: 'calls',
              MetricStat: { Metric: { Namespace: 'Lab', MetricName: 'Calls' }, Period: 60, Stat: 'Sum' },
            },
          ],
        }),
      );
    expect((await request(3)).MetricDataResults?.[0]?.Values).toEqual([3, 2, 1]);
    await expect(request(2)).rejects.toMatchObject({
      name: 'NotImplementedException',
      $metadata: { httpStatusCode: 501 },
    });
  });

  test('GetMetricStatistics keeps units apart; GetMetricData without a unit reads the first and says so', async ({
    aws,
  }) => {
    const cw = new CloudWatchClient(aws);
    const base = hourAgo();
    const Timestamp = at(base, 1);
    await cw.send(
      new PutMetricDataCommand({
        Namespace: 'Lab',
        MetricData: [
          { MetricName: 'Mixed', Value: 2, Unit: 'Seconds', Timestamp },
          { MetricName: 'Mixed', Value: 5, Unit: 'Count', Timestamp },
          { MetricName: 'Mixed', Value: 7, Unit: 'Count', Timestamp },
        ],
      }),
    );
    const stats = await cw.send(
      new GetMetricStatisticsCommand({
        Namespace: 'Lab',
        MetricName: 'Mixed',
        StartTime: base,
        EndTime: at(base, 60),
        Period: 3600,
        Statistics: ['Sum'],
      }),
    );
    expect(stats.Datapoints).toEqual([
      { Timestamp: base, Unit: 'Count', Sum: 12 },
      { Timestamp: base, Unit: 'Seconds', Sum: 2 },
    ]);
    const data = await cw.send(
      new GetMetricDataCommand({
        StartTime: base,
        EndTime: at(base, 60),
        MetricDataQueries: [
          {
            Id: 'mixed',
            MetricStat: { Metric: { Namespace: 'Lab', MetricName: 'Mixed' }, Period: 3600, Stat: 'Sum' },
          },
        ],
      }),
    );
    expect(data.MetricDataResults).toEqual([
      {
        Id: 'mixed',
        Label: 'Mixed',
        Messages: [{ Code: 'MultipleUnits', Value: "Multiple units returned: '[Count, Seconds]'" }],
        Timestamps: [base],
        Values: [12],
        StatusCode: 'Complete',
      },
    ]);
  });

  test('PutMetricData of 1000 items (the SDK gzips it) and GetMetricData over 3000 datapoints', async ({
    aws,
  }) => {
    const cw = new CloudWatchClient(aws);
    const base = hourAgo();
    for (let batch = 0; batch < 3; batch++) {
      await cw.send(
        new PutMetricDataCommand({
          Namespace: 'Lab/Load',
          MetricData: Array.from({ length: 1000 }, (_, i) => ({
            MetricName: 'Tokens',
            Dimensions: [{ Name: 'ModelId', Value: 'm1' }],
            Value: 1,
            Timestamp: new Date(base.getTime() + ((batch * 1000 + i) % 3600) * 1000),
          })),
        }),
      );
    }
    const out = await cw.send(
      new GetMetricDataCommand({
        StartTime: base,
        EndTime: at(base, 60),
        MetricDataQueries: [
          {
            Id: 'tokens',
            MetricStat: {
              Metric: {
                Namespace: 'Lab/Load',
                MetricName: 'Tokens',
                Dimensions: [{ Name: 'ModelId', Value: 'm1' }],
              },
              Period: 60,
              Stat: 'Sum',
            },
          },
        ],
      }),
    );
    const values = out.MetricDataResults![0]!.Values!;
    expect(values).toHaveLength(50);
    expect(values.reduce((a, b) => a + b, 0)).toBe(3000);
  });

  test('GetMetricData evaluates arithmetic expressions over queries and refuses functions', async ({
    aws,
  }) => {
    const cw = new CloudWatchClient(aws);
    const base = hourAgo();
    await cw.send(
      new PutMetricDataCommand({
        Namespace: 'Lab',
        MetricData: [
          { MetricName: 'Errors', Value: 1, Timestamp: at(base, 1) },
          { MetricName: 'Calls', Value: 4, Timestamp: at(base, 1) },
        ],
      }),
    );
    const stat = (Id: string, MetricName: string) => ({
      Id,
      MetricStat: { Metric: { Namespace: 'Lab', MetricName }, Period: 60, Stat: 'Sum' },
      ReturnData: false,
    });
    const out = await cw.send(
      new GetMetricDataCommand({
        StartTime: base,
        EndTime: at(base, 10),
        MetricDataQueries: [
          stat('e', 'Errors'),
          stat('c', 'Calls'),
          { Id: 'rate', Expression: '100 * e / c', Label: 'Error %' },
        ],
      }),
    );
    expect(out.MetricDataResults).toEqual([
      { Id: 'rate', Label: 'Error %', Timestamps: [at(base, 1)], Values: [25], StatusCode: 'Complete' },
    ]);
    await expect(
      cw.send(
        new GetMetricDataCommand({
          StartTime: base,
          EndTime: at(base, 10),
          MetricDataQueries: [stat('e', 'Errors'), { Id: 'total', Expression: 'SUM(METRICS())' }],
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: /does not evaluate metric math functions/,
    });
  });

  test('GetMetricStatistics returns Datapoints with the requested statistics and percentiles', async ({
    aws,
  }) => {
    const cw = new CloudWatchClient(aws);
    const base = hourAgo();
    await cw.send(
      new PutMetricDataCommand({
        Namespace: 'Lab',
        MetricData: [1, 2, 3, 4].map((v) => ({
          MetricName: 'Tokens',
          Value: v * 10,
          Unit: 'Count',
          Timestamp: at(base, v),
        })),
      }),
    );
    const out = await cw.send(
      new GetMetricStatisticsCommand({
        Namespace: 'Lab',
        MetricName: 'Tokens',
        StartTime: base,
        EndTime: at(base, 60),
        Period: 3600,
        Statistics: ['Sum', 'Average', 'SampleCount', 'Minimum', 'Maximum'],
        ExtendedStatistics: ['p90'],
      }),
    );
    expect(out).toMatchObject({
      Label: 'Tokens',
      Datapoints: [
        {
          Timestamp: base,
          Sum: 100,
          Average: 25,
          SampleCount: 4,
          Minimum: 10,
          Maximum: 40,
          Unit: 'Count',
          ExtendedStatistics: { p90: 40 },
        },
      ],
    });
    await expect(
      cw.send(
        new GetMetricStatisticsCommand({
          Namespace: 'Lab',
          MetricName: 'Tokens',
          StartTime: base,
          EndTime: at(base, 60),
          Period: 90,
          Statistics: ['Sum'],
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      message: 'The parameter Period must be a multiple of 60.',
    });
  });

  test('a query matches only the datapoints with exactly its dimensions', async ({ aws }) => {
    const cw = new CloudWatchClient(aws);
    const base = hourAgo();
    const model = { Name: 'ModelId', Value: 'm1' };
    const app = { Name: 'App', Value: 'chat' };
    await cw.send(
      new PutMetricDataCommand({
        Namespace: 'Lab',
        MetricData: [
          { MetricName: 'Calls', Value: 1, Dimensions: [model], Timestamp: at(base, 1) },
          { MetricName: 'Calls', Value: 10, Dimensions: [model, app], Timestamp: at(base, 1) },
          { MetricName: 'Calls', Value: 100, Timestamp: at(base, 1) },
        ],
      }),
    );
    const sum = async (Dimensions: { Name: string; Value: string }[]) => {
      const out = await cw.send(
        new GetMetricDataCommand({
          StartTime: base,
          EndTime: at(base, 60),
          MetricDataQueries: [
            {
              Id: 'q',
              MetricStat: {
                Metric: { Namespace: 'Lab', MetricName: 'Calls', Dimensions },
                Period: 3600,
                Stat: 'Sum',
              },
            },
          ],
        }),
      );
      return out.MetricDataResults![0]!.Values;
    };
    expect(await sum([model])).toEqual([1]);
    expect(await sum([app, model])).toEqual([10]); // order does not matter
    expect(await sum([])).toEqual([100]);
    expect(await sum([app])).toEqual([]);
  });

  test('ListMetrics filters by namespace, name and dimensions', async ({ aws }) => {
    const cw = new CloudWatchClient(aws);
    await cw.send(
      new PutMetricDataCommand({
        Namespace: 'Lab',
        MetricData: [
          { MetricName: 'Calls', Value: 1, Dimensions: [{ Name: 'ModelId', Value: 'm1' }] },
          { MetricName: 'Calls', Value: 1, Dimensions: [{ Name: 'ModelId', Value: 'm2' }] },
          { MetricName: 'Errors', Value: 1 },
        ],
      }),
    );
    await cw.send(
      new PutMetricDataCommand({ Namespace: 'Other', MetricData: [{ MetricName: 'Calls', Value: 1 }] }),
    );
    const list = async (input: ListMetricsCommandInput) =>
      (await cw.send(new ListMetricsCommand(input))).Metrics;
    expect(await list({ Namespace: 'Lab' })).toHaveLength(3);
    expect(await list({ MetricName: 'Calls' })).toHaveLength(3);
    expect(await list({ Namespace: 'Lab', Dimensions: [{ Name: 'ModelId' }] })).toHaveLength(2);
    expect(await list({ Namespace: 'Lab', Dimensions: [{ Name: 'ModelId', Value: 'm2' }] })).toEqual([
      { Namespace: 'Lab', MetricName: 'Calls', Dimensions: [{ Name: 'ModelId', Value: 'm2' }] },
    ]);
    expect(await list({ Namespace: 'Lab', MetricName: 'Errors' })).toEqual([
      { Namespace: 'Lab', MetricName: 'Errors', Dimensions: [] },
    ]);
    expect(await list({ Namespace: 'Lab', RecentlyActive: 'PT3H' })).toHaveLength(3);
    // Metrics are regional.
    const ireland = new CloudWatchClient({ ...aws, region: 'eu-west-1' });
    expect((await ireland.send(new ListMetricsCommand({}))).Metrics).toEqual([]);
  });

  test('metrics Bedrock publishes are visible through the SDK, with exact dimension matching', async ({
    aws,
    sandbox,
    accountId,
  }) => {
    const base = hourAgo();
    const cwState = sandbox.world.cloudwatch.get(accountId);
    const ModelId = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';
    for (const minute of [1, 2]) {
      cwState.publish({
        region: 'us-east-1',
        namespace: 'AWS/Bedrock',
        metricName: 'Invocations',
        dimensions: [{ Name: 'ModelId', Value: ModelId }],
        value: 1,
        unit: 'Count',
        timestamp: at(base, minute),
      });
    }
    cwState.publish({
      region: 'us-east-1',
      namespace: 'AWS/Bedrock',
      metricName: 'ModelInvocationLogsCloudWatchDeliverySuccess',
      dimensions: [],
      value: 1,
      unit: 'Count',
      timestamp: at(base, 1),
    });
    const cw = new CloudWatchClient(aws);
    expect((await cw.send(new ListMetricsCommand({ Namespace: 'AWS/Bedrock' }))).Metrics).toEqual(
      expect.arrayContaining([
        {
          Namespace: 'AWS/Bedrock',
          MetricName: 'Invocations',
          Dimensions: [{ Name: 'ModelId', Value: ModelId }],
        },
        {
          Namespace: 'AWS/Bedrock',
          MetricName: 'ModelInvocationLogsCloudWatchDeliverySuccess',
          Dimensions: [],
        },
      ]),
    );
    const invocations = (Dimensions: { Name: string; Value: string }[]) =>
      cw.send(
        new GetMetricStatisticsCommand({
          Namespace: 'AWS/Bedrock',
          MetricName: 'Invocations',
          Dimensions,
          StartTime: base,
          EndTime: at(base, 60),
          Period: 3600,
          Statistics: ['Sum'],
        }),
      );
    expect((await invocations([{ Name: 'ModelId', Value: ModelId }])).Datapoints).toEqual([
      { Timestamp: base, Sum: 2, Unit: 'Count' },
    ]);
    expect((await invocations([])).Datapoints).toEqual([]);
  });
});

test.describe('CloudWatch over the Query protocol', () => {
  const XMLNS = 'xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/"';

  test('PutDashboard, ListDashboards and GetDashboard answer in XML', async ({ aws, accountId }) => {
    const put = await queryRequest(aws, 'monitoring', {
      Action: 'PutDashboard',
      Version: '2010-08-01',
      DashboardName: 'GenAI-Monitoring',
      DashboardBody: GOOD_BODY,
    });
    expect(put.status).toBe(200);
    expect(put.body).toContain(`<PutDashboardResponse ${XMLNS}>`);
    expect(put.body).toMatch(
      /<PutDashboardResult>\s*<DashboardValidationMessages>\s*<\/DashboardValidationMessages>|<DashboardValidationMessages\/>/,
    );

    const listed = await queryRequest(aws, 'monitoring', { Action: 'ListDashboards', Version: '2010-08-01' });
    expect(listed.status).toBe(200);
    expect(listed.body).toMatch(
      new RegExp(
        `<ListDashboardsResult><DashboardEntries><member><DashboardName>GenAI-Monitoring</DashboardName>` +
          `<DashboardArn>arn:aws:cloudwatch::${accountId}:dashboard/GenAI-Monitoring</DashboardArn>` +
          `<LastModified>\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z</LastModified><Size>${Buffer.byteLength(GOOD_BODY)}</Size>` +
          `</member></DashboardEntries></ListDashboardsResult>`,
      ),
    );

    const got = await queryRequest(aws, 'monitoring', {
      Action: 'GetDashboard',
      Version: '2010-08-01',
      DashboardName: 'GenAI-Monitoring',
    });
    expect(got.body).toContain(
      `<DashboardArn>arn:aws:cloudwatch::${accountId}:dashboard/GenAI-Monitoring</DashboardArn>`,
    );
    expect(got.body).toContain('<DashboardName>GenAI-Monitoring</DashboardName>');
    // The body comes back XML-escaped; the SDK sees the same dashboard.
    expect(got.body).toContain('<DashboardBody>{&quot;widgets&quot;:');
    const viaSdk = await new CloudWatchClient(aws).send(
      new GetDashboardCommand({ DashboardName: 'GenAI-Monitoring' }),
    );
    expect(viaSdk.DashboardBody).toBe(GOOD_BODY);
  });

  test('a missing dashboard is an ErrorResponse with Type Sender and Code ResourceNotFound', async ({
    aws,
  }) => {
    const res = await queryRequest(aws, 'monitoring', {
      Action: 'GetDashboard',
      Version: '2010-08-01',
      DashboardName: 'nope',
    });
    expect(res.status).toBe(404);
    expect(res.body).toMatch(
      new RegExp(
        `<ErrorResponse ${XMLNS}><Error><Type>Sender</Type><Code>ResourceNotFound</Code>` +
          `<Message>Dashboard nope does not exist</Message></Error><RequestId>[\\w-]+</RequestId></ErrorResponse>`,
      ),
    );
  });

  test('PutMetricData with text numbers and ISO timestamps, read back with GetMetricStatistics', async ({
    aws,
  }) => {
    const base = hourAgo();
    const put = await queryRequest(aws, 'monitoring', {
      Action: 'PutMetricData',
      Version: '2010-08-01',
      Namespace: 'Lab',
      'MetricData.member.1.MetricName': 'Calls',
      'MetricData.member.1.Value': '2.5',
      'MetricData.member.1.Unit': 'Count',
      'MetricData.member.1.Timestamp': at(base, 1).toISOString(),
      'MetricData.member.1.Dimensions.member.1.Name': 'ModelId',
      'MetricData.member.1.Dimensions.member.1.Value': 'm1',
      'MetricData.member.2.MetricName': 'Calls',
      'MetricData.member.2.Values.member.1': '1',
      'MetricData.member.2.Values.member.2': '3',
      'MetricData.member.2.Counts.member.1': '2',
      'MetricData.member.2.Counts.member.2': '1',
      'MetricData.member.2.Unit': 'Count',
      'MetricData.member.2.Timestamp': at(base, 2).toISOString(),
      'MetricData.member.2.Dimensions.member.1.Name': 'ModelId',
      'MetricData.member.2.Dimensions.member.1.Value': 'm1',
    });
    expect(put.status, put.body).toBe(200);
    const stats = await queryRequest(aws, 'monitoring', {
      Action: 'GetMetricStatistics',
      Version: '2010-08-01',
      Namespace: 'Lab',
      MetricName: 'Calls',
      'Dimensions.member.1.Name': 'ModelId',
      'Dimensions.member.1.Value': 'm1',
      StartTime: base.toISOString(),
      EndTime: at(base, 60).toISOString(),
      Period: '3600',
      'Statistics.member.1': 'Sum',
      'Statistics.member.2': 'SampleCount',
    });
    expect(stats.status, stats.body).toBe(200);
    expect(stats.body).toContain('<Label>Calls</Label>');
    expect(stats.body).toContain(
      `<Datapoints><member><Timestamp>${xmlTime(base)}</Timestamp><Unit>Count</Unit><Sum>7.5</Sum><SampleCount>4</SampleCount></member></Datapoints>`,
    );

    const refused = await queryRequest(aws, 'monitoring', {
      Action: 'PutMetricData',
      Version: '2010-08-01',
      Namespace: 'AWS/Bedrock',
      'MetricData.member.1.MetricName': 'Invocations',
      'MetricData.member.1.Value': '1',
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toContain(
      '<Type>Sender</Type><Code>InvalidParameterValue</Code><Message>The value AWS/Bedrock for parameter Namespace is invalid.</Message>',
    );
  });
  test('GetMetricData and ListMetrics answer in XML, with ReturnData and Period as text', async ({ aws }) => {
    const base = hourAgo();
    await new CloudWatchClient(aws).send(
      new PutMetricDataCommand({
        Namespace: 'Lab',
        MetricData: [
          {
            MetricName: 'Calls',
            Value: 2,
            Timestamp: at(base, 1),
            Dimensions: [{ Name: 'ModelId', Value: 'm1' }],
          },
          {
            MetricName: 'Calls',
            Value: 3,
            Timestamp: at(base, 2),
            Dimensions: [{ Name: 'ModelId', Value: 'm1' }],
          },
        ],
      }),
    );
    const data = await queryRequest(aws, 'monitoring', {
      Action: 'GetMetricData',
      Version: '2010-08-01',
      StartTime: base.toISOString(),
      EndTime: at(base, 60).toISOString(),
      ScanBy: 'TimestampAscending',
      'MetricDataQueries.member.1.Id': 'calls',
      'MetricDataQueries.member.1.MetricStat.Metric.Namespace': 'Lab',
      'MetricDataQueries.member.1.MetricStat.Metric.MetricName': 'Calls',
      'MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Name': 'ModelId',
      'MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Value': 'm1',
      'MetricDataQueries.member.1.MetricStat.Period': '60',
      'MetricDataQueries.member.1.MetricStat.Stat': 'Sum',
      'MetricDataQueries.member.1.ReturnData': 'true',
      'MetricDataQueries.member.2.Id': 'hidden',
      'MetricDataQueries.member.2.Expression': 'calls * 2',
      'MetricDataQueries.member.2.ReturnData': 'false',
    });
    expect(data.status, data.body).toBe(200);
    expect(data.body).toContain(
      '<MetricDataResults><member><Id>calls</Id><Label>Calls</Label>' +
        `<Timestamps><member>${xmlTime(at(base, 1))}</member><member>${xmlTime(at(base, 2))}</member></Timestamps>` +
        '<Values><member>2</member><member>3</member></Values><StatusCode>Complete</StatusCode></member></MetricDataResults>',
    );
    expect(data.body).not.toContain('<Id>hidden</Id>');

    const metrics = await queryRequest(aws, 'monitoring', {
      Action: 'ListMetrics',
      Version: '2010-08-01',
      Namespace: 'Lab',
      'Dimensions.member.1.Name': 'ModelId',
    });
    expect(metrics.body).toContain(
      '<Metrics><member><Namespace>Lab</Namespace><MetricName>Calls</MetricName>' +
        '<Dimensions><member><Name>ModelId</Name><Value>m1</Value></member></Dimensions></member></Metrics>',
    );
  });
});
