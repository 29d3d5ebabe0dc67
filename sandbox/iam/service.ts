import type {
  AttachedPolicy,
  AttachRolePolicyCommandInput,
  ContextEntry,
  CreatePolicyCommandInput,
  CreatePolicyCommandOutput,
  CreateRoleCommandInput,
  CreateRoleCommandOutput,
  DeleteRoleCommandInput,
  UpdateAssumeRolePolicyCommandInput,
  DeleteRolePolicyCommandInput,
  DetachRolePolicyCommandInput,
  EvaluationResult,
  GetPolicyCommandInput,
  GetPolicyCommandOutput,
  GetPolicyVersionCommandInput,
  GetPolicyVersionCommandOutput,
  GetRoleCommandInput,
  GetRoleCommandOutput,
  GetRolePolicyCommandInput,
  GetRolePolicyCommandOutput,
  ListAttachedRolePoliciesCommandInput,
  ListAttachedRolePoliciesCommandOutput,
  ListRolePoliciesCommandInput,
  ListRolePoliciesCommandOutput,
  ListRolesCommandInput,
  ListRolesCommandOutput,
  Policy,
  PolicySourceType,
  PutRolePolicyCommandInput,
  Role,
  SimulatePrincipalPolicyCommandInput,
  SimulatePrincipalPolicyCommandOutput,
} from '@aws-sdk/client-iam';
import { AwsError, constraintText, rejectUnsupported } from '../protocols/errors';
import type { RequestContext, ServiceDefinition } from '../service';
import type { IamBackend, ManagedPolicy, RoleRecord } from './backend';
import {
  invalidArn,
  malformed,
  noSuchPolicyVersion,
  noSuchRole,
  noSuchUser,
  validationError,
} from './errors';
import { explain, policyProblem, trustProblem, type Decision } from './policy';

type Output<T> = Omit<T, '$metadata'>;

/**
 * IAM over the Query protocol. Policy documents come in as JSON text and go out URL-encoded, as
 * AWS sends them: the SDK does not decode them, callers use `decodeURIComponent`. Names, paths,
 * ARNs, documents and MaxItems keep the model's constraints before any handler runs
 * (protocols/input-constraints.ts); numbers arrive as text.
 */

const iam = (ctx: RequestContext): IamBackend => ctx.world.iam.get(ctx.accountId);
const encode = (document: string) => encodeURIComponent(document);

/** A role as IAM answers it; MaxSessionDuration comes from GetRole and ListRoles, not CreateRole. */
function roleOf(role: RoleRecord, withSessionDuration = true): Role {
  return {
    Path: role.path,
    RoleName: role.name,
    RoleId: role.id,
    Arn: role.arn,
    CreateDate: role.created,
    AssumeRolePolicyDocument: encode(role.trustPolicy),
    Description: role.description,
    ...(withSessionDuration && { MaxSessionDuration: role.maxSessionDuration }),
  };
}

function policyOf(policy: ManagedPolicy, attachments: number): Policy {
  return {
    PolicyName: policy.name,
    PolicyId: policy.id,
    Arn: policy.arn,
    Path: policy.path,
    DefaultVersionId: policy.versionId,
    AttachmentCount: attachments,
    PermissionsBoundaryUsageCount: 0,
    IsAttachable: true,
    Description: policy.description,
    CreateDate: policy.created,
    UpdateDate: policy.updated,
  };
}

/** Marker/MaxItems paging shared by the List operations (the marker is an offset). */
function paged<T>(
  items: T[],
  marker: unknown,
  maxItems: unknown,
): { items: T[]; IsTruncated: boolean; Marker?: string } {
  const max = maxItems === undefined ? 100 : Number(maxItems);
  const start = marker === undefined ? 0 : Number(marker);
  // UNVERIFIED text: AWS's markers are opaque; the sandbox's are offsets.
  if (!Number.isInteger(start) || start < 0) throw new AwsError('ValidationError', 'Invalid Marker.');
  const end = start + max;
  return end < items.length
    ? { items: items.slice(start, end), IsTruncated: true, Marker: String(end) }
    : { items: items.slice(start), IsTruncated: false };
}

function createRole(input: CreateRoleCommandInput, ctx: RequestContext): Output<CreateRoleCommandOutput> {
  rejectUnsupported('iam', 'CreateRole', input, ['PermissionsBoundary', 'Tags']);
  const name = input.RoleName!;
  const path = input.Path ?? '/';
  const trust = input.AssumeRolePolicyDocument!;
  const duration = input.MaxSessionDuration === undefined ? 3600 : Number(input.MaxSessionDuration);
  const problem = trustProblem(trust);
  if (problem) throw malformed(problem);
  const role = iam(ctx).createRole({
    name,
    path,
    trustPolicy: trust,
    description: input.Description,
    maxSessionDuration: duration,
  });
  return { Role: roleOf(role, false) };
}

function getRole(input: GetRoleCommandInput, ctx: RequestContext): Output<GetRoleCommandOutput> {
  // RoleLastUsed is empty until the role is used; the sandbox does not track use.
  return { Role: { ...roleOf(iam(ctx).getRole(input.RoleName!)), RoleLastUsed: {} } };
}

function updateAssumeRolePolicy(input: UpdateAssumeRolePolicyCommandInput, ctx: RequestContext): object {
  const role = iam(ctx).getRole(input.RoleName!);
  const trust = input.PolicyDocument!;
  const problem = trustProblem(trust);
  if (problem) throw malformed(problem);
  role.trustPolicy = trust;
  return {};
}

function deleteRole(input: DeleteRoleCommandInput, ctx: RequestContext): object {
  iam(ctx).deleteRole(input.RoleName!);
  return {};
}

function listRoles(input: ListRolesCommandInput, ctx: RequestContext): Output<ListRolesCommandOutput> {
  const prefix = input.PathPrefix ?? '/';
  const { items, ...more } = paged(iam(ctx).listRoles(prefix), input.Marker, input.MaxItems);
  return { Roles: items.map((r) => roleOf(r)), ...more };
}

function putRolePolicy(input: PutRolePolicyCommandInput, ctx: RequestContext): object {
  const role = input.RoleName!;
  const name = input.PolicyName!;
  const document = input.PolicyDocument!;
  const backend = iam(ctx);
  backend.getRole(role);
  const problem = policyProblem(document);
  if (problem) throw malformed(problem);
  backend.putRolePolicy(role, name, document);
  return {};
}

function getRolePolicy(
  input: GetRolePolicyCommandInput,
  ctx: RequestContext,
): Output<GetRolePolicyCommandOutput> {
  const role = input.RoleName!;
  const name = input.PolicyName!;
  const backend = iam(ctx);
  const document = backend.getRolePolicy(role, name);
  return { RoleName: backend.getRole(role).name, PolicyName: name, PolicyDocument: encode(document) };
}

function listRolePolicies(
  input: ListRolePoliciesCommandInput,
  ctx: RequestContext,
): Output<ListRolePoliciesCommandOutput> {
  const names = [...iam(ctx).getRole(input.RoleName!).inline.keys()].sort();
  const { items, ...more } = paged(names, input.Marker, input.MaxItems);
  return { PolicyNames: items, ...more };
}

function deleteRolePolicy(input: DeleteRolePolicyCommandInput, ctx: RequestContext): object {
  iam(ctx).deleteRolePolicy(input.RoleName!, input.PolicyName!);
  return {};
}

const POLICY_ARN = /^arn:aws:iam::(\d{12}|aws):policy\/(?:[\u0021-\u007E]+\/)?[\w+=,.@-]+$/;

/** The model asks only 20 to 2,048 characters of a policy ARN; IAM reads the rest itself. */
function policyArn(arn: string): string {
  if (!POLICY_ARN.test(arn)) throw invalidArn();
  return arn;
}

function attachRolePolicy(input: AttachRolePolicyCommandInput, ctx: RequestContext): object {
  iam(ctx).attachRolePolicy(input.RoleName!, policyArn(input.PolicyArn!));
  return {};
}

function detachRolePolicy(input: DetachRolePolicyCommandInput, ctx: RequestContext): object {
  iam(ctx).detachRolePolicy(input.RoleName!, policyArn(input.PolicyArn!));
  return {};
}

function listAttachedRolePolicies(
  input: ListAttachedRolePoliciesCommandInput,
  ctx: RequestContext,
): Output<ListAttachedRolePoliciesCommandOutput> {
  const role = input.RoleName!;
  const prefix = input.PathPrefix ?? '/';
  const backend = iam(ctx);
  const attached = backend
    .getRole(role)
    .attached.map((arn) => backend.findPolicy(arn))
    .filter((p): p is ManagedPolicy => p !== undefined && p.path.startsWith(prefix))
    .map((p): AttachedPolicy => ({ PolicyName: p.name, PolicyArn: p.arn }));
  const { items, ...more } = paged(attached, input.Marker, input.MaxItems);
  return { AttachedPolicies: items, ...more };
}

function createPolicy(
  input: CreatePolicyCommandInput,
  ctx: RequestContext,
): Output<CreatePolicyCommandOutput> {
  rejectUnsupported('iam', 'CreatePolicy', input, ['Tags']);
  const name = input.PolicyName!;
  const path = input.Path ?? '/';
  const document = input.PolicyDocument!;
  const problem = policyProblem(document);
  if (problem) throw malformed(problem);
  const policy = iam(ctx).createPolicy({ name, path, document, description: input.Description });
  // CreatePolicy's answer leaves the description out; GetPolicy shows it.
  return { Policy: { ...policyOf(policy, 0), Description: undefined } };
}

function getPolicy(input: GetPolicyCommandInput, ctx: RequestContext): Output<GetPolicyCommandOutput> {
  const arn = policyArn(input.PolicyArn!);
  const backend = iam(ctx);
  return { Policy: policyOf(backend.getPolicy(arn), backend.attachmentCount(arn)) };
}

function getPolicyVersion(
  input: GetPolicyVersionCommandInput,
  ctx: RequestContext,
): Output<GetPolicyVersionCommandOutput> {
  const version = input.VersionId!;
  const arn = policyArn(input.PolicyArn!);
  const policy = iam(ctx).getPolicy(arn);
  // Only the default version is kept: an AWS managed policy's older ones are not emulated.
  if (version !== policy.versionId) throw noSuchPolicyVersion(arn, version);
  return {
    PolicyVersion: {
      Document: encode(policy.document),
      VersionId: policy.versionId,
      IsDefaultVersion: true,
      CreateDate: policy.updated,
    },
  };
}

const DECISION: Record<Decision, EvaluationResult['EvalDecision']> = {
  allow: 'allowed',
  'implicit-deny': 'implicitDeny',
  'explicit-deny': 'explicitDeny',
};

/**
 * Judges a role's policies (or the account root's, which nothing restricts) on each action and
 * resource pair. UNVERIFIED against AWS: one result per pair, and SourcePolicyId is the policy's
 * name (`PolicyInputList.N` for extra input policies).
 */
function simulatePrincipalPolicy(
  input: SimulatePrincipalPolicyCommandInput,
  ctx: RequestContext,
): Output<SimulatePrincipalPolicyCommandOutput> {
  rejectUnsupported('iam', 'SimulatePrincipalPolicy', input, [
    'PermissionsBoundaryPolicyInputList',
    'ResourcePolicy',
    'ResourceOwner',
    'CallerArn',
    'ResourceHandlingOption',
    'MaxItems',
    'Marker',
  ]);
  const source = input.PolicySourceArn!;
  const actions = input.ActionNames ?? [];
  // The Query protocol cannot tell an empty list from none: the model requires the names.
  if (!actions.length)
    throw validationError([constraintText(null, 'actionNames', 'Member must not be null')]);
  const backend = iam(ctx);
  const resources = input.ResourceArns?.length ? input.ResourceArns : ['*'];
  const inputs = (input.PolicyInputList ?? []).map((document, i) => {
    const problem = policyProblem(document);
    if (problem) throw malformed(problem);
    return { name: `PolicyInputList.${i + 1}`, document, type: 'none' as PolicySourceType };
  });

  // The account root is restricted by no identity policy: everything is allowed.
  const root = source === `arn:aws:iam::${ctx.accountId}:root`;
  const role = root ? undefined : backend.roleByArn(source);
  if (!root && !role) throw unknownSource(source, ctx.accountId);
  const policies = [...(role ? backend.identityPolicies(role) : []), ...inputs];
  const principal = role?.arn ?? source;
  const context = contextOf(input.ContextEntries);

  const results: EvaluationResult[] = [];
  for (const action of actions) {
    for (const resource of resources) {
      const { decision, matched } = root
        ? { decision: 'allow' as const, matched: [] }
        : explain(policies, { principal, action, resource, accountId: ctx.accountId, context });
      results.push({
        EvalActionName: action,
        EvalResourceName: resource,
        EvalDecision: DECISION[decision],
        MatchedStatements: matched.map((m) => ({
          SourcePolicyId: m.policy.name,
          SourcePolicyType: m.policy.type,
          StartPosition: m.start,
          EndPosition: m.end,
        })),
        MissingContextValues: [],
      });
    }
  }
  return { EvaluationResults: results, IsTruncated: false };
}

/** The sandbox has roles but no users: a user of the account is simply not found. */
function unknownSource(source: string, accountId: string): AwsError {
  const m = /^arn:aws:iam::(\d{12}):(role|user)\/(?:.*\/)?([^/]+)$/.exec(source);
  if (m?.[1] === accountId) return m[2] === 'role' ? noSuchRole(m[3]!) : noSuchUser(m[3]!);
  return new AwsError(
    'InvalidInput',
    `Invalid Entity Arn: ${source} does not clearly define entity type and name.`,
  );
}

function contextOf(entries: ContextEntry[] | undefined): Record<string, string[]> {
  return Object.fromEntries(
    (entries ?? []).filter((e) => e.ContextKeyName).map((e) => [e.ContextKeyName!, e.ContextKeyValues ?? []]),
  );
}

export const iamService: ServiceDefinition = {
  name: 'iam',
  signingName: 'iam',
  actionPrefix: 'iam',
  query: { xmlNamespace: 'https://iam.amazonaws.com/doc/2010-05-08/' },
  operations: {
    CreateRole: createRole,
    GetRole: getRole,
    DeleteRole: deleteRole,
    UpdateAssumeRolePolicy: updateAssumeRolePolicy,
    ListRoles: listRoles,
    PutRolePolicy: putRolePolicy,
    GetRolePolicy: getRolePolicy,
    ListRolePolicies: listRolePolicies,
    DeleteRolePolicy: deleteRolePolicy,
    AttachRolePolicy: attachRolePolicy,
    DetachRolePolicy: detachRolePolicy,
    ListAttachedRolePolicies: listAttachedRolePolicies,
    CreatePolicy: createPolicy,
    GetPolicy: getPolicy,
    GetPolicyVersion: getPolicyVersion,
    SimulatePrincipalPolicy: simulatePrincipalPolicy,
  },
  readOnly: new Set([
    'GetRole',
    'ListRoles',
    'GetRolePolicy',
    'ListRolePolicies',
    'ListAttachedRolePolicies',
    'GetPolicy',
    'GetPolicyVersion',
    'SimulatePrincipalPolicy',
  ]),
};
