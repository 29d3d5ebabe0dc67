import { expect, test } from '@playwright/test';
import { checkInvocationCount, type InvocationState } from '../../helpers/checks/invocations';
import type { CheckStatus } from '../../helpers/verdict';

const MODELS = ['us.anthropic.claude-haiku-4-5-20251001-v1:0', 'amazon.nova-micro-v1:0'];

function state(overrides: Partial<InvocationState>): InvocationState {
  return {
    records: 5,
    metricInvocations: 5,
    deliveryFailures: 0,
    modelIds: [MODELS[0]!],
    min: 5,
    waitExhausted: false,
    loggingGroup: '/aws/bedrock/model-invocations',
    newestRecordAgeMs: 3_600_000,
    metricLagMs: 0,
    invocationsSettledMs: 0,
    ...overrides,
  };
}

const cases: {
  name: string;
  input: Partial<InvocationState>;
  status: CheckStatus;
  says: string[];
  saysNot?: string[];
}[] = [
  {
    name: '5 records and 5 counted pass',
    input: {},
    status: 'pass',
    says: ['5 invocation records', 'Bedrock counted 5 invocations'],
  },
  {
    name: 'more than the minimum passes',
    input: { records: 9, metricInvocations: 7 },
    status: 'pass',
    says: ['9 invocation records', 'counted 7'],
  },
  {
    name: '5 forged records and 0 counted fail',
    input: { metricInvocations: 0 },
    status: 'fail',
    says: ['counted only 0', 'records not written by Bedrock do not count'],
  },
  {
    name: '3 records fail',
    input: { records: 3, metricInvocations: 3 },
    status: 'fail',
    says: ['Found 3 invocation records', 'expected at least 5'],
  },
  {
    name: 'records lost in delivery fail',
    input: { records: 2, deliveryFailures: 3 },
    status: 'fail',
    says: ['counted 5', 'failed to deliver 3', 'only 2 arrived'],
  },
  {
    name: 'invocations counted long ago whose records never came fail: made before logging was on',
    input: { records: 0, invocationsSettledMs: 3_600_000 },
    status: 'fail',
    says: [
      'counted 5 invocations',
      'more than 15 minutes ago',
      'only 0 records',
      'before logging was enabled',
    ],
  },
  {
    name: 'records still on their way when the wait ran out are inconclusive',
    input: { records: 2, waitExhausted: true, invocationsSettledMs: 10 * 60_000 },
    status: 'inconclusive',
    says: ['only 2 records arrived', 'ingestion wait'],
  },
  {
    name: 'fresh records with metrics that may still be on their way (AWS) are inconclusive',
    input: { records: 5, metricInvocations: 0, newestRecordAgeMs: 60_000, metricLagMs: 300_000 },
    status: 'inconclusive',
    says: ['Bedrock has counted only 0 invocations so far', 'grade again'],
  },
  {
    name: 'records older than the metric lag that Bedrock never counted fail',
    input: { records: 5, metricInvocations: 0, newestRecordAgeMs: 600_000, metricLagMs: 300_000 },
    status: 'fail',
    says: ['records not written by Bedrock do not count'],
  },
  {
    name: 'invocations logged to another group fail without waiting',
    input: { records: 0, loggingGroup: '/lab/other' },
    status: 'fail',
    says: ['Bedrock counted 5 invocations', 'delivers to /lab/other', 'only 0 records'],
  },
  {
    name: 'invocations with logging switched off fail',
    input: { records: 0, loggingGroup: undefined, waitExhausted: true },
    status: 'fail',
    says: ['delivers nowhere'],
  },
  {
    name: 'metric ahead of records without waiting fails',
    input: { records: 2 },
    status: 'fail',
    says: ['Found 2 invocation records', 'expected at least 5'],
  },
  {
    name: 'delivery failures matter only when Bedrock counted enough',
    input: { records: 1, metricInvocations: 1, deliveryFailures: 4, waitExhausted: true },
    status: 'fail',
    says: ['Found 1 invocation record '],
    saysNot: ['failed to deliver'],
  },
  {
    name: 'a lower minimum from settings',
    input: { records: 2, metricInvocations: 2, min: 2 },
    status: 'pass',
    says: ['2 invocation records'],
  },
  {
    name: 'model ids are listed on a pass',
    input: { modelIds: MODELS },
    status: 'pass',
    says: [`(models: ${MODELS.join(', ')})`],
  },
  {
    name: 'model ids are listed on a shortfall',
    input: { records: 1, metricInvocations: 1, modelIds: MODELS },
    status: 'fail',
    says: [`(models: ${MODELS.join(', ')})`],
  },
  {
    name: 'no model list without models',
    input: { records: 0, metricInvocations: 0, modelIds: [] },
    status: 'fail',
    says: ['Found 0 invocation records; expected at least 5.'],
    saysNot: ['models:'],
  },
];

for (const c of cases) {
  test(c.name, () => {
    const verdict = checkInvocationCount(state(c.input));
    expect(verdict.status, verdict.message).toBe(c.status);
    for (const fragment of c.says) expect(verdict.message).toContain(fragment);
    for (const fragment of c.saysNot ?? []) expect(verdict.message).not.toContain(fragment);
  });
}

test('the evidence is the state judged', () => {
  const input = state({ records: 2, deliveryFailures: 3 });
  expect(checkInvocationCount(input).evidence).toEqual(input);
});
