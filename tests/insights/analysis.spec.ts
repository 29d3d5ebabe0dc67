// analyzeQuery: what the grader reads from a dashboard widget's query without running it.
import { expect, test } from '@playwright/test';
import { analyzeQuery, type QueryAnalysis } from '../../insights';

function analysis(text: string): QueryAnalysis {
  const result = analyzeQuery(text);
  if (!result.ok) throw new Error(`${text}: ${result.error.message}`);
  return result.analysis;
}

const HOUR = 3_600_000;

test('lab widget 1: invocations per hour', () => {
  expect(analysis('fields @timestamp\n| stats count() as invocations by bin(1h)')).toEqual({
    sources: [],
    sourceSelections: [],
    commands: ['fields', 'stats'],
    fieldsReferenced: ['@timestamp'],
    aggregates: [{ fn: 'count', args: [], alias: 'invocations', outputName: 'invocations' }],
    groupBy: [{ expression: 'bin(1h)', outputName: 'bin(1h)', binPeriodMs: HOUR }],
    isAggregating: true,
  });
});

test('lab widget 2: token sums over fields that do not exist at the top level', () => {
  const a = analysis(
    'fields @timestamp, inputTokenCount, outputTokenCount\n| stats sum(inputTokenCount) as totalInput, sum(outputTokenCount) as totalOutput by bin(1h)',
  );
  expect(a.aggregates).toEqual([
    { fn: 'sum', args: ['inputTokenCount'], alias: 'totalInput', outputName: 'totalInput' },
    { fn: 'sum', args: ['outputTokenCount'], alias: 'totalOutput', outputName: 'totalOutput' },
  ]);
  expect(a.fieldsReferenced).toEqual(['@timestamp', 'inputTokenCount', 'outputTokenCount']);
  expect(a.groupBy).toEqual([{ expression: 'bin(1h)', outputName: 'bin(1h)', binPeriodMs: HOUR }]);
});

test('lab widget 2 corrected: the flattened field names', () => {
  const a = analysis(
    'stats sum(input.inputTokenCount) as totalInput, sum(output.outputTokenCount) as totalOutput by bin(1h)',
  );
  expect(a.aggregates.map((g) => [g.fn, g.args])).toEqual([
    ['sum', ['input.inputTokenCount']],
    ['sum', ['output.outputTokenCount']],
  ]);
  expect(a.fieldsReferenced).toEqual(['input.inputTokenCount', 'output.outputTokenCount']);
});

test('lab widget 3: latency from @duration', () => {
  const a = analysis(
    'fields @timestamp, @duration\n| stats avg(@duration) as avgLatency, max(@duration) as maxLatency by bin(1h)',
  );
  expect(a.aggregates).toEqual([
    { fn: 'avg', args: ['@duration'], alias: 'avgLatency', outputName: 'avgLatency' },
    { fn: 'max', args: ['@duration'], alias: 'maxLatency', outputName: 'maxLatency' },
  ]);
  expect(a.fieldsReferenced).toContain('@duration');
});

test('a dashboard query with SOURCE', () => {
  const a = analysis("SOURCE '/aws/bedrock/model-invocations' | stats count(*) by bin(5m)");
  expect(a.sources).toEqual(['/aws/bedrock/model-invocations']);
  expect(a.commands).toEqual(['source', 'stats']);
  expect(a.aggregates).toEqual([{ fn: 'count', args: ['*'], outputName: 'count(*)' }]);
  expect(a.groupBy).toEqual([{ expression: 'bin(5m)', outputName: 'bin(5m)', binPeriodMs: 300_000 }]);
});

test('metric-like variations: other periods, aliases, several groups', () => {
  const a = analysis(
    'filter ispresent(modelId) | stats sum(input.inputTokenCount + output.outputTokenCount) as tokens, count(*) as calls by bin(1d) as day, modelId',
  );
  expect(a.aggregates).toEqual([
    {
      fn: 'sum',
      args: ['input.inputTokenCount + output.outputTokenCount'],
      alias: 'tokens',
      outputName: 'tokens',
    },
    { fn: 'count', args: ['*'], alias: 'calls', outputName: 'calls' },
  ]);
  expect(a.groupBy).toEqual([
    { expression: 'bin(1d)', outputName: 'day', binPeriodMs: 24 * HOUR },
    { expression: 'modelId', outputName: 'modelId' },
  ]);
  expect(a.fieldsReferenced).toEqual(['modelId', 'input.inputTokenCount', 'output.outputTokenCount']);
});

test('an aggregate expression lists every aggregate call under the item name', () => {
  const a = analysis('stats sum(a) / count(a) as mean');
  expect(a.aggregates).toEqual([
    { fn: 'sum', args: ['a'], alias: 'mean', outputName: 'mean' },
    { fn: 'count', args: ['a'], alias: 'mean', outputName: 'mean' },
  ]);
});

test('the last stats command is the one described', () => {
  const a = analysis('stats sum(x) as s by k | stats max(s) as best');
  expect(a.aggregates).toEqual([{ fn: 'max', args: ['s'], alias: 'best', outputName: 'best' }]);
  expect(a.groupBy).toEqual([]);
  expect(a.fieldsReferenced).toEqual(['x', 'k']);
});

test('names the query defines itself are not log fields', () => {
  const a = analysis('parse @message "id=*" as id | fields strlen(id) as n, x as y | filter n > 1 and y = 2');
  expect(a.fieldsReferenced).toEqual(['@message', 'x']);
});

test('a query without stats', () => {
  const a = analysis('fields @timestamp, modelId | sort @timestamp desc | limit 20');
  expect(a).toMatchObject({
    isAggregating: false,
    aggregates: [],
    groupBy: [],
    commands: ['fields', 'sort', 'limit'],
  });
});

test('calendar bins get nominal lengths', () => {
  expect(analysis('stats count() by bin(1mo)').groupBy[0]?.binPeriodMs).toBe(30 * 24 * HOUR);
});

test('a broken query reports the compile error', () => {
  const result = analyzeQuery('fields @timestamp | stats count() by bin(1h) (');
  expect(result).toEqual({
    ok: false,
    error: {
      message: 'unexpected symbol found ( at line 1 and position 45',
      startCharOffset: 45,
      endCharOffset: 46,
    },
  });
});
