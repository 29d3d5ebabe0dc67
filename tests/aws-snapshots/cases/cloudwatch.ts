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
  type GetMetricDataCommandInput,
  type MetricDatum,
  type PutMetricDataCommandInput,
  type StandardUnit,
  type Statistic,
} from '@aws-sdk/client-cloudwatch';
import { cbor, dateToTag } from '@smithy/core/cbor';
import { XMLParser } from 'fast-xml-parser';
import { signedRequest } from '../../fixtures/signed-request';
import type { CaseSession, CloudWatchProtocol, KnownDeviations, RecordedCases } from '../recorded-case';

/** The requests of LocalStack's tests/aws/services/cloudwatch/test_cloudwatch.py, recorded against AWS. */
const FILE = 'tests/aws/services/cloudwatch/test_cloudwatch.py';
const TEST = `${FILE}::TestCloudwatch`;
const MULTI = `${FILE}::TestCloudWatchMultiProtocol`;

/** The `aws_cloudwatch_client` fixture's parameters, in its order (conftest.py). */
const CLIENT_PROTOCOLS: CloudWatchProtocol[] = ['query', 'json', 'smithy-rpc-v2-cbor'];
/** TestCloudWatchMultiProtocol's own `protocol` parameter. */
const RAW_PROTOCOLS: CloudWatchProtocol[] = ['json', 'smithy-rpc-v2-cbor', 'query'];

const seconds = (at: Date, n: number) => new Date(at.getTime() + n * 1000);
/** `short_uid()`: eight characters unique to this run. */
const shortUid = (s: CaseSession) => s.unique('u').slice(2);

/**
 * What LocalStack's snapshot fixture did to a response before storing it, where the comparison
 * (snapshot-match.ts) does not do it too:
 * - a text that starts with `{` is parsed as JSON (`_transform_dict_to_parseable_values`: the
 *   recorded DashboardBody is an object);
 * - every value of a key whose name contains `timestamp` became the word `timestamp`
 *   (`SNAPSHOT_BASIC_TRANSFORMER`), lists included: a list (or an XML `member` wrapper) of times
 *   stands here as one time, so that it matches; a list holding anything but times stays as it
 *   is and differs.
 */
function asRecorded(value: unknown, key = ''): unknown {
  if (/timestamp/i.test(key) && value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const times = leaves(value);
    if (times.every(isTime)) return times.length ? toTime(times[0]) : new Date(0);
    return value;
  }
  if (typeof value === 'string' && value.startsWith('{')) {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  }
  if (Array.isArray(value)) return value.map((item) => asRecorded(item));
  if (value === null || typeof value !== 'object' || value instanceof Date || value instanceof Uint8Array)
    return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asRecorded(v, k)]));
}

function leaves(value: unknown): unknown[] {
  if (Array.isArray(value)) return value.flatMap(leaves);
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    // A CBOR tag 1 (epoch seconds) as the decoder hands it over.
    if ('tag' in value && 'value' in value) return [(value as { value: unknown }).value];
    return Object.values(value).flatMap(leaves);
  }
  return [value];
}

function isTime(value: unknown): boolean {
  if (value instanceof Date) return !Number.isNaN(value.getTime());
  if (typeof value === 'number') return Number.isFinite(value) && value > 0;
  return typeof value === 'string' && !Number.isNaN(Date.parse(value));
}

function toTime(value: unknown): Date {
  if (value instanceof Date) return value;
  return typeof value === 'number' ? new Date(value * 1000) : new Date(String(value));
}

const match = (s: CaseSession, key: string, value: unknown) => s.snapshot.match(key, asRecorded(value));

/** Python's `json.dumps`: `, ` and `: ` between items, as the test sent its dashboard bodies. */
function pythonJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(', ')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}: ${pythonJson(v)}`)
      .join(', ')}}`;
  return JSON.stringify(value);
}

const putMetricData = (s: CaseSession, input: PutMetricDataCommandInput) =>
  s.cloudwatch.send(new PutMetricDataCommand(input));
const getMetricData = (s: CaseSession, input: GetMetricDataCommandInput) =>
  s.cloudwatch.send(new GetMetricDataCommand(input));

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`the recorded test's assertion failed: ${what}`);
}

const statisticSet = { SampleCount: 10, Sum: 55, Minimum: 1, Maximum: 10 };

function dashboardBody(region: string) {
  return {
    widgets: [
      {
        type: 'metric',
        x: 0,
        y: 0,
        width: 6,
        height: 6,
        properties: {
          metrics: [['AWS/EC2', 'CPUUtilization', 'InstanceId', 'i-12345678']],
          region,
          view: 'timeSeries',
          stacked: false,
        },
      },
    ],
  };
}

// ---- the raw HTTP client of TestCloudWatchMultiProtocol (utils.py) ----

const TARGET_PREFIX = 'GraniteServiceVersion20100801';

interface RawResponse {
  status: number;
  headers: Headers;
  body: Uint8Array;
}

/** botocore's Query serializer: `A.member.1.B=x`, times in ISO 8601, an empty list as `A=`. */
function queryForm(value: unknown, prefix: string, into: [string, string][]): [string, string][] {
  if (value instanceof Date) into.push([prefix, isoSeconds(value)]);
  else if (Array.isArray(value)) {
    if (!value.length) into.push([prefix, '']);
    value.forEach((item, i) => queryForm(item, `${prefix}.member.${i + 1}`, into));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) queryForm(v, prefix ? `${prefix}.${k}` : k, into);
  } else into.push([prefix, String(value)]);
  return into;
}

/** `%Y-%m-%dT%H:%M:%SZ`, with `.%f` when there are fractions, as botocore writes times. */
function isoSeconds(at: Date): string {
  const ms = at.getUTCMilliseconds();
  return at.toISOString().replace(/\.\d{3}Z$/, ms ? `.${String(ms * 1000).padStart(6, '0')}Z` : 'Z');
}

/** botocore's JSON serializer: times as whole epoch seconds. */
function jsonBody(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, v: unknown) {
    const raw = this[key];
    return raw instanceof Date ? Math.floor(raw.getTime() / 1000) : v;
  });
}

function cborValue(value: unknown): unknown {
  if (value instanceof Date) return dateToTag(value);
  if (Array.isArray(value)) return value.map(cborValue);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cborValue(v)]));
  return value;
}

/** `post_raw`: one request, serialized as botocore serializes the protocol, signed for `monitoring`. */
async function postRaw(
  s: CaseSession,
  protocol: CloudWatchProtocol,
  operation: string,
  payload: Record<string, unknown>,
  queryMode = false,
): Promise<RawResponse> {
  let path = '/';
  let headers: Record<string, string>;
  let body: string | Uint8Array<ArrayBuffer>;
  if (protocol === 'json') {
    headers = {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `${TARGET_PREFIX}.${operation}`,
      'x-amzn-query-mode': queryMode ? 'true' : 'false',
    };
    body = jsonBody(payload);
  } else if (protocol === 'query') {
    headers = { 'content-type': 'application/x-www-form-urlencoded' };
    body = new URLSearchParams(
      queryForm(payload, '', [
        ['Action', operation],
        ['Version', '2010-08-01'],
      ]),
    ).toString();
  } else {
    path = `/service/${TARGET_PREFIX}/operation/${operation}`;
    headers = {
      'content-type': 'application/cbor',
      accept: 'application/cbor',
      'smithy-protocol': 'rpc-v2-cbor',
      ...(queryMode && { 'x-amzn-query-mode': 'true' }),
    };
    body = new Uint8Array(cbor.serialize(cborValue(payload)));
  }
  const response = await signedRequest(s.clientConfig.endpoint, s.accountId, {
    service: 'monitoring',
    path,
    headers,
    body,
  });
  return {
    status: response.status,
    headers: response.headers,
    body: new Uint8Array(await response.arrayBuffer()),
  };
}

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: '#text',
  parseTagValue: false,
  parseAttributeValue: false,
});

/** xmltodict's reading: an empty element is None, repeated elements a list, attributes `@name`. */
function xmlToDict(value: unknown): unknown {
  if (value === '') return null;
  if (Array.isArray(value)) return value.map(xmlToDict);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, xmlToDict(v)]));
  return value;
}

/** `_deserialize_response` of the protocol's client in utils.py. */
function decodeRaw(protocol: CloudWatchProtocol, response: RawResponse): unknown {
  if (!response.body.length) return {};
  const text = () => Buffer.from(response.body).toString('utf8');
  if (protocol === 'json') return JSON.parse(text()) as unknown;
  if (protocol === 'smithy-rpc-v2-cbor') return cbor.deserialize(response.body) as unknown;
  const type = response.headers.get('content-type') ?? '';
  if (type.startsWith('application/xml') || type.startsWith('text/xml')) {
    const parsed = xmlToDict(xml.parse(text())) as Record<string, unknown>;
    delete parsed['?xml'];
    const container = parsed[Object.keys(parsed)[0]!];
    if (container && typeof container === 'object')
      delete (container as Record<string, unknown>).ResponseMetadata;
    return parsed;
  }
  if (type.startsWith('application/json')) return JSON.parse(text()) as unknown;
  return text();
}

/**
 * `post`: the decoded answer. The Python client raises on any other status than `status`; here
 * the answer is kept with the status it came with, so that later keys are still compared.
 */
async function post(
  s: CaseSession,
  protocol: CloudWatchProtocol,
  operation: string,
  payload: Record<string, unknown>,
  { status = 200, queryMode = false } = {},
): Promise<unknown> {
  const response = await postRaw(s, protocol, operation, payload, queryMode);
  const body = decodeRaw(protocol, response);
  return response.status === status ? body : { 'unexpected status': response.status, body };
}

// ---- the recorded tests ----

export const CLOUDWATCH_CASES: RecordedCases = {};

for (const protocol of CLIENT_PROTOCOLS) {
  const at = (test: string, parameter?: string) =>
    `${TEST}::${test}[${parameter === undefined ? protocol : `${protocol}-${parameter}`}]`;

  CLOUDWATCH_CASES[at('test_put_metric_data_values_list')] = async (s) => {
    const metricName = 'test-metric';
    const namespace = `ns-${shortUid(s)}`;
    const utcNow = new Date();
    await putMetricData(s, {
      Namespace: namespace,
      MetricData: [
        { MetricName: metricName, Timestamp: utcNow, Values: [1.0, 10.0], Counts: [2, 4], Unit: 'Count' },
      ],
    });
    const stats = await s.cloudwatch.send(
      new GetMetricStatisticsCommand({
        Namespace: namespace,
        MetricName: metricName,
        StartTime: seconds(utcNow, -60),
        EndTime: seconds(utcNow, 60),
        Period: 60,
        Statistics: ['SampleCount', 'Sum', 'Maximum'],
      }),
    );
    check((stats.Datapoints ?? []).length >= 1, 'a datapoint');
    match(s, 'get_metric_statistics', stats);
  };

  CLOUDWATCH_CASES[at('test_put_metric_data_validation')] = async (s) => {
    const namespace = `ns-${shortUid(s)}`;
    const utcNow = new Date();
    const put = (datum: Omit<MetricDatum, 'MetricName' | 'Timestamp' | 'Unit'>) => () =>
      putMetricData(s, {
        Namespace: namespace,
        MetricData: [{ MetricName: 'mymetric', Timestamp: utcNow, ...datum, Unit: 'Count' }],
      });
    await s.snapshot.matchError('invalid-param-combination', put({ Value: 1.5, Values: [1.0, 10.0] }));
    await s.snapshot.matchError('invalid-param-value', put({ Values: [1.0, 10.0], Counts: [2, 4, 5] }));
    await s.snapshot.matchError(
      'invalid-param-combination-2',
      put({ Value: 1.5, StatisticValues: statisticSet }),
    );
    // "For some strange reason the AWS implementation allows this"
    await put({ Values: [1.0, 10.0], StatisticValues: statisticSet })();
  };

  CLOUDWATCH_CASES[at('test_get_metric_data_for_multiple_metrics')] = async (s) => {
    const utcNow = new Date();
    const namespace = `test/${shortUid(s)}`;
    const datum = (MetricName: string, value: Pick<MetricDatum, 'Value' | 'StatisticValues'>) =>
      putMetricData(s, {
        Namespace: namespace,
        MetricData: [{ MetricName, ...value, Unit: 'Seconds', Timestamp: utcNow }],
      });
    await datum('metric1', { Value: 50 });
    await datum('metric2', { Value: 25 });
    await datum('metric3', { StatisticValues: statisticSet });
    const response = await getMetricData(s, {
      MetricDataQueries: [1, 2, 3].map((n) => ({
        Id: `result${n}`,
        MetricStat: { Metric: { Namespace: namespace, MetricName: `metric${n}` }, Period: 60, Stat: 'Sum' },
      })),
      StartTime: seconds(utcNow, -60),
      EndTime: seconds(utcNow, 60),
    });
    check((response.MetricDataResults?.[2]?.Values ?? []).length > 0, 'values for metric3');
    match(s, 'get_metric_data', response);
  };

  for (const stat of ['Sum', 'SampleCount', 'Minimum', 'Maximum', 'Average']) {
    CLOUDWATCH_CASES[at('test_get_metric_data_stats', stat)] = async (s) => {
      const utcNow = new Date();
      const namespace = `test/${shortUid(s)}`;
      await putMetricData(s, {
        Namespace: namespace,
        MetricData: [{ MetricName: 'metric1', Value: 11, Unit: 'Seconds', Timestamp: utcNow }],
      });
      await putMetricData(s, {
        Namespace: namespace,
        MetricData: [
          { MetricName: 'metric1', StatisticValues: statisticSet, Unit: 'Seconds', Timestamp: utcNow },
        ],
      });
      const response = await getMetricData(s, {
        MetricDataQueries: [
          {
            Id: 'result1',
            MetricStat: { Metric: { Namespace: namespace, MetricName: 'metric1' }, Period: 60, Stat: stat },
          },
        ],
        StartTime: seconds(utcNow, -60),
        EndTime: seconds(utcNow, 60),
      });
      check((response.MetricDataResults?.[0]?.Values ?? []).length > 0, 'values');
      match(s, 'get_metric_data', response);
    };
  }

  CLOUDWATCH_CASES[at('test_get_metric_data_with_dimensions')] = async (s) => {
    const utcNow = new Date();
    const namespace = `test/${shortUid(s)}`;
    for (const instance of ['one', 'two']) {
      await putMetricData(s, {
        Namespace: namespace,
        MetricData: [
          {
            MetricName: 'metric1',
            Value: 11,
            Unit: 'Seconds',
            Dimensions: [{ Name: 'InstanceId', Value: instance }],
            Timestamp: utcNow,
          },
        ],
      });
    }
    await putMetricData(s, {
      Namespace: namespace,
      MetricData: [
        { MetricName: 'metric1', StatisticValues: statisticSet, Unit: 'Seconds', Timestamp: utcNow },
      ],
    });
    const response = await getMetricData(s, {
      MetricDataQueries: [
        {
          Id: 'result1',
          MetricStat: {
            Metric: {
              Namespace: namespace,
              MetricName: 'metric1',
              Dimensions: [{ Name: 'InstanceId', Value: 'one' }],
            },
            Period: 60,
            Stat: 'Sum',
          },
        },
      ],
      StartTime: seconds(utcNow, -60),
      EndTime: seconds(utcNow, 60),
    });
    check((response.MetricDataResults?.[0]?.Values ?? []).length > 0, 'values');
    match(s, 'get_metric_data', response);
  };

  CLOUDWATCH_CASES[at('test_invalid_dashboard_name')] = async (s) => {
    const dashboardName = `test-${shortUid(s)}:invalid`;
    await s.snapshot.matchError('error-invalid-dashboardname', () =>
      s.cloudwatch.send(
        new PutDashboardCommand({
          DashboardName: dashboardName,
          DashboardBody: pythonJson(dashboardBody(s.region)),
        }),
      ),
    );
  };

  CLOUDWATCH_CASES[at('test_dashboard_lifecycle')] = async (s) => {
    const dashboardName = `test-${shortUid(s)}`;
    await s.cloudwatch.send(
      new PutDashboardCommand({
        DashboardName: dashboardName,
        DashboardBody: pythonJson(dashboardBody(s.region)),
      }),
    );
    match(
      s,
      'get_dashboard',
      await s.cloudwatch.send(new GetDashboardCommand({ DashboardName: dashboardName })),
    );
    match(s, 'list_dashboards', await s.cloudwatch.send(new ListDashboardsCommand({})));
    match(
      s,
      'list_dashboards_prefix_empty',
      await s.cloudwatch.send(new ListDashboardsCommand({ DashboardNamePrefix: 'no-valid' })),
    );
    match(
      s,
      'list_dashboards_prefix',
      await s.cloudwatch.send(new ListDashboardsCommand({ DashboardNamePrefix: 'test' })),
    );
    await s.cloudwatch.send(new DeleteDashboardsCommand({ DashboardNames: [dashboardName] }));
    match(s, 'list_dashboards_empty', await s.cloudwatch.send(new ListDashboardsCommand({})));
  };

  CLOUDWATCH_CASES[at('test_get_metric_data_with_zero_and_labels')] = async (s) => {
    const utcNow = new Date();
    const namespace1 = `test/${shortUid(s)}`;
    await putMetricData(s, {
      Namespace: namespace1,
      MetricData: [0, 2, 4, 3.5, 7, 100].map((Value) => ({ MetricName: 'metric1', Value, Unit: 'Seconds' })),
    });
    const response = await getMetricData(s, {
      MetricDataQueries: ['Average', 'Sum', 'Minimum', 'Maximum'].map((stat) => ({
        Id: `result_${stat}`,
        MetricStat: { Metric: { Namespace: namespace1, MetricName: 'metric1' }, Period: 60, Stat: stat },
      })),
      StartTime: seconds(utcNow, -60),
      EndTime: seconds(utcNow, 60),
    });
    const average = response.MetricDataResults?.find((r) => r.Id === 'result_Average');
    check(JSON.stringify((average?.Values ?? []).map(Math.trunc)) === '[19]', 'an average of 19');
    match(s, 'get_metric_data_with_zero_and_labels', response);
  };

  CLOUDWATCH_CASES[at('test_get_metric_statistics')] = async (s) => {
    const utcNow = new Date();
    const namespace = `test/${shortUid(s)}`;
    for (let i = 0; i < 10; i++) {
      await putMetricData(s, {
        Namespace: namespace,
        MetricData: [{ MetricName: 'metric', Value: i, Timestamp: seconds(utcNow, 1) }],
      });
    }
    const stats = await s.cloudwatch.send(
      new GetMetricStatisticsCommand({
        Namespace: namespace,
        MetricName: 'metric',
        StartTime: seconds(utcNow, -60),
        EndTime: seconds(utcNow, 60),
        Period: 60,
        Statistics: ['Average', 'Sum', 'Minimum', 'Maximum', 'SampleCount'],
      }),
    );
    check(stats.Datapoints?.length === 1, 'one datapoint');
    match(s, 'get_metric_statistics', stats);
  };

  CLOUDWATCH_CASES[at('test_handle_different_units')] = async (s) => {
    const namespace = `n-sp-${shortUid(s)}`;
    const metricName = 'm-test';
    const now = new Date();
    await putMetricData(s, {
      Namespace: namespace,
      MetricData: [
        { MetricName: metricName, Timestamp: now, Value: 1, Unit: 'Seconds' },
        { MetricName: metricName, Timestamp: now, Value: 5, Unit: 'Count' },
        { MetricName: metricName, Timestamp: now, Value: 10 },
      ],
    });
    const response = await s.cloudwatch.send(
      new GetMetricStatisticsCommand({
        Namespace: namespace,
        MetricName: metricName,
        StartTime: seconds(now, -60),
        EndTime: seconds(now, 60),
        Period: 60,
        Statistics: ['Average'],
      }),
    );
    check(response.Datapoints?.length === 3, 'three datapoints');
    response.Datapoints!.sort((a, b) => b.Average! - a.Average!);
    match(s, 'get_metric_statistics_with_different_units', response);
  };

  CLOUDWATCH_CASES[at('test_get_metric_data_with_different_units')] = async (s) => {
    const namespace = `n-sp-${shortUid(s)}`;
    const metricName = 'm-test';
    const now = new Date();
    await putMetricData(s, {
      Namespace: namespace,
      MetricData: [
        { MetricName: metricName, Timestamp: now, Value: 1, Unit: 'Seconds' },
        { MetricName: metricName, Timestamp: now, Value: 1, Unit: 'Count' },
      ],
    });
    const response = await getMetricData(s, {
      MetricDataQueries: [
        {
          Id: 'm1',
          MetricStat: {
            Metric: { Namespace: namespace, MetricName: metricName },
            Period: 60,
            Stat: 'Sum',
            Unit: 'Seconds',
          },
        },
      ],
      StartTime: now,
      EndTime: seconds(now, 60),
      MaxDatapoints: 10,
    });
    match(s, 'get_metric_data_with_different_units', response);
  };

  const baseMetricData: { Value: number; Unit: StandardUnit }[] = [
    { Value: 60000, Unit: 'Milliseconds' },
    { Value: 60, Unit: 'Seconds' },
  ];
  const countMetric: { Value: number; Unit: StandardUnit } = { Value: 5, Unit: 'Count' };
  [
    baseMetricData,
    [...baseMetricData, ...baseMetricData],
    [...baseMetricData, ...baseMetricData, countMetric],
  ].forEach((metricData, i) => {
    CLOUDWATCH_CASES[at('test_get_metric_data_different_units_no_unit_in_query', `metric_data${i}`)] = async (
      s,
    ) => {
      const namespace = `n-sp-${shortUid(s)}`;
      const metricName = 'm-test';
      const now = new Date();
      await putMetricData(s, {
        Namespace: namespace,
        MetricData: metricData.map((m) => ({ ...m, MetricName: metricName, Timestamp: now })),
      });
      const response = await getMetricData(s, {
        MetricDataQueries: [
          {
            Id: 'm1',
            MetricStat: { Metric: { Namespace: namespace, MetricName: metricName }, Period: 60, Stat: 'Sum' },
          },
        ],
        StartTime: now,
        EndTime: seconds(now, 60),
        MaxDatapoints: 10,
      });
      match(s, 'get_metric_data_with_no_unit_specified', response);
    };
  });

  const inputPairs: [string, number, StandardUnit][][] = [
    [
      ['Sum', 60, 'Seconds'],
      ['Minimum', 30, 'Seconds'],
    ],
    [
      ['Sum', 60, 'Seconds'],
      ['Minimum', 60, 'Seconds'],
    ],
    [
      ['Sum', 60, 'Seconds'],
      ['Sum', 30, 'Seconds'],
    ],
    [
      ['Sum', 60, 'Seconds'],
      ['Minimum', 30, 'Milliseconds'],
    ],
    [
      ['Sum', 60, 'Seconds'],
      ['Minimum', 60, 'Milliseconds'],
    ],
    [
      ['Sum', 60, 'Seconds'],
      ['Sum', 30, 'Milliseconds'],
    ],
    [
      ['Sum', 60, 'Seconds'],
      ['Sum', 60, 'Milliseconds'],
    ],
  ];
  inputPairs.forEach((pairs, i) => {
    CLOUDWATCH_CASES[at('test_label_generation', `input_pairs${i}`)] = async (s) => {
      const utcNow = new Date();
      const namespace1 = `test/${shortUid(s)}`;
      await putMetricData(s, {
        Namespace: namespace1,
        MetricData: [0, 2, 7, 100].map((Value) => ({ MetricName: 'metric1', Value, Unit: 'Seconds' })),
      });
      const response = await getMetricData(s, {
        MetricDataQueries: pairs.map(([stat, period, unit]) => ({
          Id: `result_${stat}_${period}_${unit}`,
          MetricStat: {
            Metric: { Namespace: namespace1, MetricName: 'metric1' },
            Period: period,
            Stat: stat,
            Unit: unit,
          },
        })),
        StartTime: seconds(utcNow, -60),
        EndTime: seconds(utcNow, 60),
      });
      const sum = response.MetricDataResults?.find((r) => r.Id?.startsWith('result_Sum'));
      check(JSON.stringify((sum?.Values ?? []).map(Math.trunc)) === '[109]', 'a sum of 109');
      match(s, 'label_generation', response);
    };
  });

  CLOUDWATCH_CASES[at('test_get_metric_with_null_dimensions')] = async (s) => {
    const namespace = `n-${shortUid(s)}`;
    const metricName = 'm-test';
    await putMetricData(s, {
      Namespace: namespace,
      MetricData: [
        { MetricName: metricName, Value: 1, Unit: 'Seconds', Dimensions: [{ Name: 'foo', Value: 'bar' }] },
      ],
    });
    const response = await getMetricData(s, {
      MetricDataQueries: [
        {
          Id: 'm1',
          MetricStat: {
            Metric: { Namespace: namespace, MetricName: metricName, Dimensions: [] },
            Period: 60,
            Stat: 'Sum',
          },
        },
      ],
      StartTime: new Date(Date.now() - 3600_000),
      EndTime: new Date(),
    });
    check(response.MetricDataResults?.[0]?.Values?.length === 0, 'no values');
    match(s, 'get_metric_with_null_dimensions', response);
  };

  CLOUDWATCH_CASES[at('test_get_metric_with_no_results')] = async (s) => {
    const utcNow = new Date();
    const namespace = `n-${shortUid(s)}`;
    const metric = `m-${shortUid(s)}`;
    await putMetricData(s, { Namespace: namespace, MetricData: [{ MetricName: metric, Value: 1 }] });
    const listed = await s.cloudwatch.send(
      new ListMetricsCommand({ Namespace: namespace, MetricName: metric }),
    );
    check(listed.Metrics?.length === 1, 'the metric listed');
    const data = await getMetricData(s, {
      MetricDataQueries: [
        {
          Id: 'result',
          MetricStat: {
            Metric: { Namespace: namespace, MetricName: metric, Dimensions: [{ Name: 'foo', Value: 'bar' }] },
            Period: 60,
            Stat: 'Sum',
          },
        },
      ],
      StartTime: seconds(utcNow, -60),
      EndTime: seconds(utcNow, 60),
    });
    match(s, 'result', data);
  };

  CLOUDWATCH_CASES[at('test_multiple_dimensions_statistics')] = async (s) => {
    const utcNow = new Date();
    const namespace = `test/${shortUid(s)}`;
    const metricName = 'http.server.requests.count';
    const dimensions = [
      { Name: 'error', Value: 'none' },
      { Name: 'exception', Value: 'none' },
      { Name: 'method', Value: 'GET' },
      { Name: 'outcome', Value: 'SUCCESS' },
      { Name: 'uri', Value: '/greetings' },
      { Name: 'status', Value: '200' },
    ];
    for (const Value of [0.0, 5.0]) {
      await putMetricData(s, {
        Namespace: namespace,
        MetricData: [
          {
            MetricName: metricName,
            Value,
            Unit: 'Count',
            StorageResolution: 1,
            Dimensions: dimensions,
            Timestamp: new Date(),
          },
        ],
      });
    }
    const response = await getMetricData(s, {
      MetricDataQueries: [
        {
          Id: 'result1',
          MetricStat: {
            Metric: { Namespace: namespace, MetricName: metricName, Dimensions: dimensions },
            Period: 10,
            Stat: 'Maximum',
            Unit: 'Count',
          },
        },
      ],
      StartTime: seconds(utcNow, -60),
      EndTime: seconds(utcNow, 60),
    });
    check((response.MetricDataResults?.[0]?.Values ?? []).length > 0, 'values');
    match(s, 'get-metric-stats-max', response);
    const listed = await s.cloudwatch.send(
      new ListMetricsCommand({ Namespace: namespace, MetricName: metricName, Dimensions: dimensions }),
    );
    check((listed.Metrics ?? []).length > 0, 'the metric listed');
    for (const metric of listed.Metrics ?? [])
      metric.Dimensions = [...(metric.Dimensions ?? [])].sort((a, b) => (a.Name! < b.Name! ? -1 : 1));
    match(s, 'list-metrics', listed);
  };

  CLOUDWATCH_CASES[at('test_invalid_amount_of_datapoints')] = async (s) => {
    const utcNow = new Date();
    const stats = (input: { Namespace?: string; EndTime: Date; Period: number }) =>
      s.cloudwatch.send(
        new GetMetricStatisticsCommand({
          Namespace: 'namespace',
          MetricName: 'metric_name',
          StartTime: utcNow,
          Statistics: ['SampleCount' as Statistic],
          ...input,
        }),
      );
    await s.snapshot.matchError('error-invalid-amount-datapoints', () =>
      stats({ EndTime: seconds(utcNow, 86400), Period: 1 }),
    );
    await s.snapshot.matchError('error-invalid-time-frame', () => stats({ EndTime: utcNow, Period: 1 }));
    match(
      s,
      'get-metric-statitics',
      await stats({ Namespace: `namespace_${shortUid(s)}`, EndTime: seconds(utcNow, 86400), Period: 60 }),
    );
  };
}

for (const protocol of RAW_PROTOCOLS) {
  CLOUDWATCH_CASES[`${MULTI}::test_basic_operations_multiple_protocols[${protocol}]`] = async (s) => {
    match(s, 'describe-alarms', await post(s, protocol, 'DescribeAlarms', {}));

    const namespace1 = `test/${shortUid(s)}`;
    const namespace2 = `test/${shortUid(s)}`;
    const now = new Date(Math.floor(Date.now() / 1000) * 1000);
    const parameters = [
      { Namespace: namespace1, MetricData: [{ MetricName: 'someMetric', Value: 23 }] },
      { Namespace: namespace1, MetricData: [{ MetricName: 'someMetric', Value: 18 }] },
      { Namespace: namespace2, MetricData: [{ MetricName: 'ug', Value: 23, Timestamp: now }] },
    ];
    for (const input of parameters) {
      const response = await postRaw(s, protocol, 'PutMetricData', input);
      check(response.status === 200, 'PutMetricData answers 200');
      check(response.headers.has('x-amzn-requestid'), 'x-amzn-RequestId in the headers');
    }

    const getMetricInput = {
      MetricDataQueries: [
        {
          Id: 'some',
          MetricStat: {
            Metric: { Namespace: namespace1, MetricName: 'someMetric' },
            Period: 60,
            Stat: 'Sum',
          },
        },
        {
          Id: 'part',
          MetricStat: { Metric: { Namespace: namespace2, MetricName: 'ug' }, Period: 60, Stat: 'Sum' },
        },
      ],
      StartTime: seconds(now, -60),
      EndTime: seconds(now, 300),
    };
    // The test's default client (not the protocol under test), while waiting for the data.
    const defaultClient = new CloudWatchClient({
      ...s.clientConfig,
      credentials: { accessKeyId: s.accountId, secretAccessKey: 'test' },
    });
    const ready = await defaultClient.send(new GetMetricDataCommand(getMetricInput));
    check(ready.MetricDataResults?.length === 2, 'two results');
    const total = (id: string) =>
      (ready.MetricDataResults?.find((r) => r.Id === id)?.Values ?? []).reduce((a, b) => a + b, 0);
    check(total('some') === 41 && total('part') === 23, 'sums of 41 and 23');

    const response = await post(s, protocol, 'GetMetricData', getMetricInput);
    match(s, 'get-metric-data', response);

    // The test's checks of the raw timestamps, protocol by protocol.
    if (protocol === 'query') {
      const member = (
        response as {
          GetMetricDataResponse?: {
            GetMetricDataResult?: {
              MetricDataResults?: { member?: { Timestamps?: { member?: unknown } }[] };
            };
          };
        }
      ).GetMetricDataResponse?.GetMetricDataResult?.MetricDataResults?.member?.[0]?.Timestamps?.member;
      check(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(String(member)), 'a timestamp in whole seconds');
    } else if (protocol === 'json') {
      const raw = await postRaw(s, protocol, 'GetMetricData', getMetricInput);
      const text = Buffer.from(raw.body).toString('utf8');
      // Python reads the first timestamp as a float whose text is `1765977780.0`.
      check(
        /"Timestamps":\[\d\.?\d*E9|"Timestamps":\[\d{10}\.0/.test(text),
        'a timestamp written as a float',
      );
    } else {
      const raw = await postRaw(s, protocol, 'GetMetricData', getMetricInput);
      const marker = Buffer.from('Timestamps\x9f\xc1\xfbA', 'latin1');
      check(Buffer.from(raw.body).includes(marker), 'timestamps as tag 1 over a double');
    }
  };

  CLOUDWATCH_CASES[`${MULTI}::test_exception_serializing_with_no_shape_in_spec[${protocol}]`] = async (s) => {
    const alarmName = `a-${shortUid(s)}`;
    match(
      s,
      'invalid-value-response',
      await post(
        s,
        protocol,
        'SetAlarmState',
        { AlarmName: alarmName, StateValue: 'INVALID', StateReason: 'test' },
        { status: 400 },
      ),
    );
    const notFound = { AlarmName: alarmName, StateValue: 'OK', StateReason: 'test' };
    match(
      s,
      'not-found-response',
      await post(s, protocol, 'SetAlarmState', notFound, { status: protocol === 'query' ? 404 : 400 }),
    );
    match(
      s,
      'not-found-response-query-mode-true',
      await post(s, protocol, 'SetAlarmState', notFound, { status: 404, queryMode: true }),
    );
  };
}

/** Recorded responses the sandbox knowingly answers otherwise, with the reason. */
export const CLOUDWATCH_DEVIATIONS: KnownDeviations = {};

for (const protocol of RAW_PROTOCOLS) {
  CLOUDWATCH_DEVIATIONS[`${MULTI}::test_basic_operations_multiple_protocols[${protocol}] › describe-alarms`] =
    'DescribeAlarms is not emulated (alarms are out of scope): the sandbox answers 501 NotImplementedException';
  for (const key of ['invalid-value-response', 'not-found-response', 'not-found-response-query-mode-true']) {
    CLOUDWATCH_DEVIATIONS[
      `${MULTI}::test_exception_serializing_with_no_shape_in_spec[${protocol}] › ${key}`
    ] =
      'SetAlarmState is not emulated (alarms are out of scope): the sandbox answers 501 NotImplementedException';
  }
}
CLOUDWATCH_DEVIATIONS[`${MULTI}::test_basic_operations_multiple_protocols[query] › get-metric-data`] =
  'the Query protocol writes a whole double as 41, AWS as 41.0 (the sandbox keeps no member types); every SDK reads the same number';
for (const protocol of CLIENT_PROTOCOLS) {
  for (const key of ['list_dashboards', 'list_dashboards_prefix']) {
    CLOUDWATCH_DEVIATIONS[`${TEST}::test_dashboard_lifecycle[${protocol}] › ${key}`] =
      "Size: this recording has 240 for the test's 225-byte body; the earlier recording of the same test had 225, the body's length, as the sandbox answers (LocalStack skips this path)";
  }
}
