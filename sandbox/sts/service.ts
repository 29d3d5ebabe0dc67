import { stsAccess } from './access';
import type {
  AssumeRoleCommandInput,
  AssumeRoleCommandOutput,
  GetCallerIdentityCommandOutput,
  GetFederationTokenCommandInput,
  GetFederationTokenCommandOutput,
} from '@aws-sdk/client-sts';
import { CredentialStore, type Tag, type TemporarySession } from '../auth/credentials';
import { parseRoleArn, type AssumeContext } from '../iam/backend';
import { duplicateTagKeys } from '../iam/errors';
import { policyProblem } from '../iam/policy';
import {
  AwsError,
  constraintText,
  lengthConstraint,
  rejectUnsupported,
  validationErrors,
} from '../protocols/errors';
import type { RequestContext, ServiceDefinition } from '../service';
import { nowMs } from '../tape';
import { principalTagContext, sameKey } from './session-tags';

type Output<T> = Omit<T, '$metadata'>;

const MAX_SESSION_POLICY_LENGTH = 2048; // characters of an inline session policy

function getCallerIdentity(
  _input: object,
  { caller }: RequestContext,
): Output<GetCallerIdentityCommandOutput> {
  return { UserId: caller.userId, Account: caller.accountId, Arn: caller.arn };
}

function assumeRole(input: AssumeRoleCommandInput, ctx: RequestContext): Output<AssumeRoleCommandOutput> {
  // Each of these would change what the session may do or who it is.
  rejectUnsupported('sts', 'AssumeRole', input, [
    'PolicyArns',
    'SerialNumber',
    'TokenCode',
    'SourceIdentity',
    'ProvidedContexts',
  ]);
  const { RoleArn = '', RoleSessionName = '' } = input;
  checkPolicyLength(input.Policy);
  const duration = durationSeconds(input.DurationSeconds);
  checkPolicyDocument(input.Policy);

  const arn = parseRoleArn(RoleArn);
  const denied = new AwsError(
    'AccessDenied',
    `User: ${ctx.caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${RoleArn}`,
    403,
  );
  if (!arn) throw new AwsError('ValidationError', `${RoleArn} is invalid`);
  const tags = sessionTags(input, ctx.caller.session);
  const { accountId: roleAccount, name: roleName } = arn;
  const iam = ctx.world.iam.get(roleAccount);
  const principal = { arn: ctx.caller.arn, accountId: ctx.caller.accountId };
  const context: AssumeContext = {
    externalId: input.ExternalId,
    tags: tags.passed,
    transitiveTagKeys: input.TransitiveTagKeys,
    principalTags: callerPrincipalTags(ctx),
  };
  if (!iam.canAssume(RoleArn, principal, context)) throw denied;
  // Passing session tags needs the trust policy to allow sts:TagSession as well (IAM User Guide).
  if (tags.tagging && !iam.canAssume(RoleArn, principal, context, 'sts:TagSession')) {
    // UNVERIFIED text, worded as AssumeRole's own refusal.
    throw new AwsError(
      'AccessDenied',
      `User: ${ctx.caller.arn} is not authorized to perform: sts:TagSession on resource: ${RoleArn}`,
      403,
    );
  }
  if (ctx.caller.session && duration > 3600) {
    // UNVERIFIED text: a session assuming another role (role chaining) is held to one hour.
    throw new AwsError(
      'ValidationError',
      'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    );
  }
  if (duration > (iam.roleByArn(RoleArn)?.maxSessionDuration ?? 3600)) {
    throw new AwsError(
      'ValidationError',
      'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    );
  }
  // AWS builds the assumed role's id from the role's own RoleId (AROA...:session).
  const roleId = iam.roleByArn(RoleArn)?.id ?? CredentialStore.uniqueId('AROA');
  const session = issue(ctx, duration, {
    accountId: roleAccount,
    arn: `arn:aws:sts::${roleAccount}:assumed-role/${roleName}/${RoleSessionName}`,
    userId: `${roleId}:${RoleSessionName}`,
    roleArn: RoleArn,
    policy: input.Policy,
    kind: 'assumed-role',
    ...(tags.all.length > 0 && { tags: tags.all, transitiveTagKeys: tags.transitive }),
  });
  return {
    Credentials: credentialsOf(session),
    AssumedRoleUser: { AssumedRoleId: session.userId, Arn: session.arn },
    // Without a session policy or tags, AssumeRole's answer has no packed size (recorded).
    ...((input.Policy !== undefined || tags.tagging) && {
      PackedPolicySize: packedPolicySize(input.Policy, tags.passed),
    }),
  };
}

/** The calling session's aws:PrincipalTag keys: its role's tags, and its own session tags over them. */
function callerPrincipalTags(ctx: RequestContext): Record<string, string> {
  const session = ctx.caller.session;
  if (session?.kind !== 'assumed-role' || !session.roleArn) return {};
  const roleAccount = parseRoleArn(session.roleArn)?.accountId ?? ctx.caller.accountId;
  const role = ctx.world.iam.get(roleAccount).roleByArn(session.roleArn);
  return principalTagContext(role?.tags ?? [], session.tags);
}

/**
 * The new session's tags: those passed, and the transitive ones of the calling session, which
 * a chained session inherits and may not set again. Keys are compared regardless of case. The
 * errors are AWS's own (LocalStack's AWS-validated snapshots of test_sts.py).
 */
function sessionTags(
  input: AssumeRoleCommandInput,
  caller: TemporarySession | undefined,
): { tagging: boolean; passed: Tag[]; all: Tag[]; transitive: string[] } {
  const passed = (input.Tags ?? []).map((t) => ({ Key: t.Key!, Value: t.Value ?? '' }));
  const transitiveKeys = input.TransitiveTagKeys ?? [];
  if (new Set(passed.map((t) => t.Key.toLowerCase())).size < passed.length) {
    throw duplicateTagKeys('InvalidParameterValue');
  }
  if (transitiveKeys.some((key) => !passed.some((t) => sameKey(t.Key, key)))) {
    throw new AwsError(
      'InvalidParameterValue',
      'The specified transitive tag key must be included in the requested tags.',
    );
  }
  const inheritedKeys = caller?.transitiveTagKeys ?? [];
  if (passed.some((t) => inheritedKeys.some((key) => sameKey(key, t.Key)))) {
    throw new AwsError(
      'InvalidParameterValue',
      "One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.",
    );
  }
  const inherited = (caller?.tags ?? []).filter((t) => inheritedKeys.some((key) => sameKey(key, t.Key)));
  // The transitive keys are kept as the tags spell them.
  const transitive = [...inherited, ...passed.filter((t) => transitiveKeys.some((k) => sameKey(k, t.Key)))];
  return {
    tagging: passed.length > 0 || transitiveKeys.length > 0,
    passed,
    all: [...inherited, ...passed],
    transitive: transitive.map((t) => t.Key),
  };
}

function getFederationToken(
  input: GetFederationTokenCommandInput,
  ctx: RequestContext,
): Output<GetFederationTokenCommandOutput> {
  if (ctx.caller.session) {
    throw new AwsError('AccessDenied', 'Cannot call GetFederationToken with session credentials', 403);
  }
  rejectUnsupported('sts', 'GetFederationToken', input, ['PolicyArns', 'Tags']);
  const { Name = '' } = input;
  const requested = durationSeconds(input.DurationSeconds, 43_200);
  checkPolicyDocument(input.Policy);
  // Every long-term sandbox key acts as the account root, whose federation sessions AWS cuts
  // to an hour without an error.
  const duration = Math.min(requested, 3600);
  const session = issue(ctx, duration, {
    accountId: ctx.accountId,
    arn: `arn:aws:sts::${ctx.accountId}:federated-user/${Name}`,
    userId: `${ctx.accountId}:${Name}`,
    policy: input.Policy,
    kind: 'federated-user',
  });
  return {
    Credentials: credentialsOf(session),
    FederatedUser: { FederatedUserId: session.userId, Arn: session.arn },
    // 0 without a session policy (recorded).
    PackedPolicySize: packedPolicySize(input.Policy) ?? 0,
  };
}

/**
 * AWS holds every inline session policy to 2,048 characters. GetFederationToken's model says so
 * (checked before the handler runs); AssumeRole's model leaves its `Policy` unbounded, so the limit
 * is checked here, worded as the model's check words it.
 */
function checkPolicyLength(policy: string | undefined): void {
  const broken = policy === undefined ? undefined : lengthConstraint(policy, 1, MAX_SESSION_POLICY_LENGTH);
  if (broken) throw validationErrors('ValidationError', [constraintText(policy, 'policy', broken)]);
}

// A session policy that would grant nothing because it cannot be read is refused, as by AWS.
function checkPolicyDocument(policy: string | undefined): void {
  const problem = policy === undefined ? undefined : policyProblem(policy);
  if (problem) throw new AwsError('MalformedPolicyDocument', problem, 400);
}

/**
 * AWS packs session policies and session tags into a binary form and reports its size as a
 * percentage of the allowed maximum. UNVERIFIED: the sandbox estimates it from their plain length.
 */
function packedPolicySize(policy: string | undefined, tags: Tag[] = []): number | undefined {
  if (policy === undefined && tags.length === 0) return undefined;
  const length = (policy ?? '').length + tags.reduce((n, t) => n + t.Key.length + t.Value.length, 0);
  return Math.min(100, Math.max(1, Math.ceil((length / MAX_SESSION_POLICY_LENGTH) * 100)));
}

/** The Query protocol sends numbers as text; the model's range was checked before the handler ran. */
function durationSeconds(value: unknown, byDefault = 3600): number {
  return value === undefined ? byDefault : Number(value);
}

function issue(
  ctx: RequestContext,
  durationSeconds: number,
  fields: Omit<TemporarySession, 'accessKeyId' | 'secretAccessKey' | 'sessionToken' | 'expiration'>,
): TemporarySession {
  return ctx.world.credentials.issue({
    ...fields,
    expiration: new Date(nowMs() + durationSeconds * 1000),
  });
}

function credentialsOf(session: TemporarySession) {
  return {
    AccessKeyId: session.accessKeyId,
    SecretAccessKey: session.secretAccessKey,
    SessionToken: session.sessionToken,
    Expiration: session.expiration,
  };
}

export const stsService: ServiceDefinition = {
  access: stsAccess,
  name: 'sts',
  signingName: 'sts',
  actionPrefix: 'sts',
  query: { xmlNamespace: 'https://sts.amazonaws.com/doc/2011-06-15/' },
  operations: {
    GetCallerIdentity: getCallerIdentity,
    AssumeRole: assumeRole,
    GetFederationToken: getFederationToken,
  },
  readOnly: new Set(['GetCallerIdentity']),
};
