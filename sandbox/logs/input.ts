import { constraintText, lengthConstraint, rangeConstraint } from '../protocols/errors';
import { logsErrors } from './errors';

const GROUP_NAME = /^[.\-_/#A-Za-z0-9]+$/;
const GROUP_ARN = /^arn:aws[^:]*:logs:[^:]*:(\d{12}):log-group:(.+?)(?::\*)?$/;

/** Checks fields; the failed ones make AWS's `N validation errors detected` error. */
export function validate(checks: [ok: boolean, value: unknown, field: string, constraint: string][]): void {
  const problems = checks.filter(([ok]) => !ok).map(([, value, field, c]) => constraintText(value, field, c));
  if (problems.length) throw logsErrors.constraint(problems);
}

export function validateGroupName(name: string | undefined, field = 'logGroupName'): string {
  if (name === undefined) validate([[false, name, field, 'Member must not be null']]);
  const length = lengthConstraint(name!, 1, 512);
  validate([
    [!length, name, field, length ?? ''],
    [
      GROUP_NAME.test(name!),
      name,
      field,
      'Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+',
    ],
  ]);
  return name!;
}

export function validateLimit(limit: number | undefined, max: number): void {
  const broken = limit === undefined ? undefined : rangeConstraint(limit, 1, max);
  if (broken) validate([[false, limit, 'limit', broken]]);
}

/** Opaque paging tokens: an offset, base64-encoded so callers don't depend on their form. */
export const pageToken = {
  encode: (offset: number) => Buffer.from(`offset:${offset}`).toString('base64'),
  decode: (token: string | undefined): number => {
    if (!token) return 0;
    const m = /^offset:(\d+)$/.exec(Buffer.from(token, 'base64').toString('utf8'));
    if (!m) throw logsErrors.invalidParameter('The specified nextToken is invalid.');
    return Number(m[1]);
  },
};

/** `arn:...:log-group:NAME[:*]` as its account and group name; undefined for a bare name. */
export function parseGroupArn(identifier: string): { accountId: string; name: string } | undefined {
  const m = GROUP_ARN.exec(identifier);
  return m ? { accountId: m[1]!, name: m[2]! } : undefined;
}

/**
 * The group a `logGroupIdentifier` (ARN or bare name) names. Sandbox: another account's ARN
 * names the caller's group of that name (AWS would need cross-account observability).
 */
export function groupFromIdentifier(identifier: string | undefined): string | undefined {
  return identifier === undefined ? undefined : (parseGroupArn(identifier)?.name ?? identifier);
}
