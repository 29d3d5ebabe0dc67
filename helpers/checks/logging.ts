import type { LoggingConfig } from '@aws-sdk/client-bedrock';
import { LAB } from '../settings';
import { fail, pass, type Verdict } from '../verdict';

/** Step 1 as the grader fetched it. */
export interface LoggingState {
  /** Undefined when invocation logging is not configured in the region. */
  config: LoggingConfig | undefined;
  region: string;
}

export function checkLoggingEnabled({ config, region }: LoggingState): Verdict {
  if (!config) return fail(`Model invocation logging is not configured in ${region}.`);
  const group = config.cloudWatchConfig?.logGroupName;
  if (!group) {
    return fail(
      `Model invocation logging is on in ${region}, but without CloudWatch Logs as a destination (found: ${config.s3Config ? 'S3 only' : 'no destination'}).`,
    );
  }
  return pass(`Model invocation logging is on in ${region} and delivers to CloudWatch Logs group ${group}.`);
}

export function checkLogGroup(state: LoggingState & { groupExists: boolean }): Verdict {
  const group = state.config?.cloudWatchConfig?.logGroupName;
  if (!group) return fail('No CloudWatch Logs group is configured for invocation logging.');
  if (group !== LAB.logGroup) {
    return fail(`Invocation logs go to '${group}'; the lab expects '${LAB.logGroup}'.`);
  }
  if (!state.groupExists) return fail(`Logging names '${group}', but that log group does not exist.`);
  return pass(`Invocation logs go to '${group}', which exists.`);
}

export function checkTextData({ config }: LoggingState): Verdict {
  if (!config) return fail('Model invocation logging is not configured, so no text data is delivered.');
  return config.textDataDeliveryEnabled
    ? pass('Text data delivery is on.')
    : fail('Text data delivery is off: log records will not carry the prompts and responses.');
}

/** The role as the grader found it: its trust policy, and what IAM's simulator says it may do. */
export interface RoleState {
  roleArn: string | undefined;
  /** Undefined when the role does not exist. */
  trustPolicy: string | undefined;
  /** Decision per action on the lab stream, from SimulatePrincipalPolicy. */
  permissions: Record<string, 'allowed' | 'explicitDeny' | 'implicitDeny'>;
  accountId: string;
  region: string;
  groupName: string;
}

export const DELIVERY_ACTIONS = ['logs:CreateLogStream', 'logs:PutLogEvents'] as const;

export function checkLoggingRole(state: RoleState): Verdict {
  const { roleArn } = state;
  if (!roleArn) return fail('Invocation logging has no CloudWatch Logs role.');
  if (state.trustPolicy === undefined) return fail(`The logging role ${roleArn} does not exist.`);
  const trust = bedrockTrust(state.trustPolicy, state.accountId, state.region);
  if (trust !== true) return fail(`The logging role ${roleArn} cannot be assumed by Bedrock: ${trust}`);
  const denied = DELIVERY_ACTIONS.filter((action) => state.permissions[action] !== 'allowed');
  if (denied.length) {
    return fail(
      `The logging role ${roleArn} may not ${denied.join(' or ')} on the log stream ${LAB.logStream} of ${state.groupName}.`,
      { permissions: state.permissions },
    );
  }
  return pass(
    `The logging role ${roleArn} trusts Bedrock and may create streams and put events on ${state.groupName}.`,
  );
}

interface Statement {
  Effect?: string;
  Principal?: unknown;
  Action?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

/**
 * Would this trust policy let Bedrock assume the role when it delivers logs for `account` in
 * `region`? True, or the reason it would not.
 */
export function bedrockTrust(policyText: string, accountId: string, region: string): true | string {
  let policy: { Statement?: Statement | Statement[] };
  try {
    policy = JSON.parse(policyText) as typeof policy;
  } catch {
    return 'its trust policy is not valid JSON.';
  }
  const statements = ([] as Statement[]).concat(policy.Statement ?? []);
  const context: Record<string, string> = {
    'aws:sourceaccount': accountId,
    'aws:sourcearn': `arn:aws:bedrock:${region}:${accountId}:model-invocation-logging`,
  };
  const applies = (effect: string) =>
    statements.filter(
      (s) =>
        s.Effect === effect &&
        namesBedrock(s.Principal) &&
        allowsAssumeRole(s.Action) &&
        conditionsHold(s.Condition, context),
    );
  if (applies('Deny').length) return 'its trust policy denies bedrock.amazonaws.com sts:AssumeRole.';
  const grants = statements.filter(
    (s) => s.Effect === 'Allow' && namesBedrock(s.Principal) && allowsAssumeRole(s.Action),
  );
  if (grants.length === 0)
    return 'its trust policy does not allow bedrock.amazonaws.com to call sts:AssumeRole.';
  if (applies('Allow').length) return true;
  return `its trust policy's conditions do not match Bedrock in account ${accountId}, region ${region}.`;
}

function namesBedrock(principal: unknown): boolean {
  if (principal === '*') return true;
  const service = (principal as { Service?: string | string[] } | undefined)?.Service;
  return ([] as string[]).concat(service ?? []).includes('bedrock.amazonaws.com');
}

function allowsAssumeRole(action: string | string[] | undefined): boolean {
  return ([] as string[]).concat(action ?? []).some((a) => globMatches(a.toLowerCase(), 'sts:assumerole'));
}

function conditionsHold(conditions: Statement['Condition'], context: Record<string, string>): boolean {
  return Object.entries(conditions ?? {}).every(([operator, tests]) =>
    Object.entries(tests).every(([key, expected]) => {
      const actual = context[key.toLowerCase()];
      if (actual === undefined) return operator.endsWith('IfExists');
      const values = ([] as string[]).concat(expected);
      const op = operator.replace(/IfExists$/, '');
      if (op === 'StringEquals' || op === 'ArnEquals') return values.includes(actual);
      if (op === 'StringLike' || op === 'ArnLike') return values.some((v) => globMatches(v, actual));
      // Operators the lab's policies do not use: judged conservatively as not matching.
      return false;
    }),
  );
}

function globMatches(pattern: string, value: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`).test(value);
}
