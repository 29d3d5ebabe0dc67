import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_ACCOUNT, type AccountSecrets } from './credentials';

/** A learner of the class and the sandbox account they work in. */
export interface LearnerAccount {
  learnerId: string;
  accountId: string;
}

/** The profile name in every learner's credentials file. */
export const LEARNER_PROFILE = 'lab-sandbox';

/** The instructor's own file: the grader signs in with it (account 000000000000). */
export const INSTRUCTOR_FILE = '_instructor.ini';

/**
 * Class mode's credentials: each learner account, and the instructor's (000000000000), gets a
 * random secret access key and console password, written to `<dir>/<learner id>.ini` (the
 * instructor's to `_instructor.ini`) to hand out: an AWS shared-credentials profile, with the
 * console's address and password in its comments. Secrets already in the files are read back,
 * so a restarted sandbox accepts the credentials handed out before; learners sharing an account
 * share its secrets.
 */
export function learnerCredentials(
  learners: readonly LearnerAccount[],
  dir: string,
  endpoint: string,
): Map<string, AccountSecrets> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const { learnerId, accountId } of learners) {
    if (accountId === DEFAULT_ACCOUNT) {
      throw new Error(
        `Learner ${learnerId} has account ${DEFAULT_ACCOUNT}, the instructor's: give them an account of their own.`,
      );
    }
  }
  const holders = [
    { file: join(dir, INSTRUCTOR_FILE), who: 'the instructor', accountId: DEFAULT_ACCOUNT },
    ...learners.map((l) => ({
      file: join(dir, `${l.learnerId}.ini`),
      who: l.learnerId,
      accountId: l.accountId,
    })),
  ];
  // Secrets any file already holds for an account win, whichever holder is listed first.
  const secrets = new Map<string, AccountSecrets>();
  for (const { file, accountId } of holders) {
    const kept = readCredentials(file, accountId);
    if (kept && !secrets.has(accountId)) secrets.set(accountId, kept);
  }
  for (const { file, who, accountId } of holders) {
    const account = secrets.get(accountId) ?? {
      secretAccessKey: randomBytes(30).toString('base64url'),
      consolePassword: randomBytes(12).toString('base64url'),
    };
    secrets.set(accountId, account);
    writeFileSync(file, credentialsFile(who, accountId, account, endpoint), { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return secrets;
}

function credentialsFile(who: string, accountId: string, secrets: AccountSecrets, endpoint: string) {
  return [
    `# Lab sandbox credentials of ${who}: account ${accountId}. Keep them to yourself.`,
    `# Use: AWS_SHARED_CREDENTIALS_FILE=<this file> AWS_PROFILE=${LEARNER_PROFILE} AWS_ENDPOINT_URL=${endpoint} AWS_REGION=us-east-1`,
    `# Console: ${endpoint}/signin (account ${accountId}, the password below)`,
    `# console_password = ${secrets.consolePassword}`,
    `[${LEARNER_PROFILE}]`,
    `aws_access_key_id = ${accountId}`,
    `aws_secret_access_key = ${secrets.secretAccessKey}`,
    '',
  ].join('\n');
}

/** The secrets a credentials file of this account holds, if there is one. */
function readCredentials(file: string, accountId: string): AccountSecrets | undefined {
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  const value = (key: string) => new RegExp(`^#?\\s*${key}\\s*=\\s*(\\S+)\\s*$`, 'm').exec(text)?.[1];
  if (value('aws_access_key_id') !== accountId) return undefined;
  const secretAccessKey = value('aws_secret_access_key');
  const consolePassword = value('console_password');
  return secretAccessKey && consolePassword ? { secretAccessKey, consolePassword } : undefined;
}
