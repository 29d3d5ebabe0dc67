import { AwsError } from '../protocols/errors';
import type { RequestContext, ResourceScope, ServiceDefinition } from '../service';
import { principalTagContext } from '../sts/session-tags';
import { parseRoleArn } from './backend';
import { evaluate, type Decision } from './policy';

/**
 * IAM's judgement of a request: what it asks for, as its service states it
 * (`ServiceDefinition.access`; actions without resource-level permissions, and services that
 * state nothing, are judged on `*`), against the caller's policies in whichever account holds
 * them. Kept apart from the IAM backend, one account's state, because it reads every account's.
 */

/** Undefined when the caller may call the operation; else AWS's AccessDenied error for its protocol. */
export function authorize(
  ctx: RequestContext,
  operation: string,
  input: Record<string, unknown>,
): AwsError | undefined {
  const { caller, service } = ctx;
  // Long-term keys act as the account root, which no identity policy restricts.
  if (!caller.session) return undefined;
  const action = actionFor(service, operation);
  // Every authenticated principal may ask who it is, whatever its policies say (as on AWS).
  if (action === 'sts:GetCallerIdentity') return undefined;
  const resources = resourcesFor(service, operation, input, {
    accountId: caller.accountId,
    region: ctx.region,
    roleArn: (name) => ctx.world.iam.get(caller.accountId).findRole(name)?.arn,
  });
  const context = requestContext(service, operation, input);
  for (const needed of [action, ...dependentActions(service, operation, input)]) {
    for (const resource of resources) {
      const denied = authorizeAction(ctx, needed, resource, context);
      if (denied) return denied;
    }
  }
  return undefined;
}

/**
 * May the caller do `action` on `resource`? For checks an operation makes beyond its own action,
 * e.g. `iam:PassRole` (with context `iam:PassedToService`) when Bedrock is handed a role. The
 * request's service decides how the AccessDenied error is written.
 */
export function authorizeAction(
  ctx: RequestContext,
  action: string,
  resource: string,
  context: Record<string, string | string[]> = {},
): AwsError | undefined {
  const { caller, service } = ctx;
  // IAM never lets a role be passed to a service outside the role's own account, root included
  // (UNVERIFIED: the reason's wording is the sandbox's).
  const passedAccount = action === 'iam:PassRole' ? parseRoleArn(resource)?.accountId : undefined;
  if (passedAccount !== undefined && passedAccount !== caller.accountId) {
    return accessDenied(
      service,
      `User: ${caller.arn} is not authorized to perform: ${action} on resource: ${resource} because a role can be passed only within its own account`,
    );
  }
  const session = caller.session;
  if (!session) return undefined;
  const roleAccount = parseRoleArn(session.roleArn ?? '')?.accountId ?? caller.accountId;
  const iam = ctx.world.iam.get(roleAccount);
  const role = session.kind === 'assumed-role' ? iam.roleByArn(session.roleArn ?? '') : undefined;
  const request = {
    principal: caller.arn,
    action,
    resource,
    accountId: caller.accountId,
    context: {
      'aws:PrincipalArn': session.roleArn ?? caller.arn,
      'aws:PrincipalAccount': caller.accountId,
      'aws:RequestedRegion': ctx.region,
      ...principalTagContext(role?.tags ?? [], session.tags),
      ...context,
    },
  };
  let identity: Decision = 'allow';
  let boundary: Decision = 'allow';
  if (session.kind === 'assumed-role') {
    if (role) ({ identity, boundary = 'allow' } = iam.roleDecisions(role, request));
    else identity = 'implicit-deny';
  }
  // Federated users get exactly their session policy (the sandbox's users are account roots).
  const sessionDecision: Decision =
    session.policy !== undefined
      ? evaluate([{ name: 'session', document: session.policy }], request)
      : session.kind === 'federated-user'
        ? 'implicit-deny'
        : 'allow';
  const why =
    identity === 'explicit-deny'
      ? 'with an explicit deny in an identity-based policy'
      : boundary === 'explicit-deny'
        ? 'with an explicit deny in a permissions boundary'
        : sessionDecision === 'explicit-deny'
          ? 'with an explicit deny in a session policy'
          : identity === 'implicit-deny'
            ? `because no identity-based policy allows the ${action} action`
            : boundary === 'implicit-deny'
              ? `because no permissions boundary allows the ${action} action`
              : sessionDecision === 'implicit-deny'
                ? `because no session policy allows the ${action} action`
                : undefined;
  if (!why) return undefined;
  return accessDenied(
    service,
    `User: ${caller.arn} is not authorized to perform: ${action} on resource: ${resource} ${why}`,
  );
}

/**
 * Query and query-compatible services (IAM, STS, CloudWatch) say `AccessDenied` with 403; the
 * JSON services `AccessDeniedException`, which CloudWatch Logs sends with 400, Bedrock with 403.
 */
function accessDenied(service: ServiceDefinition, message: string): AwsError {
  if (service.json?.queryCompatible || (service.query && !service.json)) {
    return new AwsError('AccessDenied', message, 403);
  }
  return new AwsError('AccessDeniedException', message, service.actionPrefix === 'logs' ? 400 : 403);
}

function actionFor(service: ServiceDefinition, operation: string): string {
  return service.access?.actionOf?.[operation] ?? `${service.actionPrefix}:${operation}`;
}

function resourcesFor(
  service: ServiceDefinition,
  operation: string,
  input: Record<string, unknown>,
  scope: ResourceScope,
): string[] {
  return service.access?.resources(operation, input, scope) ?? ['*'];
}

function dependentActions(
  service: ServiceDefinition,
  operation: string,
  input: Record<string, unknown>,
): string[] {
  return service.access?.dependentActions?.(operation, input) ?? [];
}

function requestContext(
  service: ServiceDefinition,
  operation: string,
  input: Record<string, unknown>,
): Record<string, string | string[]> {
  return service.access?.requestContext?.(operation, input) ?? {};
}
