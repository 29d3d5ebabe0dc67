import { requestTags } from '../iam/access';
import { textMember as str, type ResourceScope, type ServiceAccess } from '../service';

const given = (v: unknown) => Array.isArray(v) && v.length > 0;

/** AssumeRole touches the role; passing session tags also needs `sts:TagSession`. */
export const stsAccess: ServiceAccess = {
  resources(operation: string, input: Record<string, unknown>, { accountId }: ResourceScope) {
    if (operation === 'AssumeRole') return [str(input.RoleArn) ?? '*'];
    if (operation === 'GetFederationToken') {
      return [`arn:aws:sts::${accountId}:federated-user/${str(input.Name) ?? ''}`];
    }
    return ['*'];
  },
  dependentActions: (operation, input) =>
    operation === 'AssumeRole' && (given(input.Tags) || given(input.TransitiveTagKeys))
      ? ['sts:TagSession']
      : [],
  requestContext(operation, input) {
    if (operation !== 'AssumeRole') return {};
    const context = requestTags(input);
    if (Array.isArray(input.TransitiveTagKeys))
      context['sts:TransitiveTagKeys'] = input.TransitiveTagKeys.map(String);
    return context;
  },
};
