import { expect, test } from '@playwright/test';
import {
  checkInsightsQuery,
  checkLogEntries,
  recordParts,
  type QueryOutcome,
  type RecordParts,
} from '../../helpers/checks/logs';
import type { CheckStatus } from '../../helpers/verdict';

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

const ALL: RecordParts = {
  modelId: true,
  inputTokenCount: true,
  outputTokenCount: true,
  inputBody: true,
  outputBody: true,
};
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
      says: ['No invocation log records'],
      missing: {},
    },
    {
      name: 'five complete records',
      records: Array<RecordParts>(5).fill(ALL),
      min: 5,
      status: 'pass',
      says: ['5 of 5 records carry'],
      missing: {},
    },
    {
      name: 'five complete records and the permissions line',
      records: [NONE, ...Array<RecordParts>(5).fill(ALL)],
      min: 5,
      status: 'pass',
      says: ['5 of 6 records carry'],
    },
    {
      name: 'one short of the minimum',
      records: [...Array<RecordParts>(4).fill(ALL), NO_BODIES],
      min: 5,
      status: 'fail',
      says: [
        'Only 4 of 5 records are complete (expected 5)',
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
      name: 'a minimum of one',
      records: [ALL, NO_BODIES, NO_BODIES],
      min: 1,
      status: 'pass',
      says: ['1 of 3 records carry'],
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const verdict = checkLogEntries(c.records, c.min);
      expect(verdict.status, verdict.message).toBe(c.status);
      for (const fragment of c.says) expect(verdict.message).toContain(fragment);
      expect(verdict.evidence).toMatchObject({ records: c.records.length });
      if (c.missing) expect(verdict.evidence).toMatchObject({ missing: c.missing });
    });
  }
});

test.describe('checkInsightsQuery', () => {
  const fields = ['@timestamp', 'modelId'];
  const cases: { name: string; outcome: QueryOutcome; status: CheckStatus; says: string[] }[] = [
    {
      name: 'complete with rows',
      outcome: { status: 'Complete', rows: 6, recordRows: 5, fields },
      status: 'pass',
      says: ['returned 6 rows (5 invocation records)', '@timestamp, modelId'],
    },
    {
      name: 'complete with only the permissions line',
      outcome: { status: 'Complete', rows: 1, recordRows: 0, fields: ['@timestamp'] },
      status: 'fail',
      says: ['returned 1 row, but none is an invocation record'],
    },
    {
      name: 'complete without rows',
      outcome: { status: 'Complete', rows: 0, recordRows: 0, fields: [] },
      status: 'fail',
      says: ['returned no rows'],
    },
    {
      name: 'failed with an error',
      outcome: {
        status: 'Failed',
        rows: 0,
        recordRows: 0,
        fields: [],
        error: 'the log group does not exist',
      },
      status: 'fail',
      says: ['failed: the log group does not exist'],
    },
    {
      name: 'failed without a reason',
      outcome: { status: 'Failed', rows: 0, recordRows: 0, fields: [] },
      status: 'inconclusive',
      says: ['status Failed'],
    },
    {
      name: 'still running',
      outcome: { status: 'Running', rows: 0, recordRows: 0, fields: [] },
      status: 'inconclusive',
      says: ['did not complete (status Running)'],
    },
    {
      name: 'timed out',
      outcome: { status: 'Timeout', rows: 3, recordRows: 3, fields },
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
    });
  }
});
