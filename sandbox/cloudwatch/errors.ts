import { AwsError } from '../protocols/errors';

/**
 * CloudWatch's errors with AWS's texts. The codes are the Query-protocol codes; the JSON
 * protocol sends them in `x-amzn-query-error`, from which the SDK picks its error class
 * (`InvalidParameterInput` becomes `DashboardInvalidInputError`).
 */

export function invalidValue(message: string): AwsError {
  return new AwsError('InvalidParameterValue', message);
}

/** `The value AWS/Bedrock for parameter Namespace is invalid.` */
export function invalidParameter(value: unknown, parameter: string): AwsError {
  return invalidValue(`The value ${String(value)} for parameter ${parameter} is invalid.`);
}

export function missingParameter(parameter: string): AwsError {
  return new AwsError('MissingParameter', `The parameter ${parameter} is required.`);
}

export function invalidCombination(message: string): AwsError {
  return new AwsError('InvalidParameterCombination', message);
}

// UNVERIFIED text.
export function dashboardNotFound(name: string): AwsError {
  return new AwsError('ResourceNotFound', `Dashboard ${name} does not exist`, 404);
}

export interface DashboardMessage {
  dataPath: string;
  message: string;
}

/**
 * AWS prints the schema errors as indented JSON after the count, and always says "errors"
 * (seen in CloudFormation output: "there are 2 validation errors:\n[\n  {\n    \"dataPath\"...").
 */
export function dashboardInvalid(messages: DashboardMessage[]): AwsError {
  return new AwsError(
    'InvalidParameterInput',
    `The dashboard body is invalid, there are ${messages.length} validation errors:\n${JSON.stringify(messages, null, 2)}`,
    400,
    {
      dashboardValidationMessages: messages.map((m) => ({ DataPath: m.dataPath, Message: m.message })),
    },
  );
}
