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
} from '@aws-sdk/client-cloudwatch';
import { queryRequest } from '../fixtures/query-protocol';
import { expect, test } from '../fixtures/sandbox';

const HOUR = 3600_000;
/** Start of the previous hour: datapoints placed from here fall in whole, epoch-aligned periods. */
const hourAgo = () => new Date(Math.floor(Date.now() / HOUR) * HOUR - HOUR);
const at = (base: Date, minutes: number) => new Date(base.getTime() + minutes * 60_000);

const logWidget = (query: string) => ({
  type: 'log',
  x: 0,
  y: 0,
  width: 12,
  height: 6,
  properties: { query, region: 'us-east-1', title: 'Invocations', view: 'table' },
});
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
          'The value for field DashboardName contains invalid characters. It can only contain alphanumerics, dash (-) and underscore (_).',
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
