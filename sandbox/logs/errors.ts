import { AwsError, validationErrors } from '../protocols/errors';

/** CloudWatch Logs' errors, with AWS's texts. */
export const logsErrors = {
  groupNotFound: () => new AwsError('ResourceNotFoundException', 'The specified log group does not exist.'),
  streamNotFound: () => new AwsError('ResourceNotFoundException', 'The specified log stream does not exist.'),
  groupExists: () => new AwsError('ResourceAlreadyExistsException', 'The specified log group already exists'),
  streamExists: () =>
    new AwsError('ResourceAlreadyExistsException', 'The specified log stream already exists'),
  invalidParameter: (message: string) => new AwsError('InvalidParameterException', message),
  /** `1 validation error detected: Value 'x' at 'field' failed to satisfy constraint: ...` */
  constraint: (problems: string[]) => validationErrors('InvalidParameterException', problems),
  /** The text names the request, as AWS's does (LocalStack's AWS-validated snapshots). */
  queryGroupNotFound: (group: string, accountId: string, requestId: string) =>
    new AwsError(
      'ResourceNotFoundException',
      `Log group '${group}' does not exist for account ID '${accountId}' (Service: AWSLogs; Status Code: 400; ` +
        `Error Code: ResourceNotFoundException; Request ID: ${requestId}; Proxy: null)`,
    ),
  queryNotFound: () => new AwsError('ResourceNotFoundException', 'Query does not exist.'),
  malformedQuery: (message: string, startCharOffset: number, endCharOffset: number) =>
    new AwsError('MalformedQueryException', message, 400, {
      queryCompileError: { location: { startCharOffset, endCharOffset }, message },
    }),
  queryConcurrency: (limit: number) =>
    new AwsError('LimitExceededException', `Account maximum query concurrency limit of [${limit}] reached.`),
};
