import { expect, test } from '@playwright/test';
import {
  checkInvocationCount,
  invocationsInFlight,
  mayStillArrive,
  targetLag,
  type InvocationState,
} from '../../specs/genai-monitoring/lab/checks/invocations';
import { REJECTED } from '../../specs/genai-monitoring/lab/checks/provenance';
import type { CheckStatus } from '../../helpers/grade-contract';

const MODELS = ['us.anthropic.claude-haiku-4-5-20251001-v1:0', 'amazon.nova-micro-v1:0'];
const GROUP = '/aws/bedrock/model-invocations';
const MINUTE = 60_000;
const NOW = Date.UTC(2026, 11, 1, 12, 0, 30);
/** The minute `n` minutes before the one NOW falls in. */
const minute = (n: number) => Date.UTC(2026, 11, 1, 12, 0) - n * MINUTE;
const invocations = (...points: [number, number][]) => ({
  periodMs: MINUTE,
  points: points.map(([ago, value]) => ({ startMs: minute(ago), value })),
});

/** A sandbox account an hour after five prompts, graded now. */
function state(overrides: Partial<InvocationState>): InvocationState {
  return {
    group: GROUP,
    loggingOn: true,
    accounted: 5,
    rejected: {},
    newestUnmatchedMs: undefined,
    invocations: invocations([60, 5]),
    deliveryFailures: 0,
    modelIds: [MODELS[0]!],
    min: 5,
    loggingSinceMs: minute(61),
    lag: targetLag('local'),
    callsJustMade: false,
    firstRead: { atMs: NOW, invocations: 5 },
    nowMs: NOW,
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
    name: '5 records Bedrock wrote pass',
    input: {},
    status: 'pass',
    says: [`5 invocation records Bedrock wrote are in ${GROUP}`, 'Bedrock counted 5 invocations'],
    saysNot: ['do not count'],
  },
  {
    name: 'a pass still reports records that do not count',
    input: { rejected: { [REJECTED.unmatched]: 2 } },
    status: 'pass',
    says: ["2 records with no matching delivery in Bedrock's metrics do not count."],
  },
  {
    name: 'the group judged is the one logging delivers to',
    input: { group: '/aws/bedrock/invocation-logs' },
    status: 'pass',
    says: ['are in /aws/bedrock/invocation-logs'],
  },
  {
    name: '5 forged records and no invocation fail, saying why they do not count',
    input: { accounted: 0, rejected: { [REJECTED.unmatched]: 5 }, invocations: invocations() },
    status: 'fail',
    says: [
      '0 invocation records Bedrock wrote are in',
      "5 records with no matching delivery in Bedrock's metrics do not count.",
    ],
  },
  {
    name: "records copied from another account don't count",
    input: { accounted: 0, rejected: { [REJECTED.account]: 5 }, invocations: invocations() },
    status: 'fail',
    says: ['5 records naming another account do not count.'],
  },
  {
    name: 'fresh unmatched records on AWS wait for Bedrock’s metrics: inconclusive',
    input: {
      accounted: 0,
      rejected: { [REJECTED.unmatched]: 5 },
      newestUnmatchedMs: NOW - MINUTE,
      invocations: invocations(),
      lag: targetLag('aws'),
    },
    status: 'inconclusive',
    says: ["newer than Bedrock's delivery metrics", 'grade again after 2026-12-01 12:04 UTC'],
  },
  {
    name: 'unmatched records older than the metric lag fail',
    input: {
      accounted: 0,
      rejected: { [REJECTED.unmatched]: 5 },
      newestUnmatchedMs: NOW - 10 * MINUTE,
      invocations: invocations(),
      lag: targetLag('aws'),
    },
    status: 'fail',
    says: ['do not count'],
  },
  {
    name: '3 invocations fail at once: no more records can come',
    input: { accounted: 3, invocations: invocations([0, 3]), firstRead: { atMs: NOW, invocations: 3 } },
    status: 'fail',
    says: ['Bedrock counted 3 invocations, and 3 invocation records are in', 'expected at least 5'],
  },
  {
    name: 'logging off: invocations were never logged',
    input: { accounted: 0, loggingOn: false, loggingSinceMs: undefined },
    status: 'fail',
    says: ['model invocation logging is off'],
  },
  {
    name: 'delivery failures point at the role or the group',
    input: { accounted: 2, deliveryFailures: 3 },
    status: 'fail',
    says: ['failed to deliver 3 log records', '2 arrived'],
  },
  {
    name: 'prompts before logging on AWS: decided at once from the minutes before logging began',
    input: {
      accounted: 2,
      invocations: invocations([10, 3], [5, 2]),
      loggingSinceMs: minute(8),
      lag: targetLag('aws'),
      firstRead: { atMs: NOW, invocations: 5 },
    },
    status: 'fail',
    says: [
      'Bedrock counted 5 invocations, but only 2 records of them reached',
      '3 of them were made before logging was switched on (2026-12-01 11:52 UTC)',
    ],
  },
  {
    name: 'prompts before logging on AWS, records of later ones still due: inconclusive',
    input: {
      accounted: 0,
      invocations: invocations([10, 2], [1, 5]),
      loggingSinceMs: minute(8),
      lag: targetLag('aws'),
    },
    status: 'inconclusive',
    says: [
      'Bedrock counted 7 invocations',
      'more may still arrive',
      'grade again after 2026-12-01 12:15 UTC',
    ],
  },
  {
    name: 'prompts before logging on AWS, too few after it to make five: decided at once',
    input: {
      accounted: 0,
      invocations: invocations([10, 3], [1, 2]),
      loggingSinceMs: minute(8),
      lag: targetLag('aws'),
    },
    status: 'fail',
    says: ['3 of them were made before logging was switched on'],
  },
  {
    name: 'prompts before logging on the sandbox, in the same minute: decided once the delivery lag has passed',
    input: {
      accounted: 2,
      invocations: invocations([0, 5]),
      loggingSinceMs: NOW - 5_000,
      firstRead: { atMs: NOW - 11_000, invocations: 5 },
    },
    status: 'fail',
    says: ['only 2 records of them reached', 'Logging was switched on at 2026-12-01 12:00 UTC'],
  },
  {
    name: 'the sandbox within its delivery lag: inconclusive, never a guess',
    input: {
      accounted: 2,
      invocations: invocations([0, 5]),
      loggingSinceMs: NOW - 5_000,
      firstRead: { atMs: NOW - 2_000, invocations: 5 },
    },
    status: 'inconclusive',
    says: ['more may still arrive'],
  },
  {
    name: 'run mode just made its calls: nothing yet is inconclusive within the lag',
    input: {
      accounted: 0,
      invocations: invocations(),
      callsJustMade: true,
      firstRead: { atMs: NOW - 1_000, invocations: 0 },
    },
    status: 'inconclusive',
    says: ['more may still arrive'],
  },
  {
    name: 'a lower minimum from settings',
    input: { accounted: 2, invocations: invocations([60, 2]), min: 2 },
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
    name: 'nothing at all',
    input: { accounted: 0, invocations: invocations(), modelIds: [] },
    status: 'fail',
    says: ['Bedrock counted 0 invocations, and 0 invocation records are in'],
    saysNot: ['models:'],
  },
];

for (const c of cases) {
  test(c.name, () => {
    const verdict = checkInvocationCount(state(c.input));
    expect(verdict.status, verdict.message).toBe(c.status);
    for (const fragment of c.says) expect(verdict.message).toContain(fragment);
    for (const fragment of c.saysNot ?? []) expect(verdict.message).not.toContain(fragment);
    if (verdict.status === 'fail') expect(verdict.hint).toMatch(/\S/);
    if (verdict.status === 'inconclusive') expect(verdict.actor).toBe('instructor');
  });
}

test('each way of failing has its own hint', () => {
  const hints = new Map<string, string>();
  for (const c of cases) {
    const verdict = checkInvocationCount(state(c.input));
    if (verdict.status === 'fail') hints.set(verdict.hint!, c.name);
  }
  // logging off, delivery failures, calls before logging, records that do not count, too few calls
  expect(hints.size).toBe(5);
});

test('prompts before logging tell the learner to send them again', () => {
  const verdict = checkInvocationCount(
    state({ accounted: 2, invocations: invocations([10, 3], [5, 2]), loggingSinceMs: minute(8) }),
  );
  expect(verdict.hint).toBe(
    'Logging records only the calls made while it is on: now that it is on, run the Step 2 script again.',
  );
});

test.describe('invocationsInFlight', () => {
  test('an invocation counted at the first read is due by that read plus the lag', () => {
    const s = state({
      accounted: 0,
      invocations: invocations([0, 5]),
      firstRead: { atMs: NOW - 5_000, invocations: 5 },
    });
    expect(invocationsInFlight(s)).toBe(5);
    expect(invocationsInFlight({ ...s, nowMs: NOW + 6_000 })).toBe(0);
  });

  test('invocations counted after the first read stay in flight', () => {
    const s = state({ invocations: invocations([0, 7]), firstRead: { atMs: NOW - 60_000, invocations: 5 } });
    expect(invocationsInFlight(s)).toBe(2);
  });

  test('minutes that ended before logging began deliver nothing', () => {
    const s = state({
      invocations: invocations([3, 4], [0, 1]),
      loggingSinceMs: minute(1),
      lag: targetLag('aws'),
    });
    expect(invocationsInFlight(s)).toBe(1);
  });

  test('waiting stops once the records that can come are too few', () => {
    expect(mayStillArrive(state({ accounted: 1, invocations: invocations([0, 4]) }))).toBe(false);
    expect(mayStillArrive(state({ accounted: 1, invocations: invocations([0, 5]) }))).toBe(true);
  });
});

test('the evidence is the state judged', () => {
  const input = state({ accounted: 2, deliveryFailures: 3 });
  expect(checkInvocationCount(input).evidence).toEqual(input);
});
