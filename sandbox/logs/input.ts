import { constraintText, lengthConstraint, rangeConstraint } from '../protocols/errors';
import { logsErrors } from './errors';

const GROUP_NAME = /^[.\-_/#A-Za-z0-9]+$/;
const GROUP_ARN = /^arn:aws[^:]*:logs:([^:]*):(\d{12}):log-group:(.+?)(?::\*)?$/;

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

/** `arn:...:log-group:NAME[:*]` as its Region, account and group name; undefined for a bare name. */
export function parseGroupArn(
  identifier: string,
): { region: string; accountId: string; name: string } | undefined {
  const m = GROUP_ARN.exec(identifier);
  return m ? { region: m[1]!, accountId: m[2]!, name: m[3]! } : undefined;
}

/**
 * The group a `logGroupIdentifier` (ARN or bare name) names. An ARN of another account or Region
 * names no group of the caller's: cross-account observability is not emulated, and the group
 * served must be the one authorization saw.
 */
export function groupFromIdentifier(
  identifier: string | undefined,
  caller: { accountId: string; region: string },
): string | undefined {
  if (identifier === undefined) return undefined;
  const arn = parseGroupArn(identifier);
  if (arn && (arn.accountId !== caller.accountId || arn.region !== caller.region)) {
    throw logsErrors.groupNotFound();
  }
  return arn?.name ?? identifier;
}
