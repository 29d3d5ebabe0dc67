import type { Tag } from '../auth/credentials';
import {
  deleteConflict,
  noSuchBoundary,
  noSuchPolicy,
  noSuchRole,
  noSuchRolePolicy,
  notAttachable,
  policyExists,
  policyInUse,
  roleExists,
} from './errors';
import { AWS_MANAGED_POLICIES } from './managed';
import { evaluate, trusts, type Decision, type EvaluationRequest, type NamedPolicy } from './policy';
import { nowMs, randomBytes } from '../tape';

/** Who asks to assume a role: an AWS principal (a caller) or a service such as bedrock.amazonaws.com. */
export type AssumingPrincipal = { arn: string; accountId: string } | { service: string };

/** Request context keys a trust policy may test. */
export interface AssumeContext {
  externalId?: string;
  sourceAccount?: string;
  sourceArn?: string;
  /** Session tags the request passes (`aws:RequestTag/<key>`, `aws:TagKeys`). */
  tags?: Tag[];
  /** The request's TransitiveTagKeys (`sts:TransitiveTagKeys`). */
  transitiveTagKeys?: string[];
  /** The calling session's principal tags (`aws:PrincipalTag/<key>`: its role's and its own). */
  principalTags?: Record<string, string>;
}

export interface RoleRecord {
  name: string;
  path: string;
  arn: string;
  id: string;
  created: Date;
  /** The trust policy as the caller wrote it. */
  trustPolicy: string;
  description?: string;
  maxSessionDuration: number;
  /** Inline policies: name -> document text. */
  inline: Map<string, string>;
  /** Managed policy ARNs in attachment order. */
  attached: string[];
  /** Tags in the order given; keys are unique regardless of case. */
  tags: Tag[];
  /** The managed policy ARN that bounds the role's permissions, if any. */
  permissionsBoundary?: string;
}

/** A managed policy as GetPolicy shows it: customer managed (this account) or AWS managed. */
export interface ManagedPolicy {
  name: string;
  path: string;
  arn: string;
  id: string;
  description?: string;
  /** The default version's id and document (a customer managed policy has one version, v1). */
  versionId: string;
  document: string;
  created: Date;
  updated: Date;
  awsManaged: boolean;
}

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role(\/(?:[\u0021-\u007E]+\/)?)?([\w+=,.@-]+)$/;

/** A role ARN's account, path and name; undefined when the text is no role ARN. */
export function parseRoleArn(arn: string): { accountId: string; path: string; name: string } | undefined {
  const m = ROLE_ARN.exec(arn);
  return m ? { accountId: m[1]!, path: m[2] ?? '/', name: m[3]! } : undefined;
}

/** IAM ids: a 4-letter kind prefix and 17 upper-case letters/digits (AROA... roles, ANPA... policies). */
function uniqueId(prefix: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  return prefix + Array.from(randomBytes(17), (b) => alphabet[b % 32]).join('');
}

/** IAM state of one account (IAM is global): roles, their policies, customer managed policies. */
export class IamBackend {
  /** Keyed by lower-case name: IAM names are unique regardless of case. */
  private readonly roles = new Map<string, RoleRecord>();
  private readonly policies = new Map<string, ManagedPolicy>();

  constructor(readonly accountId: string) {}

  // ---- roles ----

  createRole(fields: {
    name: string;
    path: string;
    trustPolicy: string;
    description?: string;
    maxSessionDuration: number;
    tags?: Tag[];
    permissionsBoundary?: string;
  }): RoleRecord {
    if (this.roles.has(fields.name.toLowerCase())) throw roleExists(fields.name);
    if (fields.permissionsBoundary !== undefined && !this.findPolicy(fields.permissionsBoundary)) {
      throw noSuchBoundary(fields.permissionsBoundary);
    }
    const role: RoleRecord = {
      ...fields,
      tags: fields.tags ?? [],
      arn: `arn:aws:iam::${this.accountId}:role${fields.path}${fields.name}`,
      id: uniqueId('AROA'),
      created: new Date(nowMs()),
      inline: new Map(),
      attached: [],
    };
    this.roles.set(fields.name.toLowerCase(), role);
    return role;
  }

  findRole(name: string): RoleRecord | undefined {
    return this.roles.get(name.toLowerCase());
  }

  getRole(name: string): RoleRecord {
    const role = this.findRole(name);
    if (!role) throw noSuchRole(name);
    return role;
  }

  deleteRole(name: string): void {
    const role = this.getRole(name);
    // UNVERIFIED which of the two conflicts AWS reports first when both apply.
    if (role.attached.length) throw deleteConflict('attached');
    if (role.inline.size) throw deleteConflict('inline');
    this.roles.delete(name.toLowerCase());
  }

  listRoles(pathPrefix = '/'): RoleRecord[] {
    return [...this.roles.values()]
      .filter((r) => r.path.startsWith(pathPrefix))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  putRolePolicy(roleName: string, policyName: string, document: string): void {
    this.getRole(roleName).inline.set(policyName, document);
  }

  getRolePolicy(roleName: string, policyName: string): string {
    const document = this.getRole(roleName).inline.get(policyName);
    if (document === undefined) throw noSuchRolePolicy(policyName);
    return document;
  }

  deleteRolePolicy(roleName: string, policyName: string): void {
    if (!this.getRole(roleName).inline.delete(policyName)) throw noSuchRolePolicy(policyName);
  }

  attachRolePolicy(roleName: string, policyArn: string): void {
    const role = this.getRole(roleName);
    if (!this.findPolicy(policyArn)) throw notAttachable(policyArn);
    if (!role.attached.includes(policyArn)) role.attached.push(policyArn);
  }

  detachRolePolicy(roleName: string, policyArn: string): void {
    const role = this.getRole(roleName);
    const index = role.attached.indexOf(policyArn);
    if (index < 0) throw noSuchPolicy(policyArn);
    role.attached.splice(index, 1);
  }

  /** Sets (or replaces) the managed policy that bounds the role's permissions. */
  putRolePermissionsBoundary(roleName: string, policyArn: string): void {
    const role = this.getRole(roleName);
    if (!this.findPolicy(policyArn)) throw noSuchBoundary(policyArn);
    role.permissionsBoundary = policyArn;
  }

  /** UNVERIFIED: removing a boundary the role does not have succeeds, as it changes nothing. */
  deleteRolePermissionsBoundary(roleName: string): void {
    delete this.getRole(roleName).permissionsBoundary;
  }

  // ---- managed policies ----

  createPolicy(fields: {
    name: string;
    path: string;
    document: string;
    description?: string;
  }): ManagedPolicy {
    if ([...this.policies.values()].some((p) => p.name.toLowerCase() === fields.name.toLowerCase())) {
      throw policyExists(fields.name);
    }
    const now = new Date(nowMs());
    const policy: ManagedPolicy = {
      ...fields,
      arn: `arn:aws:iam::${this.accountId}:policy${fields.path}${fields.name}`,
      id: uniqueId('ANPA'),
      versionId: 'v1',
      created: now,
      updated: now,
      awsManaged: false,
    };
    this.policies.set(policy.arn, policy);
    return policy;
  }

  /** A customer managed policy of this account or an AWS managed policy. */
  findPolicy(arn: string): ManagedPolicy | undefined {
    const own = this.policies.get(arn);
    if (own) return own;
    const aws = AWS_MANAGED_POLICIES.get(arn);
    return aws && { ...aws, awsManaged: true };
  }

  getPolicy(arn: string): ManagedPolicy {
    const policy = this.findPolicy(arn);
    if (!policy) throw noSuchPolicy(arn);
    return policy;
  }

  /**
   * Deletes a customer managed policy of this account that no role uses. An AWS managed policy is
   * none of the account's: not found (UNVERIFIED: AWS's answer to deleting one).
   */
  deletePolicy(arn: string): void {
    if (!this.policies.has(arn)) throw noSuchPolicy(arn);
    if (this.attachmentCount(arn) || this.boundaryUsageCount(arn)) throw policyInUse();
    this.policies.delete(arn);
  }

  /** How many of this account's roles have the policy attached. */
  attachmentCount(arn: string): number {
    return [...this.roles.values()].filter((r) => r.attached.includes(arn)).length;
  }

  /** How many of this account's roles the policy bounds. */
  boundaryUsageCount(arn: string): number {
    return [...this.roles.values()].filter((r) => r.permissionsBoundary === arn).length;
  }

  /**
   * What the role's policies decide on a request: its identity policies, and its permissions
   * boundary when it has one. The role may act only where both allow.
   */
  roleDecisions(role: RoleRecord, request: EvaluationRequest): { identity: Decision; boundary?: Decision } {
    const identity = evaluate(this.identityPolicies(role), request);
    const bound = role.permissionsBoundary ? this.findPolicy(role.permissionsBoundary) : undefined;
    if (!bound) return { identity };
    return { identity, boundary: evaluate([{ name: bound.name, document: bound.document }], request) };
  }

  /** A role's inline policies and the documents of its attached managed policies. */
  identityPolicies(role: RoleRecord): (NamedPolicy & { type: 'role' | 'aws-managed' | 'user-managed' })[] {
    const inline = [...role.inline].map(([name, document]) => ({ name, document, type: 'role' as const }));
    const attached = role.attached.flatMap((arn) => {
      const p = this.findPolicy(arn);
      const type = p?.awsManaged ? ('aws-managed' as const) : ('user-managed' as const);
      return p ? [{ name: p.name, document: p.document, type }] : [];
    });
    return [...inline, ...attached];
  }

  // ---- cross-service API ----

  /** The role of this account that an ARN names (path included), if it exists. */
  roleByArn(roleArn: string): RoleRecord | undefined {
    const arn = parseRoleArn(roleArn);
    if (arn?.accountId !== this.accountId) return undefined;
    const role = this.findRole(arn.name);
    return role && role.path === arn.path ? role : undefined;
  }

  /**
   * Does the role exist and does its trust policy let this principal assume it (`sts:AssumeRole`),
   * or tag the session it asks for (`sts:TagSession`, needed whenever session tags are passed)?
   */
  canAssume(
    roleArn: string,
    principal: AssumingPrincipal,
    context: AssumeContext,
    action: 'sts:AssumeRole' | 'sts:TagSession' = 'sts:AssumeRole',
  ): boolean {
    const role = this.roleByArn(roleArn);
    if (!role) return false;
    const keys: Record<string, string | string[]> = {};
    if (context.externalId !== undefined) keys['sts:ExternalId'] = context.externalId;
    if (context.sourceAccount !== undefined) keys['aws:SourceAccount'] = context.sourceAccount;
    if (context.sourceArn !== undefined) keys['aws:SourceArn'] = context.sourceArn;
    if (context.tags?.length) {
      for (const tag of context.tags) keys[`aws:RequestTag/${tag.Key}`] = tag.Value;
      keys['aws:TagKeys'] = context.tags.map((t) => t.Key);
    }
    if (context.transitiveTagKeys?.length) keys['sts:TransitiveTagKeys'] = context.transitiveTagKeys;
    if ('arn' in principal) {
      keys['aws:PrincipalArn'] = principalArn(principal.arn);
      keys['aws:PrincipalAccount'] = principal.accountId;
    }
    // A session's own tags and its role's, as the trust policy's aws:PrincipalTag/<key>.
    Object.assign(keys, context.principalTags);
    return trusts(role.trustPolicy, {
      principal: 'arn' in principal ? principal.arn : principal.service,
      action,
      resource: role.arn,
      accountId: this.accountId,
      context: keys,
    });
  }

  /** Do the role's identity policies (within its permissions boundary) allow `action` on `resource`? */
  roleAllows(roleArn: string, action: string, resource: string): boolean {
    const role = this.roleByArn(roleArn);
    if (!role) return false;
    const { identity, boundary = 'allow' } = this.roleDecisions(role, {
      principal: role.arn,
      action,
      resource,
      accountId: this.accountId,
      context: { 'aws:PrincipalArn': role.arn, 'aws:PrincipalAccount': this.accountId },
    });
    return identity === 'allow' && boundary === 'allow';
  }
}

/** A session's `aws:PrincipalArn` is its role's ARN, as AWS reports it. */
function principalArn(arn: string): string {
  const m = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/.exec(arn);
  return m ? `arn:aws:iam::${m[1]}:role/${m[2]}` : arn;
}
