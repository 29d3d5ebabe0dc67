import { expect, test } from '@playwright/test';
import {
  classifyAwsError,
  explainAwsError,
  isAwsError,
  isServiceError,
  type FailureKind,
} from '../../helpers/aws-errors';

/** An error shaped as the SDK v3 throws it. */
function sdkError(name: string, status?: number, extra: Record<string, unknown> = {}) {
  return Object.assign(new Error(`${name} happened`), {
    name,
    ...(status !== undefined ? { $metadata: { httpStatusCode: status } } : {}),
    ...extra,
  });
}

const cases: { name: string; error: unknown; kind: FailureKind }[] = [
  { name: 'ThrottlingException', error: sdkError('ThrottlingException', 400), kind: 'throttled' },
  { name: 'Throttling (Query protocol)', error: sdkError('Throttling', 400), kind: 'throttled' },
  { name: 'TooManyRequestsException', error: sdkError('TooManyRequestsException', 429), kind: 'throttled' },
  { name: 'any 429', error: sdkError('SlowDown', 429), kind: 'throttled' },
  { name: 'AccessDeniedException', error: sdkError('AccessDeniedException', 403), kind: 'denied' },
  { name: 'AccessDenied (IAM)', error: sdkError('AccessDenied', 403), kind: 'denied' },
  { name: 'any other 403', error: sdkError('Forbidden', 403), kind: 'denied' },
  { name: 'Logs Insights query limit', error: sdkError('LimitExceededException', 400), kind: 'throttled' },
  { name: 'a service quota', error: sdkError('ServiceQuotaExceededException', 400), kind: 'throttled' },
  { name: 'RequestTimeout', error: sdkError('RequestTimeout', 400), kind: 'unreachable' },
  { name: 'an aborted request', error: sdkError('AbortError'), kind: 'unreachable' },
  {
    name: 'ECONNREFUSED in cause',
    error: Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), { code: 'ECONNREFUSED' }),
    }),
    kind: 'unreachable',
  },
  {
    name: 'ENOTFOUND as code',
    error: Object.assign(new Error('getaddrinfo ENOTFOUND x'), { code: 'ENOTFOUND' }),
    kind: 'unreachable',
  },
  { name: 'TimeoutError', error: sdkError('TimeoutError'), kind: 'unreachable' },
  { name: 'socket hang up', error: new Error('socket hang up'), kind: 'unreachable' },
  {
    name: 'InternalServerException 500',
    error: sdkError('InternalServerException', 500),
    kind: 'unavailable',
  },
  { name: 'ServiceUnavailable 503', error: sdkError('ServiceUnavailable', 503), kind: 'unavailable' },
  { name: 'ExpiredToken', error: sdkError('ExpiredToken', 403), kind: 'credentials' },
  { name: 'InvalidClientTokenId', error: sdkError('InvalidClientTokenId', 403), kind: 'credentials' },
  { name: 'SignatureDoesNotMatch', error: sdkError('SignatureDoesNotMatch', 403), kind: 'credentials' },
  { name: 'CredentialsProviderError', error: sdkError('CredentialsProviderError'), kind: 'no-credentials' },
  {
    name: 'ResourceNotFoundException 400 is the learner',
    error: sdkError('ResourceNotFoundException', 400),
    kind: 'learner',
  },
  {
    name: 'ValidationException is the learner',
    error: sdkError('ValidationException', 400),
    kind: 'learner',
  },
  { name: 'NoSuchEntity is the learner', error: sdkError('NoSuchEntity', 404), kind: 'learner' },
  { name: 'undefined', error: undefined, kind: 'learner' },
];

test.describe('classifyAwsError', () => {
  for (const c of cases) {
    test(c.name, () => expect(classifyAwsError(c.error)).toBe(c.kind));
  }
});

test.describe('explainAwsError', () => {
  test('a grader-side error says why and keeps the name and message', () => {
    const text = explainAwsError(sdkError('ThrottlingException', 429), 'Reading the dashboard');
    expect(text).toBe(
      'Reading the dashboard: AWS throttled the grader past its retries (ThrottlingException: ThrottlingException happened).',
    );
  });

  test('a learner-side error is reported as a failure of the call', () => {
    const text = explainAwsError(sdkError('ResourceNotFoundException', 404), 'GetDashboard');
    expect(text).toBe('GetDashboard failed: ResourceNotFoundException: ResourceNotFoundException happened');
  });
});

test.describe('isAwsError', () => {
  const matches: { name: string; code: string; is: boolean }[] = [
    { name: 'NoSuchEntity', code: 'NoSuchEntity', is: true },
    { name: 'NoSuchEntityException', code: 'NoSuchEntity', is: true },
    { name: 'ResourceNotFoundException', code: 'ResourceNotFoundException', is: true },
    { name: 'ResourceNotFound', code: 'ResourceNotFoundException', is: false },
    { name: 'NoSuchEntity', code: 'NoSuch', is: false },
    { name: 'AccessDeniedException', code: 'NoSuchEntity', is: false },
  ];
  for (const m of matches) {
    test(`${m.name} is ${m.is ? '' : 'not '}${m.code}`, () => {
      expect(isAwsError(sdkError(m.name, 400), m.code)).toBe(m.is);
    });
  }

  test('a value without a name is no AWS error', () => {
    expect(isAwsError(undefined, 'NoSuchEntity')).toBe(false);
    expect(isAwsError('NoSuchEntity', 'NoSuchEntity')).toBe(false);
  });
});

test.describe('isServiceError', () => {
  test('an error a service answered with is one', () => {
    expect(isServiceError(sdkError('MalformedQueryException', 400))).toBe(true);
  });

  test("the grader's own errors are not: a bug, a client error, nothing", () => {
    expect(isServiceError(new TypeError("Cannot read properties of undefined (reading 'x')"))).toBe(false);
    expect(isServiceError(sdkError('CredentialsProviderError'))).toBe(false);
    expect(isServiceError(undefined)).toBe(false);
  });
});
