import type { CloudWatchConfig } from '@aws-sdk/client-bedrock';
import { parseRoleArn } from '../iam/backend';
import type { World } from '../world';

/** The stream Bedrock writes every invocation record into. */
export const INVOCATION_LOG_STREAM = 'aws/bedrock/modelinvocations';

/** The plain-text line Bedrock writes when logging is switched on. */
export const PERMISSIONS_CONFIRMATION = 'Permissions are correctly set for Amazon Bedrock logs.';

/**
 * Could Bedrock write into the group with this role right now? The same test Put runs, repeated
 * at every delivery because a learner may break the role or delete the group afterwards: the
 * role trusts bedrock.amazonaws.com for this account, may create the stream and put events into
 * it, and the group exists.
 */
export function canDeliver(
  world: World,
  accountId: string,
  region: string,
  config: CloudWatchConfig,
): boolean {
  const { roleArn = '', logGroupName = '' } = config;
  const role = parseRoleArn(roleArn);
  if (!role) return false;
  const iam = world.iam.get(role.accountId);
  const stream = `arn:aws:logs:${region}:${accountId}:log-group:${logGroupName}:log-stream:${INVOCATION_LOG_STREAM}`;
  return (
    iam.canAssume(
      roleArn,
      { service: 'bedrock.amazonaws.com' },
      { sourceAccount: accountId, sourceArn: `arn:aws:bedrock:${region}:${accountId}:*` },
    ) &&
    iam.roleAllows(roleArn, 'logs:CreateLogStream', stream) &&
    iam.roleAllows(roleArn, 'logs:PutLogEvents', stream) &&
    world.logs.get(accountId, region).hasGroup(logGroupName)
  );
}

/** Writes one event into the invocation stream; false when the role or the group no longer allows it. */
export function deliverEvent(
  world: World,
  accountId: string,
  region: string,
  config: CloudWatchConfig,
  event: { timestamp: number; message: string },
): boolean {
  if (!canDeliver(world, accountId, region, config)) return false;
  try {
    world.logs.get(accountId, region).deliver(config.logGroupName!, INVOCATION_LOG_STREAM, [event]);
    return true;
  } catch {
    // The group vanished between the check and the write: a failed delivery, as on AWS.
    return false;
  }
}
