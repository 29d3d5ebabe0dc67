import { AwsError, validationErrors } from '../protocols/errors';

/** IAM's errors with AWS's own codes, statuses and texts. */

export const noSuchRole = (name: string) =>
  new AwsError('NoSuchEntity', `The role with name ${name} cannot be found.`, 404);

export const noSuchUser = (name: string) =>
  new AwsError('NoSuchEntity', `The user with name ${name} cannot be found.`, 404);

export const noSuchRolePolicy = (policyName: string) =>
  new AwsError('NoSuchEntity', `The role policy with name ${policyName} cannot be found.`, 404);

export const notAttachable = (arn: string) =>
  new AwsError('NoSuchEntity', `Policy ${arn} does not exist or is not attachable.`, 404);

export const noSuchPolicy = (arn: string) =>
  new AwsError('NoSuchEntity', `Policy ${arn} was not found.`, 404);

// UNVERIFIED: text taken from other emulators, not from AWS itself.
export const noSuchPolicyVersion = (arn: string, versionId: string) =>
  new AwsError(
    'NoSuchEntity',
    `Policy ${arn} version ${versionId} does not exist or is not attachable.`,
    404,
  );

export const roleExists = (name: string) =>
  new AwsError('EntityAlreadyExists', `Role with name ${name} already exists.`, 409);

export const policyExists = (name: string) =>
  new AwsError(
    'EntityAlreadyExists',
    `A policy called ${name} already exists. Duplicate names are not allowed.`,
    409,
  );

export const deleteConflict = (what: 'inline' | 'attached') =>
  new AwsError(
    'DeleteConflict',
    what === 'inline'
      ? 'Cannot delete entity, must delete policies first.'
      : 'Cannot delete entity, must detach all policies first.',
    409,
  );

export const malformed = (text: string) => new AwsError('MalformedPolicyDocument', text, 400);

// UNVERIFIED text, as other emulators word it: a permissions boundary that names no policy.
export const noSuchBoundary = (arn: string) =>
  new AwsError('NoSuchEntity', `Scope ARN: ${arn} does not exist or is not attachable.`, 404);

// UNVERIFIED code and text: a permissions boundary that is no policy ARN at all.
export const invalidBoundary = (arn: string) =>
  new AwsError('InvalidInput', `Value (${arn}) for parameter PermissionsBoundary is invalid.`, 400);

// UNVERIFIED text: DeletePolicy of a policy still attached or used as a permissions boundary.
export const policyInUse = () =>
  new AwsError('DeleteConflict', 'Cannot delete a policy attached to entities.', 409);

/** STS words duplicate session tag keys so (recorded); UNVERIFIED that IAM's role tags do too. */
export const duplicateTagKeys = (code: 'InvalidInput' | 'InvalidParameterValue') =>
  new AwsError(code, 'Duplicate tag keys found. Please note that Tag keys are case insensitive.', 400);

/** As LocalStack's AWS-validated snapshot records it (two spaces included). */
export const invalidArn = () => new AwsError('ValidationError', 'Invalid ARN:  Could not be parsed!', 400);

/** `N validation error(s) detected: ...` with the Query protocol's code `ValidationError`. */
export const validationError = (problems: string[]) => validationErrors('ValidationError', problems);
