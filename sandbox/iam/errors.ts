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

/** As LocalStack's AWS-validated snapshot records it (two spaces included). */
export const invalidArn = () => new AwsError('ValidationError', 'Invalid ARN:  Could not be parsed!', 400);

/** `N validation error(s) detected: ...` with the Query protocol's code `ValidationError`. */
export const validationError = (problems: string[]) => validationErrors('ValidationError', problems);
