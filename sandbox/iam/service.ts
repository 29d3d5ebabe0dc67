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
import { AwsError, constraintText, rangeConstraint, rejectUnsupported } from '../protocols/errors';
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
 * AWS sends them: the SDK does not decode them, callers use `decodeURIComponent`.
 */

const NAME = /^[\w+=,.@-]+$/;
const PATH = /^(\/|\/[\u0021-\u007E]+\/)$/;

/** Collects AWS's `Value 'x' at 'member' failed to satisfy constraint: ...` problems. */
class Checks {
  readonly problems: string[] = [];

  fail(value: unknown, member: string, constraint: string) {
    this.problems.push(constraintText(value, member, `Member must ${constraint}`));
  }

  required(value: unknown, member: string): value is string {
    if (value === undefined || value === '') {
      this.fail(undefined, member, 'not be null');
      return false;
    }
    return true;
  }

  name(value: string | undefined, member: string, max: number): string {
    if (!this.required(value, member)) return '';
    if (value.length > max) this.fail(value, member, `have length less than or equal to ${max}`);
    else if (!NAME.test(value)) this.fail(value, member, 'satisfy regular expression pattern: [\\w+=,.@-]+');
    return value;
  }

  path(value: string | undefined, member: string): string {
    if (value === undefined) return '/';
    if (value.length > 512) this.fail(value, member, 'have length less than or equal to 512');
    else if (!PATH.test(value)) {
      this.fail(
        value,
        member,
        'satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)',
      );
    }
    return value;
  }

  arn(value: string | undefined, member: string): string {
    if (!this.required(value, member)) return '';
    if (value.length < 20) this.fail(value, member, 'have length greater than or equal to 20');
    return value;
  }

  text(value: string | undefined, member: string, max: number): string {
    if (!this.required(value, member)) return '';
    if (value.length > max) this.fail(value, member, `have length less than or equal to ${max}`);
    return value;
  }

  /** A whole number within [min, max] (the Query protocol sends it as text); `fallback` when absent. */
  integer(value: unknown, member: string, min: number, max: number, fallback: number): number {
    if (value === undefined) return fallback;
    const n = Number(value);
    // UNVERIFIED text for a number that is not whole (the SDK never sends one).
    const broken = Number.isInteger(n) ? rangeConstraint(n, min, max) : 'Member must be a whole number';
    if (broken) this.problems.push(constraintText(value, member, broken));
    return n;
  }

  /** Throws the collected problems, if any, before anything changes. */
  done(): void {
    if (this.problems.length) throw validationError(this.problems);
  }
}

const iam = (ctx: RequestContext): IamBackend => ctx.world.iam.get(ctx.accountId);
const encode = (document: string) => encodeURIComponent(document);

function roleOf(role: RoleRecord): Role {
  return {
    Path: role.path,
    RoleName: role.name,
    RoleId: role.id,
    Arn: role.arn,
    CreateDate: role.created,
    AssumeRolePolicyDocument: encode(role.trustPolicy),
    Description: role.description,
    MaxSessionDuration: role.maxSessionDuration,
  };
}

function policyOf(policy: ManagedPolicy, attachments: number): Policy {
  return {
    PolicyName: policy.name,
    PolicyId: policy.id,
    Arn: policy.arn,
    Path: policy.path,
    DefaultVersionId: 'v1',
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
  const checks = new Checks();
  const max = checks.integer(maxItems, 'maxItems', 1, 1000, 100);
  checks.done();
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
  const checks = new Checks();
  const name = checks.name(input.RoleName, 'roleName', 64);
  const path = checks.path(input.Path, 'path');
  const trust = checks.text(input.AssumeRolePolicyDocument, 'assumeRolePolicyDocument', 131072);
  const duration = checks.integer(input.MaxSessionDuration, 'maxSessionDuration', 3600, 43200, 3600);
  if (input.Description !== undefined && input.Description.length > 1000) {
    checks.fail(input.Description, 'description', 'have length less than or equal to 1000');
  }
  checks.done();
  const problem = trustProblem(trust);
  if (problem) throw malformed(problem);
  const role = iam(ctx).createRole({
    name,
    path,
    trustPolicy: trust,
    description: input.Description,
    maxSessionDuration: duration,
  });
  return { Role: roleOf(role) };
}

function getRole(input: GetRoleCommandInput, ctx: RequestContext): Output<GetRoleCommandOutput> {
  const checks = new Checks();
  const name = checks.name(input.RoleName, 'roleName', 64);
  checks.done();
  // RoleLastUsed is empty until the role is used; the sandbox does not track use.
  return { Role: { ...roleOf(iam(ctx).getRole(name)), RoleLastUsed: {} } };
}

function updateAssumeRolePolicy(input: UpdateAssumeRolePolicyCommandInput, ctx: RequestContext): object {
  const checks = new Checks();
  const name = checks.name(input.RoleName, 'roleName', 64);
  const trust = checks.text(input.PolicyDocument, 'policyDocument', 131072);
  checks.done();
  const role = iam(ctx).getRole(name);
  const problem = trustProblem(trust);
  if (problem) throw malformed(problem);
  role.trustPolicy = trust;
  return {};
}

function deleteRole(input: DeleteRoleCommandInput, ctx: RequestContext): object {
  const checks = new Checks();
  const name = checks.name(input.RoleName, 'roleName', 64);
  checks.done();
  iam(ctx).deleteRole(name);
  return {};
}

function listRoles(input: ListRolesCommandInput, ctx: RequestContext): Output<ListRolesCommandOutput> {
  const checks = new Checks();
  const prefix = input.PathPrefix ?? '/';
  if (!/^\u002F[\u0021-\u007F]*$/.test(prefix)) {
    checks.fail(prefix, 'pathPrefix', 'satisfy regular expression pattern: \\u002F[\\u0021-\\u007F]*');
  }
  checks.done();
  const { items, ...more } = paged(iam(ctx).listRoles(prefix), input.Marker, input.MaxItems);
  return { Roles: items.map(roleOf), ...more };
}

function putRolePolicy(input: PutRolePolicyCommandInput, ctx: RequestContext): object {
  const checks = new Checks();
  const role = checks.name(input.RoleName, 'roleName', 64);
  const name = checks.name(input.PolicyName, 'policyName', 128);
  const document = checks.text(input.PolicyDocument, 'policyDocument', 131072);
  checks.done();
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
  const checks = new Checks();
  const role = checks.name(input.RoleName, 'roleName', 64);
  const name = checks.name(input.PolicyName, 'policyName', 128);
  checks.done();
  const backend = iam(ctx);
  const document = backend.getRolePolicy(role, name);
  return { RoleName: backend.getRole(role).name, PolicyName: name, PolicyDocument: encode(document) };
}

function listRolePolicies(
  input: ListRolePoliciesCommandInput,
  ctx: RequestContext,
): Output<ListRolePoliciesCommandOutput> {
  const checks = new Checks();
  const role = checks.name(input.RoleName, 'roleName', 64);
  checks.done();
  const names = [...iam(ctx).getRole(role).inline.keys()].sort();
  const { items, ...more } = paged(names, input.Marker, input.MaxItems);
  return { PolicyNames: items, ...more };
}

function deleteRolePolicy(input: DeleteRolePolicyCommandInput, ctx: RequestContext): object {
  const checks = new Checks();
  const role = checks.name(input.RoleName, 'roleName', 64);
  const name = checks.name(input.PolicyName, 'policyName', 128);
  checks.done();
  iam(ctx).deleteRolePolicy(role, name);
  return {};
}

const POLICY_ARN = /^arn:aws:iam::(\d{12}|aws):policy\/(?:[\u0021-\u007E]+\/)?[\w+=,.@-]+$/;

function policyArn(checks: Checks, value: string | undefined): string {
  const arn = checks.arn(value, 'policyArn');
  checks.done();
  if (!POLICY_ARN.test(arn)) throw invalidArn(arn);
  return arn;
}

function attachRolePolicy(input: AttachRolePolicyCommandInput, ctx: RequestContext): object {
  const checks = new Checks();
  const role = checks.name(input.RoleName, 'roleName', 64);
  iam(ctx).attachRolePolicy(role, policyArn(checks, input.PolicyArn));
  return {};
}

function detachRolePolicy(input: DetachRolePolicyCommandInput, ctx: RequestContext): object {
  const checks = new Checks();
  const role = checks.name(input.RoleName, 'roleName', 64);
  iam(ctx).detachRolePolicy(role, policyArn(checks, input.PolicyArn));
  return {};
}

function listAttachedRolePolicies(
  input: ListAttachedRolePoliciesCommandInput,
  ctx: RequestContext,
): Output<ListAttachedRolePoliciesCommandOutput> {
  const checks = new Checks();
  const role = checks.name(input.RoleName, 'roleName', 64);
  const prefix = input.PathPrefix ?? '/';
  checks.done();
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
  const checks = new Checks();
  const name = checks.name(input.PolicyName, 'policyName', 128);
  const path = checks.path(input.Path, 'path');
  const document = checks.text(input.PolicyDocument, 'policyDocument', 131072);
  checks.done();
  const problem = policyProblem(document);
  if (problem) throw malformed(problem);
  const policy = iam(ctx).createPolicy({ name, path, document, description: input.Description });
  // CreatePolicy's answer leaves the description out; GetPolicy shows it.
  return { Policy: { ...policyOf(policy, 0), Description: undefined } };
}

function getPolicy(input: GetPolicyCommandInput, ctx: RequestContext): Output<GetPolicyCommandOutput> {
  const arn = policyArn(new Checks(), input.PolicyArn);
  const backend = iam(ctx);
  return { Policy: policyOf(backend.getPolicy(arn), backend.attachmentCount(arn)) };
}

function getPolicyVersion(
  input: GetPolicyVersionCommandInput,
  ctx: RequestContext,
): Output<GetPolicyVersionCommandOutput> {
  const checks = new Checks();
  const version = checks.text(input.VersionId, 'versionId', 128);
  if (version && !/^v[1-9][0-9]*(\.[A-Za-z0-9-]*)?$/.test(version)) {
    checks.fail(version, 'versionId', 'satisfy regular expression pattern: v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?');
  }
  const arn = policyArn(checks, input.PolicyArn);
  const policy = iam(ctx).getPolicy(arn);
  if (version !== 'v1') throw noSuchPolicyVersion(arn, version);
  return {
    PolicyVersion: {
      Document: encode(policy.document),
      VersionId: 'v1',
      IsDefaultVersion: true,
      CreateDate: policy.created,
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
  const checks = new Checks();
  const source = checks.arn(input.PolicySourceArn, 'policySourceArn');
  const actions = input.ActionNames ?? [];
  if (!actions.length) checks.required(undefined, 'actionNames');
  checks.done();
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
