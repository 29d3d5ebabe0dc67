import type { LoggingConfig } from '@aws-sdk/client-bedrock';
import { LAB } from '../settings';
import { fail, inconclusive, pass, type Verdict } from '../verdict';

/** Step 1 as the grader fetched it. */
export interface LoggingState {
  /** Undefined when invocation logging is not configured in the region. */
  config: LoggingConfig | undefined;
  region: string;
}

export function checkLoggingEnabled({ config, region }: LoggingState): Verdict {
  if (!config) {
    return fail(
      `Model invocation logging is not configured in ${region}.`,
      `In the Bedrock console (${region}), open Settings and turn on Model invocation logging with CloudWatch Logs as the destination.`,
    );
  }
  const group = config.cloudWatchConfig?.logGroupName;
  if (!group) {
    return fail(
      `Model invocation logging is on in ${region}, but without CloudWatch Logs as a destination (found: ${config.s3Config ? 'S3 only' : 'no destination'}).`,
      'Choose CloudWatch Logs only (or both S3 and CloudWatch Logs) as the logging destination.',
    );
  }
  return pass(`Model invocation logging is on in ${region} and delivers to CloudWatch Logs group ${group}.`);
}

export function checkLogGroup(state: LoggingState & { groupExists: boolean }): Verdict {
  const group = state.config?.cloudWatchConfig?.logGroupName;
  if (!group) {
    return fail(
      'No CloudWatch Logs group is configured for invocation logging.',
      `Turn on logging to CloudWatch Logs with the log group ${LAB.logGroup} (Step 1).`,
    );
  }
  if (group !== LAB.logGroup) {
    return fail(
      `Invocation logs go to '${group}'; the lab expects '${LAB.logGroup}'. The checks of Steps 2-4 judge '${group}'.`,
      `Set the log group to ${LAB.logGroup} exactly in the Bedrock logging settings, and create it in CloudWatch Logs.`,
    );
  }
  if (!state.groupExists) {
    return fail(
      `Logging names '${group}', but that log group does not exist.`,
      `Create the log group ${group} in CloudWatch Logs: Bedrock writes into it but does not create it.`,
    );
  }
  return pass(`Invocation logs go to '${group}', which exists.`);
}

export function checkTextData({ config }: LoggingState): Verdict {
  if (!config) {
    return fail(
      'Model invocation logging is not configured, so no text data is delivered.',
      'Turn on Model invocation logging in the Bedrock settings and tick Text among the data types.',
    );
  }
  return config.textDataDeliveryEnabled
    ? pass('Text data delivery is on.')
    : fail(
        'Text data delivery is off: log records will not carry the prompts and responses.',
        'Under "Select the data types to include with logs", tick Text.',
      );
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
  if (!roleArn) {
    return fail(
      'Invocation logging has no CloudWatch Logs role.',
      'Choose a service role for CloudWatch Logs delivery in the Bedrock logging settings.',
    );
  }
  if (state.trustPolicy === undefined) {
    return fail(
      `The logging role ${roleArn} does not exist.`,
      'Create the role again (or let the console create one) and choose it in the Bedrock logging settings.',
    );
  }
  const trust = bedrockTrust(state.trustPolicy, state.accountId, state.region);
  if (trust.trusted === 'unknown') {
    return inconclusive(
      `The grader cannot tell whether Bedrock may assume ${roleArn}: ${trust.reason}`,
      'instructor',
      { trustPolicy: state.trustPolicy },
    );
  }
  if (!trust.trusted) {
    return fail(
      `The logging role ${roleArn} cannot be assumed by Bedrock: ${trust.reason}`,
      "The role's trust policy must allow bedrock.amazonaws.com to call sts:AssumeRole, with any conditions naming your account and Region.",
    );
  }
  const denied = DELIVERY_ACTIONS.filter((action) => state.permissions[action] !== 'allowed');
  if (denied.length) {
    return fail(
      `The logging role ${roleArn} may not ${denied.join(' or ')} on the log stream ${LAB.logStream} of ${state.groupName}.`,
      `Give the role a policy that allows logs:CreateLogStream and logs:PutLogEvents on the log group ${state.groupName}, and no Deny on them.`,
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

export type TrustAnswer =
  { trusted: true } | { trusted: false; reason: string } | { trusted: 'unknown'; reason: string }; // a condition this check does not evaluate decides it

/**
 * Would this trust policy let Bedrock assume the role when it delivers logs for `account` in
 * `region`? Conditions are evaluated for the operators trust policies use (String/Arn
 * Equals/Like and their Not forms, IfExists) on aws:SourceAccount and aws:SourceArn; anything
 * else leaves the answer unknown rather than wrong.
 */
export function bedrockTrust(policyText: string, accountId: string, region: string): TrustAnswer {
  let policy: { Statement?: Statement | Statement[] };
  try {
    policy = JSON.parse(policyText) as typeof policy;
  } catch {
    return { trusted: false, reason: 'its trust policy is not valid JSON.' };
  }
  const statements = ([] as Statement[]).concat(policy.Statement ?? []);
  const context: Record<string, string> = {
    'aws:sourceaccount': accountId,
    'aws:sourcearn': `arn:aws:bedrock:${region}:${accountId}:model-invocation-logging`,
  };
  const about = (effect: string) =>
    statements
      .filter((s) => s.Effect === effect && namesBedrock(s.Principal) && allowsAssumeRole(s.Action))
      .map((s) => conditionsHold(s.Condition, context));
  const denies = about('Deny');
  const grants = about('Allow');
  if (denies.includes(true)) {
    return { trusted: false, reason: 'its trust policy denies bedrock.amazonaws.com sts:AssumeRole.' };
  }
  if (grants.length === 0) {
    return {
      trusted: false,
      reason: 'its trust policy does not allow bedrock.amazonaws.com to call sts:AssumeRole.',
    };
  }
  const unknown = {
    trusted: 'unknown',
    reason: 'its trust policy has conditions the grader does not evaluate.',
  } as const;
  if (denies.includes('unknown')) return unknown;
  if (grants.includes(true)) return { trusted: true };
  if (grants.includes('unknown')) return unknown;
  return {
    trusted: false,
    reason: `its trust policy's conditions do not match Bedrock in account ${accountId}, region ${region}.`,
  };
}

function namesBedrock(principal: unknown): boolean {
  if (principal === '*') return true;
  const service = (principal as { Service?: string | string[] } | undefined)?.Service;
  return ([] as string[]).concat(service ?? []).includes('bedrock.amazonaws.com');
}

function allowsAssumeRole(action: string | string[] | undefined): boolean {
  return ([] as string[]).concat(action ?? []).some((a) => globMatches(a.toLowerCase(), 'sts:assumerole'));
}

// Every condition must hold; one that cannot be evaluated makes the answer unknown unless another fails.
function conditionsHold(
  conditions: Statement['Condition'],
  context: Record<string, string>,
): boolean | 'unknown' {
  const results = Object.entries(conditions ?? {}).flatMap(([operator, tests]) =>
    Object.entries(tests).map(([key, expected]) =>
      conditionHolds(operator, key.toLowerCase(), context[key.toLowerCase()], expected),
    ),
  );
  if (results.includes(false)) return false;
  return results.includes('unknown') ? 'unknown' : true;
}

// Keys the request context of a service principal does not hold (IAM's condition key reference).
const ABSENT_FOR_SERVICES = new Set([
  'aws:principalorgid',
  'aws:principalarn',
  'aws:principalaccount',
  'aws:userid',
  'aws:username',
]);

function conditionHolds(
  operator: string,
  key: string,
  actual: string | undefined,
  expected: string | string[],
): boolean | 'unknown' {
  if (actual === undefined) {
    // IfExists holds on an absent key; any other key may or may not be in Bedrock's request.
    return ABSENT_FOR_SERVICES.has(key) ? operator.endsWith('IfExists') : 'unknown';
  }
  const values = ([] as string[]).concat(expected);
  const op = operator.replace(/IfExists$/, '');
  const negated = /^(String|Arn)Not/.test(op);
  const positive = op.replace(/^(String|Arn)Not/, '$1');
  let holds: boolean;
  if (positive === 'StringEquals' || positive === 'ArnEquals') holds = values.includes(actual);
  else if (positive === 'StringLike' || positive === 'ArnLike')
    holds = values.some((v) => globMatches(v, actual));
  else return 'unknown';
  return holds !== negated;
}

function globMatches(pattern: string, value: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`).test(value);
}
