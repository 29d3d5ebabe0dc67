import { textMember as str, type ResourceScope, type ServiceAccess } from '../service';

const given = (v: unknown) => Array.isArray(v) && v.length > 0;

/** The tags a request passes, as `aws:RequestTag/<key>` and `aws:TagKeys`. */
export function requestTags(input: Record<string, unknown>): Record<string, string | string[]> {
  const tags = Array.isArray(input.Tags) ? (input.Tags as { Key?: unknown; Value?: unknown }[]) : [];
  if (!tags.length) return {};
  const context: Record<string, string | string[]> = {};
  for (const { Key, Value } of tags) context[`aws:RequestTag/${String(Key)}`] = String(Value);
  context['aws:TagKeys'] = tags.map(({ Key }) => String(Key));
  return context;
}

/**
 * Roles by their ARN (with the path a new role is created under), policies by theirs; creating a
 * role with tags also needs `iam:TagRole`, and the request's tags and boundary are condition keys.
 */
export const iamAccess: ServiceAccess = {
  resources(operation: string, input: Record<string, unknown>, scope: ResourceScope) {
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
    return [str(input.PolicyArn) ?? '*'];
  },
  dependentActions: (operation, input) =>
    operation === 'CreateRole' && given(input.Tags) ? ['iam:TagRole'] : [],
  requestContext(operation, input) {
    const context = operation === 'CreateRole' ? requestTags(input) : {};
    const boundary = str(input.PermissionsBoundary);
    if (
      (operation === 'CreateRole' || operation === 'PutRolePermissionsBoundary') &&
      boundary !== undefined
    ) {
      context['iam:PermissionsBoundary'] = boundary;
    }
    return context;
  },
};
