import { CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createClients } from '../helpers/aws-clients';
import type { Grade } from '../helpers/grade-contract';
import { graderCommand, graderEnvironment, REGION } from './run-grader';

const ROOT = resolve(__dirname, '..');

export const GRADER_ROLE = 'LabGrader';

/** One learner's grade from a class run's reports. */
export function grade(reportsDir: string, learner: string): Grade {
  return JSON.parse(readFileSync(join(reportsDir, 'grades', `${learner}.json`), 'utf8')) as Grade;
}

/**
 * What an instructor asks each learner to create: a role the grader's account may assume with
 * the class's external id, allowed exactly the grader policy. Returns its ARN.
 */
export async function grantGrader(
  endpoint: string,
  learnerAccount: string,
  graderAccount: string,
  externalId: string,
  policy: string,
): Promise<string> {
  const { iam } = createClients({
    region: REGION,
    endpoint,
    credentials: { accessKeyId: learnerAccount, secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  const { Role } = await iam.send(
    new CreateRoleCommand({
      RoleName: GRADER_ROLE,
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${graderAccount}:root` },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'sts:ExternalId': externalId } },
          },
        ],
      }),
    }),
  );
  await iam.send(
    new PutRolePolicyCommand({
      RoleName: GRADER_ROLE,
      PolicyName: 'LabGraderReadOnly',
      PolicyDocument: policy,
    }),
  );
  iam.destroy();
  return Role!.Arn!;
}

export interface RosterRow {
  learner_id: string;
  account_id: string;
  role_arn: string;
  region: string;
  /** A named profile instead of the role. */
  profile?: string;
  external_id?: string;
}

export function writeRoster(dir: string, rows: RosterRow[]): string {
  const file = join(dir, 'roster.csv');
  const lines = rows.map((r) =>
    [r.learner_id, r.account_id, r.role_arn, r.region, r.external_id ?? '', r.profile ?? ''].join(','),
  );
  writeFileSync(file, ['learner_id,account_id,role_arn,region,external_id,profile', ...lines, ''].join('\n'));
  return file;
}

export interface ChildRun {
  exitCode: number;
  output: string;
}

/** A class run's environment: the grader's own credentials, whose account assumes each learner's role. */
function childEnv(options: {
  sandboxUrl: string;
  graderAccount: string;
  reportsDir: string;
  env?: Record<string, string>;
}): NodeJS.ProcessEnv {
  return graderEnvironment({ ...options, accountId: options.graderAccount });
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<ChildRun> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      args,
      { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        done({
          exitCode: error ? ((error as { code?: number }).code ?? 1) : 0,
          output: `${stdout}\n${stderr}`,
        });
      },
    );
  });
}

/** The real grader, in a child process, as an instructor runs it on a roster: API checks only. */
export function runClassGrader(options: {
  sandboxUrl: string;
  graderAccount: string;
  reportsDir: string;
  roster?: string;
  args?: string[];
  env?: Record<string, string>;
}): Promise<ChildRun> {
  return run(
    graderCommand(options.args),
    childEnv({ ...options, env: { ...(options.roster && { LAB_ROSTER: options.roster }), ...options.env } }),
  );
}

/** `npm run merge-reports`, in a child process. */
export function mergeReports(options: {
  sandboxUrl: string;
  graderAccount: string;
  reportsDir: string;
  roster?: string;
  env?: Record<string, string>;
}): Promise<ChildRun> {
  return run(
    [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'scripts', 'merge-reports.ts')],
    childEnv({ ...options, env: { ...(options.roster && { LAB_ROSTER: options.roster }), ...options.env } }),
  );
}
