import { AwsError } from '../protocols/errors';

/** AWS's errors of the Bedrock control plane, with AWS's texts. */

export const permissionsNotValid = (logGroupName: string, roleArn: string) =>
  new AwsError(
    'ValidationException',
    `Failed to validate permissions for log group: ${logGroupName}, with role: ${roleArn}. Verify the IAM role permissions are correct.`,
  );

// UNVERIFIED: AWS's text for a logging configuration without any destination.
export const noDestination = () =>
  new AwsError(
    'ValidationException',
    'At least one logging destination (cloudWatchConfig or s3Config) must be specified.',
  );

// UNVERIFIED: AWS's text for an unknown foundation model.
export const modelNotFound = (identifier: string) =>
  new AwsError('ResourceNotFoundException', `The model ${identifier} does not exist.`, 404);
