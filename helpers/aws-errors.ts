import type { Actor } from './grade-contract';

/**
 * Why an AWS call failed, from the grader's point of view. Everything but `learner` means
 * the grader could not tell, so a check that meets it is inconclusive, never failed.
 */
export type FailureKind =
  'throttled' | 'denied' | 'unreachable' | 'unavailable' | 'no-credentials' | 'credentials' | 'learner';

const THROTTLES = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  // quotas the grader's own calls exhaust, e.g. Logs Insights' concurrent queries in a class run
  'LimitExceededException',
  'ServiceQuotaExceededException',
]);
const DENIALS = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'AuthorizationError',
]);
const CREDENTIALS = new Set([
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
  'InvalidSignatureException',
]);
const NETWORK = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'ECONNRESET',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'AbortError',
]);

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  cause?: unknown;
}

export function classifyAwsError(error: unknown): FailureKind {
  const e = (error ?? {}) as SdkError;
  const name = e.name ?? '';
  const status = e.$metadata?.httpStatusCode;
  if (THROTTLES.has(name) || status === 429) return 'throttled';
  if (name === 'CredentialsProviderError') return 'no-credentials';
  if (DENIALS.has(name)) return 'denied';
  if (CREDENTIALS.has(name)) return 'credentials';
  if (status === 403) return 'denied'; // a refusal by any other name is still the grader's permissions
  if (
    NETWORK.has(name) ||
    NETWORK.has(e.code ?? '') ||
    NETWORK.has((e.cause as SdkError | undefined)?.code ?? '')
  ) {
    return 'unreachable';
  }
  if (status !== undefined && status >= 500) return 'unavailable';
  if (status === undefined && /fetch failed|socket hang up|connect/i.test(e.message ?? ''))
    return 'unreachable';
  return 'learner';
}

const EXPLANATIONS: Record<Exclude<FailureKind, 'learner'>, string> = {
  throttled: 'AWS throttled the grader past its retries',
  denied: "the grader's own credentials may not make this call",
  unreachable: 'the endpoint could not be reached',
  unavailable: 'the service answered with a server error',
  'no-credentials':
    'the grader found no AWS credentials (set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)',
  credentials: "the grader's credentials were refused",
};

/** `Name: message` of an error, as reports quote it. */
export function describeError(error: unknown): string {
  const e = (error ?? {}) as SdkError;
  return `${e.name ?? 'Error'}: ${e.message ?? String(error)}`;
}

/** A sentence for an inconclusive verdict. No secrets: only the error's name and message. */
export function explainAwsError(error: unknown, call: string): string {
  const kind = classifyAwsError(error);
  const detail = describeError(error);
  if (kind === 'learner') return `${call} failed: ${detail}`;
  const action = kind === 'denied' ? deniedAction(error) : undefined;
  return `${call}: ${action ? `access denied for ${action}` : EXPLANATIONS[kind]} (${detail}).`;
}

/** The action a denial names (`... not authorized to perform: logs:FilterLogEvents on ...`). */
function deniedAction(error: unknown): string | undefined {
  return /perform: ([\w-]+:[\w*]+)/.exec((error as SdkError | undefined)?.message ?? '')?.[1];
}

/**
 * Who must act on a call that failed. A denial comes from the account the grader reads: an
 * explicit Deny there, or any denial of the grader role a roster's learner set up in their own
 * account, is the learner's to lift. The rest is the grader's own trouble.
 */
export function actorForError(error: unknown, graderRoleInLearnerAccount: boolean): Actor {
  if (classifyAwsError(error) !== 'denied') return 'instructor';
  const explicit = /explicit deny/i.test((error as SdkError | undefined)?.message ?? '');
  return explicit || graderRoleInLearnerAccount ? 'learner' : 'instructor';
}

function errorName(error: unknown): string | undefined {
  return (error as SdkError | undefined)?.name;
}

/**
 * Is this the AWS error `code`? The SDK names some errors after their code with `Exception`
 * added (IAM's NoSuchEntity arrives as NoSuchEntityException), so both spellings match.
 */
export function isAwsError(error: unknown, code: string): boolean {
  const name = errorName(error);
  return name === code || name === `${code}Exception`;
}

/** Did an AWS service answer with this error (an HTTP status), rather than the client or the grader's own code? */
export function isServiceError(error: unknown): boolean {
  return typeof (error as SdkError | undefined)?.$metadata?.httpStatusCode === 'number';
}
