import { expect, test } from '@playwright/test';
import {
  checkInsightsQuery,
  insightsTimestamp,
  provenRows,
  type QueryOutcome,
} from '../../specs/genai-monitoring/lab/checks/insights-query';
import {
  checkLogEntries,
  recordParts,
  type RecordParts,
} from '../../specs/genai-monitoring/lab/checks/log-entries';
import { REJECTED, type RecordEvent } from '../../specs/genai-monitoring/lab/checks/provenance';
import { LAB } from '../../specs/genai-monitoring/lab/facts';
import type { CheckStatus } from '../../helpers/grade-contract';
import { COMPLETE_RECORD } from '../fixtures/check-states';

const GROUP = LAB.logGroup;

/** A record as Bedrock writes it (docs/aws-behaviours.md, "The invocation log record"). */
const FULL_RECORD = {
  timestamp: '2026-11-27T07:15:02Z',
  accountId: '123456789012',
  identity: { arn: 'arn:aws:sts::123456789012:assumed-role/Learner/session' },
  region: 'us-east-1',
  requestId: '5c1e7a8e-0a7b-4b1e-9f0e-3d4b5a6c7d8e',
  operation: 'InvokeModel',
  modelId: 'anthropic.claude-3-5-sonnet-20241022-v2:0',
  input: {
    inputContentType: 'application/json',
    inputBodyJson: {
      anthropic_version: 'bedrock-2023-05-31',
      max_tokens: 128,
      messages: [{ role: 'user', content: 'What is Amazon Bedrock?' }],
    },
    inputTokenCount: 14,
  },
  output: {
    outputContentType: 'application/json',
    outputBodyJson: { content: [{ type: 'text', text: 'A managed service.' }] },
    outputTokenCount: 96,
  },
  inferenceRegion: 'us-east-1',
  schemaType: 'ModelInvocationLog',
  schemaVersion: '1.0',
};

const ALL = COMPLETE_RECORD;
const NONE: RecordParts = {
  modelId: false,
  inputTokenCount: false,
  outputTokenCount: false,
  inputBody: false,
  outputBody: false,
};
const NO_BODIES: RecordParts = { ...ALL, inputBody: false, outputBody: false };

test.describe('recordParts', () => {
  const { inputBodyJson: _in, ...inputWithoutBody } = FULL_RECORD.input;
  const { outputBodyJson: _out, ...outputWithoutBody } = FULL_RECORD.output;
  const cases: { name: string; record: unknown; parts: RecordParts }[] = [
    { name: 'a full record', record: FULL_RECORD, parts: ALL },
    {
      name: 'a record logged with text data off',
      record: { ...FULL_RECORD, input: inputWithoutBody, output: outputWithoutBody },
      parts: NO_BODIES,
    },
    {
      name: 'text bodies count as bodies',
      record: {
        ...FULL_RECORD,
        input: { ...inputWithoutBody, inputBodyText: 'hi' },
        output: { ...outputWithoutBody, outputBodyText: 'hello' },
      },
      parts: ALL,
    },
    {
      name: 'a guardrail-blocked record without token counts',
      record: {
        ...FULL_RECORD,
        input: { inputBodyJson: {} },
        output: { outputBodyJson: {} },
      },
      parts: { ...ALL, inputTokenCount: false, outputTokenCount: false },
    },
    {
      name: 'token counts as text do not count',
      record: { ...FULL_RECORD, input: { ...FULL_RECORD.input, inputTokenCount: '14' } },
      parts: { ...ALL, inputTokenCount: false },
    },
    { name: 'an empty model id', record: { ...FULL_RECORD, modelId: '' }, parts: { ...ALL, modelId: false } },
    {
      name: 'the permissions line',
      record: 'Permissions are correctly set for Amazon Bedrock logs.',
      parts: NONE,
    },
    { name: 'null', record: null, parts: NONE },
    { name: 'an empty object', record: {}, parts: NONE },
  ];
  for (const c of cases) {
    test(c.name, () => expect(recordParts(c.record)).toEqual(c.parts));
  }
});

test.describe('checkLogEntries', () => {
  const cases: {
    name: string;
    records: RecordParts[];
    rejected?: Record<string, number>;
    min: number;
    status: CheckStatus;
    says: string[];
    missing?: Record<string, number>;
  }[] = [
    {
      name: 'no records',
      records: [],
      min: 5,
      status: 'fail',
      says: [`No invocation log records in ${GROUP} to examine.`],
      missing: {},
    },
    {
      name: 'no record Bedrock wrote, only rejected ones',
      records: [],
      rejected: { [REJECTED.unmatched]: 5, [REJECTED.account]: 2 },
      min: 5,
      status: 'fail',
      says: [
        `No record in ${GROUP} was written by Bedrock:`,
        "5 records with no matching delivery in Bedrock's metrics, 2 records naming another account do not count.",
      ],
      missing: {},
    },
    {
      name: 'five complete records',
      records: Array<RecordParts>(5).fill(ALL),
      min: 5,
      status: 'pass',
      says: [`5 of 5 records in ${GROUP} carry`],
      missing: {},
    },
    {
      name: 'five complete records, and rejected ones noted',
      records: Array<RecordParts>(5).fill(ALL),
      rejected: { [REJECTED.duplicate]: 3 },
      min: 5,
      status: 'pass',
      says: [`5 of 5 records in ${GROUP} carry`, '3 records repeating a request id do not count.'],
    },
    {
      name: 'five complete records and the permissions line',
      records: [NONE, ...Array<RecordParts>(5).fill(ALL)],
      min: 5,
      status: 'pass',
      says: ['5 of 6 records in'],
    },
    {
      name: 'one short of the minimum',
      records: [...Array<RecordParts>(4).fill(ALL), NO_BODIES],
      min: 5,
      status: 'fail',
      says: [
        `Only 4 of 5 records in ${GROUP} are complete (expected 5)`,
        '1 lack the request body',
        '1 lack the response body',
      ],
      missing: { inputBody: 1, outputBody: 1 },
    },
    {
      name: 'all logged without text data',
      records: Array<RecordParts>(5).fill(NO_BODIES),
      min: 5,
      status: 'fail',
      says: ['Only 0 of 5', '5 lack the request body'],
      missing: { inputBody: 5, outputBody: 5 },
    },
    {
      name: 'missing model ids and token counts are named',
      records: [{ ...ALL, modelId: false, outputTokenCount: false }],
      min: 1,
      status: 'fail',
      says: ['1 lack the model id', '1 lack the output token count'],
      missing: { modelId: 1, outputTokenCount: 1 },
    },
    {
      name: 'incomplete records, and rejected ones noted',
      records: [NO_BODIES],
      rejected: { [REJECTED.stream]: 2 },
      min: 1,
      status: 'fail',
      says: ['Only 0 of 1 record in', `2 records outside Bedrock's stream ${LAB.logStream} do not count.`],
    },
    {
      name: 'a minimum of one',
      records: [ALL, NO_BODIES, NO_BODIES],
      min: 1,
      status: 'pass',
      says: ['1 of 3 records in'],
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const rejected = c.rejected ?? {};
      const verdict = checkLogEntries({ group: GROUP, records: c.records, rejected, min: c.min });
      expect(verdict.status, verdict.message).toBe(c.status);
      for (const fragment of c.says) expect(verdict.message).toContain(fragment);
      expect(verdict.evidence).toMatchObject({ group: GROUP, records: c.records.length, rejected });
      if (c.missing) expect(verdict.evidence).toMatchObject({ missing: c.missing });
      if (c.status === 'pass') expect(verdict.hint).toBeUndefined();
      else expect(verdict.hint).toBeTruthy();
    });
  }

  test('without rejected records nothing is said about them', () => {
    const verdict = checkLogEntries({ group: GROUP, records: [ALL], rejected: {}, min: 1 });
    expect(verdict.message).not.toContain('do not count');
  });

  test('records without bodies are blamed on text data; other gaps on failed calls', () => {
    const bodies = checkLogEntries({ group: GROUP, records: [NO_BODIES], rejected: {}, min: 1 });
    const failed = checkLogEntries({
      group: GROUP,
      records: [{ ...ALL, outputTokenCount: false, outputBody: false }],
      rejected: {},
      min: 1,
    });
    expect(bodies.hint).toContain('text data delivery was off');
    expect(failed.hint).toContain('calls that failed');
  });
});

test.describe('insightsTimestamp', () => {
  test('writes @timestamp as Logs Insights does', () =>
    expect(insightsTimestamp(Date.UTC(2026, 10, 27, 7, 15, 2))).toBe('2026-11-27 07:15:02.000'));

  test('keeps milliseconds', () =>
    expect(insightsTimestamp(Date.UTC(2026, 0, 5, 23, 59, 59, 7))).toBe('2026-01-05 23:59:59.007'));
});

test.describe('provenRows', () => {
  const T0 = Date.UTC(2026, 10, 27, 7, 15, 2, 120);
  const MODEL = LAB.modelId;
  const event = (timestamp: number, modelId: string = MODEL): RecordEvent => ({
    record: { modelId },
    ingestionTime: timestamp + 1500,
    timestamp,
    stream: LAB.logStream,
  });
  const row = (timestamp: number, modelId: string = MODEL) => ({
    timestamp: insightsTimestamp(timestamp),
    modelId,
  });
  const cases: {
    name: string;
    rows: { timestamp?: string; modelId?: string }[];
    accounted: RecordEvent[];
    result: { recordRows: number; unprovenRows: number };
  }[] = [
    {
      name: 'each record Bedrock wrote shows as its row',
      rows: [row(T0), row(T0 + 1000), row(T0 + 2000)],
      accounted: [event(T0), event(T0 + 1000), event(T0 + 2000)],
      result: { recordRows: 3, unprovenRows: 0 },
    },
    {
      name: 'rows come in any order',
      rows: [row(T0 + 2000), row(T0), row(T0 + 1000)],
      accounted: [event(T0), event(T0 + 1000), event(T0 + 2000)],
      result: { recordRows: 3, unprovenRows: 0 },
    },
    {
      name: 'duplicated forged rows count once, the copies as unproven',
      rows: [row(T0), row(T0), row(T0)],
      accounted: [event(T0)],
      result: { recordRows: 1, unprovenRows: 2 },
    },
    {
      name: 'two records at the same time and model answer for two rows',
      rows: [row(T0), row(T0), row(T0)],
      accounted: [event(T0), event(T0)],
      result: { recordRows: 2, unprovenRows: 1 },
    },
    {
      name: 'a row at the same time with another model is unproven',
      rows: [row(T0, 'amazon.titan-text-express-v1')],
      accounted: [event(T0)],
      result: { recordRows: 0, unprovenRows: 1 },
    },
    {
      name: 'a row a millisecond off is unproven',
      rows: [row(T0 + 1)],
      accounted: [event(T0)],
      result: { recordRows: 0, unprovenRows: 1 },
    },
    {
      name: 'a timestamp in another format is unproven',
      rows: [{ timestamp: new Date(T0).toISOString(), modelId: MODEL }],
      accounted: [event(T0)],
      result: { recordRows: 0, unprovenRows: 1 },
    },
    {
      name: 'a row without a timestamp is unproven',
      rows: [{ modelId: MODEL }],
      accounted: [event(T0)],
      result: { recordRows: 0, unprovenRows: 1 },
    },
    {
      name: 'rows without a model id (the permissions line) are neither',
      rows: [{ timestamp: insightsTimestamp(T0) }, row(T0)],
      accounted: [event(T0)],
      result: { recordRows: 1, unprovenRows: 0 },
    },
    {
      name: 'with no record Bedrock wrote every record-like row is unproven',
      rows: [row(T0), row(T0 + 1000)],
      accounted: [],
      result: { recordRows: 0, unprovenRows: 2 },
    },
    {
      name: 'records the query did not return leave nothing unproven',
      rows: [row(T0)],
      accounted: [event(T0), event(T0 + 1000), event(T0 + 2000)],
      result: { recordRows: 1, unprovenRows: 0 },
    },
    { name: 'no rows', rows: [], accounted: [event(T0)], result: { recordRows: 0, unprovenRows: 0 } },
  ];
  for (const c of cases) {
    test(c.name, () => expect(provenRows(c.rows, c.accounted)).toEqual(c.result));
  }

  test('the record matched is the one its event timestamp names, not its own timestamp field', () => {
    const forged = { ...event(T0), record: { modelId: MODEL, timestamp: '2026-11-27T07:15:09Z' } };
    expect(provenRows([{ timestamp: '2026-11-27 07:15:09.000', modelId: MODEL }], [forged])).toEqual({
      recordRows: 0,
      unprovenRows: 1,
    });
  });
});

test.describe('checkInsightsQuery', () => {
  const fields = ['@timestamp', 'modelId'];
  const outcome = (o: Partial<QueryOutcome> & { status: string }): QueryOutcome => ({
    group: GROUP,
    rows: 0,
    recordRows: 0,
    unprovenRows: 0,
    fields: [],
    ...o,
  });
  const cases: { name: string; outcome: QueryOutcome; status: CheckStatus; says: string[] }[] = [
    {
      name: 'complete with rows',
      outcome: outcome({ status: 'Complete', rows: 6, recordRows: 5, fields }),
      status: 'pass',
      says: [`on ${GROUP} returned 6 rows (5 invocation records)`, '@timestamp, modelId'],
    },
    {
      name: 'complete with proven rows beside unproven ones',
      outcome: outcome({ status: 'Complete', rows: 8, recordRows: 5, unprovenRows: 3, fields }),
      status: 'pass',
      says: ['returned 8 rows (5 invocation records)'],
    },
    {
      name: 'complete with rows that are all unproven',
      outcome: outcome({ status: 'Complete', rows: 5, recordRows: 0, unprovenRows: 5, fields }),
      status: 'fail',
      says: [
        `on ${GROUP} returned 5 rows that look like invocation records`,
        'none is a record Bedrock wrote',
      ],
    },
    {
      name: 'complete with the permissions line and unproven rows',
      outcome: outcome({ status: 'Complete', rows: 3, recordRows: 0, unprovenRows: 2, fields }),
      status: 'fail',
      says: ['returned 2 rows that look like invocation records'],
    },
    {
      name: 'complete with only the permissions line',
      outcome: outcome({ status: 'Complete', rows: 1, fields: ['@timestamp'] }),
      status: 'fail',
      says: ['returned 1 row, but none is an invocation record'],
    },
    {
      name: 'complete without rows',
      outcome: outcome({ status: 'Complete' }),
      status: 'fail',
      says: [`on ${GROUP} ran but returned no rows`],
    },
    {
      name: 'failed with an error',
      outcome: outcome({ status: 'Failed', error: `the log group ${GROUP} does not exist` }),
      status: 'fail',
      says: [`failed: the log group ${GROUP} does not exist`],
    },
    {
      name: 'failed without a reason',
      outcome: outcome({ status: 'Failed' }),
      status: 'inconclusive',
      says: ['status Failed'],
    },
    {
      name: 'still running',
      outcome: outcome({ status: 'Running' }),
      status: 'inconclusive',
      says: [`on ${GROUP} did not complete (status Running)`],
    },
    {
      name: 'timed out',
      outcome: outcome({ status: 'Timeout', rows: 3, recordRows: 3, fields }),
      status: 'inconclusive',
      says: ['status Timeout'],
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const verdict = checkInsightsQuery(c.outcome);
      expect(verdict.status, verdict.message).toBe(c.status);
      for (const fragment of c.says) expect(verdict.message).toContain(fragment);
      expect(verdict.evidence).toEqual(c.outcome);
      if (c.status === 'fail') expect(verdict.hint).toBeTruthy();
      else expect(verdict.hint).toBeUndefined();
      if (c.status === 'inconclusive') expect(verdict.actor).toBe('instructor');
    });
  }

  test('rows provenRows finds unproven fail the query', () => {
    const t = Date.UTC(2026, 10, 27, 7, 15, 2);
    const forged = { timestamp: insightsTimestamp(t), modelId: LAB.modelId };
    const verdict = checkInsightsQuery(
      outcome({
        status: 'Complete',
        rows: 3,
        fields,
        ...provenRows([forged, forged, forged], []),
      }),
    );
    expect(verdict.status).toBe('fail');
    expect(verdict.message).toContain('returned 3 rows that look like invocation records');
  });
});

test.describe('checkLogEntries against forged records', () => {
  const whole = COMPLETE_RECORD;
  const bare: RecordParts = { ...whole, inputBody: false, outputBody: false };
  const GROUP = '/aws/bedrock/model-invocations';

  test('complete counted records lose to incomplete contested ones: the worst case is judged', () => {
    const verdict = checkLogEntries({
      group: GROUP,
      records: Array(5).fill(whole),
      contested: Array(5).fill(bare),
      rejected: {},
      min: 5,
    });
    expect(verdict.status).toBe('fail');
    expect(verdict.message).toContain('Only 0 of 5 records');
    expect(verdict.message).toContain('Counted at worst: 5 other records');
  });

  test('contested records as complete as the counted ones change nothing', () => {
    const verdict = checkLogEntries({
      group: GROUP,
      records: Array(5).fill(whole),
      contested: [whole],
      rejected: {},
      min: 5,
    });
    expect(verdict.status).toBe('pass');
  });

  test('while Bedrock’s delivery metric may be late, a shortfall is inconclusive', () => {
    const verdict = checkLogEntries({
      group: GROUP,
      records: [],
      rejected: { x: 5 },
      min: 5,
      metricsDueAtMs: Date.UTC(2026, 11, 1, 12, 5),
    });
    expect(verdict).toMatchObject({ status: 'inconclusive', actor: 'instructor' });
    expect(verdict.message).toContain('grade again after 2026-12-01 12:05 UTC');
  });
});
