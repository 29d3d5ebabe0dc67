import type { ServiceDefinition } from '../service';

/**
 * What an API call asks IAM for: the action and the resource ARNs, derived cheaply from the input
 * for the operations the lab uses; everything else is judged on `*`, as AWS does for actions
 * without resource-level permissions.
 */

/** Operations authorized under another action's name. */
const ACTION_OF: Record<string, string> = {
  'bedrock-runtime:Converse': 'bedrock:InvokeModel',
  'bedrock-runtime:ConverseStream': 'bedrock:InvokeModelWithResponseStream',
};

export function actionFor(service: ServiceDefinition, operation: string): string {
  return ACTION_OF[`${service.name}:${operation}`] ?? `${service.actionPrefix}:${operation}`;
}

const given = (v: unknown) => Array.isArray(v) && v.length > 0;

/**
 * Permission-only actions an operation also needs, given its input, each judged on the same
 * resources: passing session tags needs `sts:TagSession`, creating a role with tags `iam:TagRole`.
 */
export function dependentActions(
  service: ServiceDefinition,
  operation: string,
  input: Record<string, unknown>,
): string[] {
  const key = `${service.actionPrefix}:${operation}`;
  if (key === 'sts:AssumeRole' && (given(input.Tags) || given(input.TransitiveTagKeys))) {
    return ['sts:TagSession'];
  }
  if (key === 'iam:CreateRole' && given(input.Tags)) return ['iam:TagRole'];
  return [];
}

export interface ResourceScope {
  accountId: string;
  region: string;
  /** `arn:aws:iam::<acct>:role/<path><name>` for a role name, if the role exists. */
  roleArn: (name: string) => string | undefined;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
const strs = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

export function resourcesFor(
  service: ServiceDefinition,
  operation: string,
  input: Record<string, unknown>,
  scope: ResourceScope,
): string[] {
  switch (service.actionPrefix) {
    case 'logs':
      return logsResources(operation, input, scope);
    case 'cloudwatch':
      return cloudwatchResources(input, scope);
    case 'bedrock':
      return bedrockResources(input, scope);
    case 'iam':
      return iamResources(operation, input, scope);
    case 'sts':
      return stsResources(operation, input, scope);
    default:
      return ['*'];
  }
}

/**
 * CloudWatch Logs names a group as `log-group:<name>:log-stream:` (with the stream's name for
 * stream operations) in its AccessDenied texts, and `log-group::log-stream:` for account-wide
 * calls such as DescribeLogGroups; policies written `log-group:<name>:*` match both.
 */
function logsResources(
  operation: string,
  input: Record<string, unknown>,
  { accountId, region }: ResourceScope,
): string[] {
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
  // it resolves (sandbox/logs/queries.ts), as only the parsed query knows them.
  if (groups.length === 0 && operation === 'StartQuery') return [];
  if (groups.length === 0) return [`${prefix}:log-stream:`];
  return groups.map((g) =>
    g.startsWith('arn:')
      ? `${g.replace(/:\*$/, '')}:log-stream:${stream}`
      : `${prefix}${g}:log-stream:${stream}`,
  );
}

function cloudwatchResources(input: Record<string, unknown>, { accountId, region }: ResourceScope): string[] {
  const dashboards = [str(input.DashboardName), ...strs(input.DashboardNames)].filter(
    (d): d is string => d !== undefined,
  );
  if (dashboards.length) return dashboards.map((d) => `arn:aws:cloudwatch::${accountId}:dashboard/${d}`);
  const alarms = [str(input.AlarmName), ...strs(input.AlarmNames)].filter(
    (a): a is string => a !== undefined,
  );
  if (alarms.length) return alarms.map((a) => `arn:aws:cloudwatch:${region}:${accountId}:alarm:${a}`);
  return ['*'];
}

/** Cross-region inference profile ids start with a geography: `us.anthropic...`. */
const PROFILE = /^(us|eu|apac|us-gov|ca|jp|au|global)\./;

function bedrockResources(input: Record<string, unknown>, { accountId, region }: ResourceScope): string[] {
  const model = str(input.modelId) ?? str(input.modelIdentifier);
  if (!model) return ['*'];
  if (model.startsWith('arn:')) return [model];
  if (PROFILE.test(model)) return [`arn:aws:bedrock:${region}:${accountId}:inference-profile/${model}`];
  return [`arn:aws:bedrock:${region}::foundation-model/${model}`];
}

function iamResources(operation: string, input: Record<string, unknown>, scope: ResourceScope): string[] {
  const { accountId } = scope;
  const path = str(input.Path) ?? '/';
  if (operation === 'ListRoles') return [`arn:aws:iam::${accountId}:role${str(input.PathPrefix) ?? '/'}`];
  if (operation === 'CreatePolicy') {
    return [`arn:aws:iam::${accountId}:policy${path}${str(input.PolicyName) ?? ''}`];
  }
  if (operation === 'SimulatePrincipalPolicy') return [str(input.PolicySourceArn) ?? '*'];
  const role = str(input.RoleName);
  if (role) {
    return [
      scope.roleArn(role) ??
        `arn:aws:iam::${accountId}:role${operation === 'CreateRole' ? path : '/'}${role}`,
    ];
  }
  const policy = str(input.PolicyArn);
  return [policy ?? '*'];
}

function stsResources(
  operation: string,
  input: Record<string, unknown>,
  { accountId }: ResourceScope,
): string[] {
  if (operation === 'AssumeRole') return [str(input.RoleArn) ?? '*'];
  if (operation === 'GetFederationToken') {
    return [`arn:aws:sts::${accountId}:federated-user/${str(input.Name) ?? ''}`];
  }
  return ['*'];
}

/**
 * Condition keys the request itself sets, for the caller's policies to test alongside its action
 * and the dependent ones: the tags it passes (`aws:RequestTag/<key>`, `aws:TagKeys`), the
 * transitive ones (`sts:TransitiveTagKeys`), a role's permissions boundary (`iam:PermissionsBoundary`).
 */
export function requestContext(
  service: ServiceDefinition,
  operation: string,
  input: Record<string, unknown>,
): Record<string, string | string[]> {
  const key = `${service.actionPrefix}:${operation}`;
  const context: Record<string, string | string[]> = {};
  const tags = Array.isArray(input.Tags) ? (input.Tags as { Key?: unknown; Value?: unknown }[]) : [];
  if ((key === 'sts:AssumeRole' || key === 'iam:CreateRole') && tags.length) {
    for (const { Key, Value } of tags) context[`aws:RequestTag/${String(Key)}`] = String(Value);
    context['aws:TagKeys'] = tags.map(({ Key }) => String(Key));
  }
  if (key === 'sts:AssumeRole' && Array.isArray(input.TransitiveTagKeys)) {
    context['sts:TransitiveTagKeys'] = input.TransitiveTagKeys.map(String);
  }
  const boundary = str(input.PermissionsBoundary);
  if ((key === 'iam:CreateRole' || key === 'iam:PutRolePermissionsBoundary') && boundary !== undefined) {
    context['iam:PermissionsBoundary'] = boundary;
  }
  return context;
}
