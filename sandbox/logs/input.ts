import { AwsError, constraintText } from '../protocols/errors';
import { logsErrors } from './errors';

const GROUP_ARN = /^arn:(aws[^:]*):logs:([^:]*):(\d{12}):log-group:(.+?)(?::\*)?$/;

/**
 * Checks fields the service model cannot (its lengths, patterns and ranges are checked before any
 * handler runs: protocols/input-constraints.ts); the failed ones make AWS's
 * `N validation errors detected` error.
 */
export function validate(checks: [ok: boolean, value: unknown, field: string, constraint: string][]): void {
  const problems = checks.filter(([ok]) => !ok).map(([, value, field, c]) => constraintText(value, field, c));
  if (problems.length) throw logsErrors.constraint(problems);
}

/**
 * The group a request names by `logGroupName` or `logGroupIdentifier`, whichever it gives: the
 * model requires neither, one must be given (UNVERIFIED: AWS's text when both are left out).
 */
function requireGroupName(name: string | undefined): string {
  if (name === undefined) validate([[false, name, 'logGroupName', 'Member must not be null']]);
  return name!;
}

/** CloudWatch Logs' answer to a nextToken it did not give. */
export const invalidNextToken = () => logsErrors.invalidParameter('The specified nextToken is invalid.');

/**
 * The group a log-group ARN names, when it is one of the caller's: the sandbox's partition
 * (`aws`), the caller's account and Region. Undefined for any other ARN: cross-account
 * observability is not emulated, and the group served must be the one authorization saw.
 */
export function ownGroupOfArn(
  arn: string,
  caller: { accountId: string; region: string },
): string | undefined {
  const m = GROUP_ARN.exec(arn);
  return m && m[1] === 'aws' && m[2] === caller.region && m[3] === caller.accountId ? m[4] : undefined;
}

export const isGroupArn = (identifier: string) => identifier.startsWith('arn:');

/**
 * The group a request names, by `logGroupName` or `logGroupIdentifier` (ARN or bare name), never
 * both; another account's ARN names none.
 */
export function requestedGroup(
  input: { logGroupName?: string; logGroupIdentifier?: string },
  caller: { accountId: string; region: string },
): string {
  const { logGroupName, logGroupIdentifier } = input;
  if (logGroupName !== undefined && logGroupIdentifier !== undefined) {
    // The text of LocalStack's AWS-validated DescribeLogStreams test.
    throw new AwsError(
      'ValidationException',
      'LogGroup name and LogGroup ARN are mutually exclusive parameters.',
    );
  }
  if (logGroupIdentifier === undefined || !isGroupArn(logGroupIdentifier)) {
    return requireGroupName(logGroupName ?? logGroupIdentifier);
  }
  const name = ownGroupOfArn(logGroupIdentifier, caller);
  if (name === undefined) throw logsErrors.groupNotFound();
  return name;
}
