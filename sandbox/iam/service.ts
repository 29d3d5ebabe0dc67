import { iamAccess } from './access';
import type {
  AttachedPolicy,
  AttachRolePolicyCommandInput,
  ContextEntry,
  CreatePolicyCommandInput,
  CreatePolicyCommandOutput,
  CreateRoleCommandInput,
  CreateRoleCommandOutput,
  DeletePolicyCommandInput,
  DeleteRoleCommandInput,
  DeleteRolePermissionsBoundaryCommandInput,
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
  PutRolePermissionsBoundaryCommandInput,
  PutRolePolicyCommandInput,
  Role,
  SimulatePrincipalPolicyCommandInput,
  SimulatePrincipalPolicyCommandOutput,
} from '@aws-sdk/client-iam';
import { AwsError, constraintText, rejectUnsupported } from '../protocols/errors';
import type { RequestContext, ServiceDefinition } from '../service';
import type { Tag } from '../auth/credentials';
import type { IamBackend, ManagedPolicy, RoleRecord } from './backend';
import {
  duplicateTagKeys,
  invalidArn,
  invalidBoundary,
  malformed,
  noSuchPolicyVersion,
  noSuchRole,
  noSuchUser,
  validationError,
} from './errors';
import { evaluate, explain, policyProblem, trustProblem, type Decision } from './policy';

type Output<T> = Omit<T, '$metadata'>;

/**
 * IAM over the Query protocol. Policy documents come in as JSON text and go out URL-encoded, as
 * AWS sends them: the SDK does not decode them, callers use `decodeURIComponent`. Names, paths,
 * ARNs, documents and MaxItems keep the model's constraints before any handler runs
 * (protocols/input-constraints.ts); numbers arrive as text.
 */

const iam = (ctx: RequestContext): IamBackend => ctx.world.iam.get(ctx.accountId);
const encode = (document: string) => encodeURIComponent(document);

/**
 * A role as IAM answers it. MaxSessionDuration comes from GetRole and ListRoles, not CreateRole;
 * ListRoles leaves out the tags and the permissions boundary, as AWS's listings do (recorded).
 */
function roleOf(role: RoleRecord, view: 'create' | 'get' | 'list'): Role {
  return {
    Path: role.path,
    RoleName: role.name,
    RoleId: role.id,
    Arn: role.arn,
    CreateDate: role.created,
    AssumeRolePolicyDocument: encode(role.trustPolicy),
    Description: role.description,
    ...(view !== 'create' && { MaxSessionDuration: role.maxSessionDuration }),
    ...(view !== 'list' &&
      role.permissionsBoundary !== undefined && {
        PermissionsBoundary: {
          PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
          PermissionsBoundaryArn: role.permissionsBoundary,
        },
      }),
    ...(view !== 'list' && role.tags.length > 0 && { Tags: role.tags.map((t) => ({ ...t })) }),
  };
}

function policyOf(policy: ManagedPolicy, backend: IamBackend): Policy {
  return {
    PolicyName: policy.name,
    PolicyId: policy.id,
    Arn: policy.arn,
    Path: policy.path,
    DefaultVersionId: policy.versionId,
    AttachmentCount: backend.attachmentCount(policy.arn),
    PermissionsBoundaryUsageCount: backend.boundaryUsageCount(policy.arn),
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

/** Tags as the model checked them (key and value given); keys must differ regardless of case. */
function roleTags(tags: CreateRoleCommandInput['Tags']): Tag[] {
  const list = (tags ?? []).map((t) => ({ Key: t.Key!, Value: t.Value ?? '' }));
  const keys = new Set(list.map((t) => t.Key.toLowerCase()));
  if (keys.size < list.length) throw duplicateTagKeys('InvalidInput');
  return list;
}

/** A permissions boundary must name a managed policy (its existence is the backend's to check). */
function boundaryArn(arn: string): string {
  if (!POLICY_ARN.test(arn)) throw invalidBoundary(arn);
  return arn;
}

function createRole(input: CreateRoleCommandInput, ctx: RequestContext): Output<CreateRoleCommandOutput> {
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
    tags: roleTags(input.Tags),
    permissionsBoundary:
      input.PermissionsBoundary === undefined ? undefined : boundaryArn(input.PermissionsBoundary),
  });
  return { Role: roleOf(role, 'create') };
}

function getRole(input: GetRoleCommandInput, ctx: RequestContext): Output<GetRoleCommandOutput> {
  // RoleLastUsed is empty until the role is used; the sandbox does not track use.
  return { Role: { ...roleOf(iam(ctx).getRole(input.RoleName!), 'get'), RoleLastUsed: {} } };
}

function putRolePermissionsBoundary(
  input: PutRolePermissionsBoundaryCommandInput,
  ctx: RequestContext,
): object {
  iam(ctx).putRolePermissionsBoundary(input.RoleName!, boundaryArn(input.PermissionsBoundary!));
  return {};
}

function deleteRolePermissionsBoundary(
  input: DeleteRolePermissionsBoundaryCommandInput,
  ctx: RequestContext,
): object {
  iam(ctx).deleteRolePermissionsBoundary(input.RoleName!);
  return {};
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
  return { Roles: items.map((r) => roleOf(r, 'list')), ...more };
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
  const backend = iam(ctx);
  const policy = backend.createPolicy({ name, path, document, description: input.Description });
  // CreatePolicy's answer leaves the description out; GetPolicy shows it.
  return { Policy: { ...policyOf(policy, backend), Description: undefined } };
}

function getPolicy(input: GetPolicyCommandInput, ctx: RequestContext): Output<GetPolicyCommandOutput> {
  const arn = policyArn(input.PolicyArn!);
  const backend = iam(ctx);
  return { Policy: policyOf(backend.getPolicy(arn), backend) };
}

/** Only this account's own policies can be deleted, once no role uses them. */
function deletePolicy(input: DeletePolicyCommandInput, ctx: RequestContext): object {
  iam(ctx).deletePolicy(policyArn(input.PolicyArn!));
  return {};
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
  // A role's permissions boundary limits what its policies allow (UNVERIFIED: the detail's form).
  const bound = role?.permissionsBoundary ? backend.findPolicy(role.permissionsBoundary) : undefined;

  const results: EvaluationResult[] = [];
  for (const action of actions) {
    for (const resource of resources) {
      const request = { principal, action, resource, accountId: ctx.accountId, context };
      const { decision, matched } = root
        ? { decision: 'allow' as const, matched: [] }
        : explain(policies, request);
      const boundary = bound && evaluate([{ name: bound.name, document: bound.document }], request);
      const final: Decision =
        !boundary || decision === 'explicit-deny' || boundary === 'allow' ? decision : boundary;
      results.push({
        EvalActionName: action,
        EvalResourceName: resource,
        EvalDecision: DECISION[final],
        ...(boundary && {
          PermissionsBoundaryDecisionDetail: { AllowedByPermissionsBoundary: boundary === 'allow' },
        }),
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
  access: iamAccess,
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
    PutRolePermissionsBoundary: putRolePermissionsBoundary,
    DeleteRolePermissionsBoundary: deleteRolePermissionsBoundary,
    CreatePolicy: createPolicy,
    GetPolicy: getPolicy,
    DeletePolicy: deletePolicy,
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
