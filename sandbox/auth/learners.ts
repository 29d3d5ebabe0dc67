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

/**
 * Class mode's credentials: each learner account gets a random secret access key and console
 * password, written to `<dir>/<learner id>.ini` for the instructor to hand out: an AWS
 * shared-credentials profile, with the console's address and password in its comments. A file
 * already there is read back, so a restarted sandbox accepts the credentials handed out before.
 * Learners sharing an account share its secrets.
 */
export function learnerCredentials(
  learners: readonly LearnerAccount[],
  dir: string,
  endpoint: string,
): Map<string, AccountSecrets> {
  const secrets = new Map<string, AccountSecrets>();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const { learnerId, accountId } of learners) {
    if (accountId === DEFAULT_ACCOUNT) {
      throw new Error(
        `Learner ${learnerId} has account ${DEFAULT_ACCOUNT}, the instructor's (key \`test\`): give them an account of their own.`,
      );
    }
    const file = join(dir, `${learnerId}.ini`);
    const account = secrets.get(accountId) ??
      readCredentials(file, accountId) ?? {
        secretAccessKey: randomBytes(30).toString('base64url'),
        consolePassword: randomBytes(12).toString('base64url'),
      };
    secrets.set(accountId, account);
    writeFileSync(file, credentialsFile(learnerId, accountId, account, endpoint), { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return secrets;
}

function credentialsFile(learnerId: string, accountId: string, secrets: AccountSecrets, endpoint: string) {
  return [
    `# Lab sandbox credentials of ${learnerId}: account ${accountId}. Keep them to yourself.`,
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
