import { AwsError } from '../protocols/errors';

/** AWS's errors of the Bedrock runtime, with AWS's texts. */

export const invalidModelIdentifier = () =>
  new AwsError('ValidationException', 'The provided model identifier is invalid.');

export const noModelAccess = () =>
  new AwsError(
    'AccessDeniedException',
    "You don't have access to the model with the specified model ID.",
    403,
  );

export const onDemandNotSupported = (modelId: string) =>
  new AwsError(
    'ValidationException',
    `Invocation of model ID ${modelId} with on-demand throughput isn't supported. Retry your request with the ID or ARN of an inference profile that contains this model.`,
  );

export const legacyNotInUse = () =>
  new AwsError(
    'ResourceNotFoundException',
    'Access denied. This Model is marked by provider as Legacy and you have not been actively using the model in the last 30 days. Please upgrade to an active model on Amazon Bedrock',
    404,
  );

export const endOfLife = () =>
  new AwsError(
    'ResourceNotFoundException',
    'This model version has reached the end of its life. Please refer to the AWS documentation for more details.',
    404,
  );

/** A native body that breaks the model's JSON schema, worded as AWS's schema validator words it. */
export function malformedInput(problems: string[]): AwsError {
  // UNVERIFIED: the wording for several violations at once.
  const detail = problems.length === 1 ? problems[0] : `#: ${problems.length} schema violations found`;
  return new AwsError(
    'ValidationException',
    `Malformed input request: ${detail}, please reformat your input and try again.`,
  );
}

// UNVERIFIED: AWS's text for a body that is not JSON at all.
export const unreadableInput = () =>
  new AwsError('ValidationException', 'Malformed input request, please reformat your input and try again.');

export const conversationMustStartWithUser = () =>
  new AwsError(
    'ValidationException',
    'A conversation must start with a user message. Try again with a conversation that starts with a user message.',
  );

export const conversationMustAlternate = () =>
  new AwsError(
    'ValidationException',
    'A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.',
  );
