import { CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createClients } from '../helpers/aws-clients';
import type { Grade } from '../helpers/grade-contract';
import { REGION } from './run-grader';

const ROOT = resolve(__dirname, '..');
const PLAYWRIGHT = join(ROOT, 'node_modules', '@playwright', 'test', 'cli.js');

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

function childEnv(options: {
  sandboxUrl: string;
  graderAccount: string;
  reportsDir: string;
  env?: Record<string, string>;
}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LAB_MODE: 'grade',
    LAB_TARGET: 'local',
    LAB_SANDBOX_URL: options.sandboxUrl,
    // The grader's own credentials: its account assumes each learner's role.
    AWS_ACCESS_KEY_ID: options.graderAccount,
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: REGION,
    LAB_REPORTS_DIR: options.reportsDir,
    LAB_INGESTION_TIMEOUT: '3',
    ...options.env,
  };
  // The parent's test-runner variables would make the child think it is a worker of this run.
  for (const key of Object.keys(env)) if (key.startsWith('TEST_') || key.startsWith('PW_')) delete env[key];
  delete env.CI;
  delete env.GITHUB_STEP_SUMMARY;
  return env;
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
    [
      PLAYWRIGHT,
      'test',
      '--config',
      join(ROOT, 'playwright.config.ts'),
      '--grep-invert',
      '@console',
      ...(options.args ?? []),
    ],
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
