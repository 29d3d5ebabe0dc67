import type { LoggingConfig } from '@aws-sdk/client-bedrock';
import { trustDecision } from '../../../../sandbox/iam/policy';
import { LAB } from '../facts';
import { DELIVERY_ACTIONS } from '../logging-role';
import { fail, inconclusive, pass, type Verdict } from '../../../../helpers/verdict';

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
  Condition?: Record<string, Record<string, unknown>>;
}

export type TrustAnswer =
  { trusted: true } | { trusted: false; reason: string } | { trusted: 'unknown'; reason: string }; // a condition this check cannot decide

/**
 * The `aws:SourceArn` Bedrock may present when it assumes the logging role. AWS does not
 * document it (docs/aws-behaviours.md, "Open questions"): a trust policy is judged against each,
 * and one that they answer differently cannot be decided.
 */
function bedrockSourceArns(accountId: string, region: string): string[] {
  return [
    `arn:aws:bedrock:${region}:${accountId}:model-invocation-logging`,
    `arn:aws:bedrock:${region}:${accountId}:*`,
  ];
}

/** Condition keys Bedrock's request carries, and keys a service principal's request never holds. */
const BEDROCK_KEYS = new Set(['aws:sourceaccount', 'aws:sourcearn']);
const ABSENT_FOR_SERVICES = new Set([
  'aws:principalorgid',
  'aws:principalarn',
  'aws:principalaccount',
  'aws:userid',
  'aws:username',
]);

/**
 * Would this trust policy let Bedrock assume the role when it delivers logs for `account` in
 * `region`? Evaluated by the IAM policy evaluator the sandbox uses (@cloud-copilot/iam-simulate,
 * through sandbox/iam/policy.ts), so every operator (ArnEquals and ArnLike alike, wildcards,
 * IfExists, Not forms) means what it means in IAM. A condition on a key whose value in Bedrock's
 * request the grader cannot know leaves the answer unknown rather than wrong.
 */
export function bedrockTrust(policyText: string, accountId: string, region: string): TrustAnswer {
  let policy: { Statement?: Statement | Statement[] };
  try {
    policy = JSON.parse(policyText) as typeof policy;
  } catch {
    return { trusted: false, reason: 'its trust policy is not valid JSON.' };
  }
  const statements = ([] as Statement[]).concat(policy.Statement ?? []);
  const isUnknown = (key: string) =>
    !BEDROCK_KEYS.has(key.toLowerCase()) && !ABSENT_FOR_SERVICES.has(key.toLowerCase());
  const hasUnknown = (st: Statement) =>
    Object.values(st.Condition ?? {}).some((tests) => Object.keys(tests ?? {}).some(isUnknown));
  const decide = (text: string, sourceArn: string) =>
    trustDecision(text, {
      principal: 'bedrock.amazonaws.com',
      action: 'sts:AssumeRole',
      resource: `arn:aws:iam::${accountId}:role/logging`,
      accountId,
      context: { 'aws:SourceAccount': accountId, 'aws:SourceArn': sourceArn },
    });
  // Conditions on keys the grader cannot know bound the answer: at best they all hold for an
  // Allow and fail for a Deny, at worst the reverse. Conditions of one statement must all hold.
  const bound = (best: boolean) =>
    JSON.stringify({
      ...policy,
      Statement: statements.flatMap((st) => {
        if (!hasUnknown(st)) return [st];
        if ((st.Effect === 'Allow') !== best) return [];
        const Condition = Object.fromEntries(
          Object.entries(st.Condition ?? {})
            .map(([op, tests]) => [
              op,
              Object.fromEntries(Object.entries(tests ?? {}).filter(([k]) => !isUnknown(k))),
            ])
            .filter(([, tests]) => Object.keys(tests as object).length > 0),
        );
        return [{ ...st, Condition }];
      }),
    });
  const answers = new Set(
    bedrockSourceArns(accountId, region).flatMap((arn) => [
      decide(bound(true), arn),
      decide(bound(false), arn),
    ]),
  );
  if (answers.size > 1) {
    return statements.some(hasUnknown)
      ? { trusted: 'unknown', reason: 'its trust policy has conditions the grader does not evaluate.' }
      : {
          trusted: 'unknown',
          reason:
            "its trust policy's conditions depend on the aws:SourceArn Bedrock presents, which AWS does not document.",
        };
  }
  const [decision] = answers;
  if (decision === 'allow') return { trusted: true };
  if (decision === 'explicit-deny') {
    return { trusted: false, reason: 'its trust policy denies bedrock.amazonaws.com sts:AssumeRole.' };
  }
  const unconditional = JSON.stringify({
    ...policy,
    Statement: statements.map(({ Condition: _condition, ...rest }) => rest),
  });
  return decide(unconditional, bedrockSourceArns(accountId, region)[0]!) === 'allow'
    ? {
        trusted: false,
        reason: `its trust policy's conditions do not match Bedrock in account ${accountId}, region ${region}.`,
      }
    : {
        trusted: false,
        reason: 'its trust policy does not allow bedrock.amazonaws.com to call sts:AssumeRole.',
      };
}
