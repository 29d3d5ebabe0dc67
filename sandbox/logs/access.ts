import { textMember as str, textMembers as strs, type ResourceScope, type ServiceAccess } from '../service';

/**
 * CloudWatch Logs names a group as `log-group:<name>:log-stream:` (with the stream's name for
 * stream operations) in its AccessDenied texts, and `log-group::log-stream:` for account-wide
 * calls such as DescribeLogGroups; policies written `log-group:<name>:*` match both.
 */
export const logsAccess: ServiceAccess = {
  resources(operation: string, input: Record<string, unknown>, { accountId, region }: ResourceScope) {
    const prefix = `arn:aws:logs:${region}:${accountId}:log-group:`;
    const stream = str(input.logStreamName) ?? '';
    const groups = [
      str(input.logGroupName),
      ...strs(input.logGroupNames),
      str(input.logGroupIdentifier),
      ...strs(input.logGroupIdentifiers),
      str(input.resourceArn),
    ].filter((g): g is string => g !== undefined);
    // A query's SOURCE command names its groups inside the query: StartQuery authorizes each group
    // it resolves (queries.ts), as only the parsed query knows them.
    if (groups.length === 0 && operation === 'StartQuery') return [];
    if (groups.length === 0) return [`${prefix}:log-stream:`];
    return groups.map((g) =>
      g.startsWith('arn:')
        ? `${g.replace(/:\*$/, '')}:log-stream:${stream}`
        : `${prefix}${g}:log-stream:${stream}`,
    );
  },
};
