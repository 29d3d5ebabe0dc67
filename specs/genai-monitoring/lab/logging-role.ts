import { LAB } from './facts';

/**
 * The role Bedrock assumes to deliver invocation logs, as AWS documents it (docs/aws-behaviours.md):
 * run mode creates it, the reader judges the learner's by it, the tests spoil it part by part.
 */

/** What the role must allow on the stream Bedrock writes to. */
export const DELIVERY_ACTIONS = ['logs:CreateLogStream', 'logs:PutLogEvents'] as const;

/** The log stream Bedrock creates in the logging group and writes every invocation record to. */
export function invocationStreamArn(region: string, accountId: string, logGroup: string): string {
  return `arn:aws:logs:${region}:${accountId}:log-group:${logGroup}:log-stream:${LAB.logStream}`;
}

/** The role's trust policy: Bedrock may assume it, from this account, for this Region's logging. */
export function loggingRoleTrustPolicy(accountId: string, region: string) {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: 'bedrock.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: {
          StringEquals: { 'aws:SourceAccount': accountId },
          ArnLike: { 'aws:SourceArn': `arn:aws:bedrock:${region}:${accountId}:*` },
        },
      },
    ],
  };
}

/** The role's permissions policy: `actions` (the delivery actions) on `resource` (the invocation stream). */
export function deliveryPolicy(resource: string, actions: readonly string[] = DELIVERY_ACTIONS) {
  return {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: [...actions], Resource: resource }],
  };
}
