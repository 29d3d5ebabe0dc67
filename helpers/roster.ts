import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { Info } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { clientConfig, graderCredentials, optionsForSettings } from './aws-clients';
import { describeError } from './aws-errors';
import type { LabSettings } from './settings';

/** One row of the class roster (`LAB_ROSTER`): whose account, and how the grader gets into it. */
export interface Learner {
  learnerId: string;
  /** The account the learner was given: grading any other account is refused as "wrong account". */
  accountId: string;
  /** The role the grader assumes in the learner's account; empty when `profile` says how. */
  roleArn?: string;
  region: string;
  externalId?: string;
  /** A named profile (shared config/credentials files) used instead of assuming `roleArn`. */
  profile?: string;
}

export class RosterError extends Error {}

const COLUMNS = {
  learner_id: 'learnerId',
  account_id: 'accountId',
  role_arn: 'roleArn',
  region: 'region',
  external_id: 'externalId',
  profile: 'profile',
} as const satisfies Record<string, keyof Learner>;
type Column = keyof typeof COLUMNS;
const REQUIRED: readonly Column[] = ['learner_id', 'account_id', 'role_arn', 'region'];

// Learner ids name files (grades/<id>.json) and Playwright projects: no separators, no spaces.
const LEARNER_ID = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}$/;
const ACCOUNT_ID = /^\d{12}$/;
const ROLE_ARN = /^arn:aws(?:-cn|-us-gov)?:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;
// sts:AssumeRole's ExternalId constraint.
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

/**
 * Reads a roster CSV (header row; columns learner_id, account_id, role_arn, region, and optionally
 * external_id and profile, in any order). Every problem is reported at once, each naming its line
 * and column. Values are kept as text, so account ids keep their leading zeros. Other columns (an
 * LMS export's `email`, `name`) are ignored, each named once through `warn`.
 */
export function parseRoster(
  text: string,
  file = 'roster',
  warn: (message: string) => void = () => {},
): Learner[] {
  let rows: { record: string[]; info: Info }[];
  try {
    // With `info`, each row comes as {record, info}: the typings only know plain rows.
    rows = parse(text, {
      bom: true,
      info: true,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
    }) as unknown as typeof rows;
  } catch (error) {
    throw new RosterError(`${file}: not a readable CSV file: ${(error as Error).message}`);
  }
  const [header, ...records] = rows;
  if (!header)
    throw new RosterError(`${file}: the roster is empty; expected a header row (${REQUIRED.join(', ')}).`);

  const problems: string[] = [];
  const at = (line: number, column: string) => `${file} line ${line}, column ${column}`;
  const positions = new Map<Column, number>();
  header.record.forEach((raw, index) => {
    const name = raw.toLowerCase();
    if (!(name in COLUMNS)) {
      warn(
        `${at(header.info.lines, String(index + 1))}: the column "${raw}" is not the grader's (${Object.keys(COLUMNS).join(', ')}): ignored.`,
      );
    } else if (positions.has(name as Column)) {
      problems.push(`${at(header.info.lines, String(index + 1))}: the column ${name} appears twice.`);
    } else {
      positions.set(name as Column, index);
    }
  });
  for (const column of REQUIRED) {
    if (!positions.has(column))
      problems.push(`${file} line ${header.info.lines}: the header has no ${column} column.`);
  }
  if (problems.length) throw new RosterError(problems.join('\n'));

  const learners: Learner[] = [];
  const seen = new Map<string, number>();
  for (const { record, info } of records) {
    const line = info.lines;
    if (record.length > header.record.length) {
      problems.push(
        `${file} line ${line}: ${record.length} values for ${header.record.length} columns (a comma inside a value needs quotes).`,
      );
      continue;
    }
    const value = (column: Column) => record[positions.get(column) ?? -1] ?? '';
    const problem = (column: Column, message: string) => problems.push(`${at(line, column)}: ${message}`);
    const learner: Learner = {
      learnerId: value('learner_id'),
      accountId: value('account_id'),
      region: value('region'),
      ...(value('role_arn') && { roleArn: value('role_arn') }),
      ...(value('external_id') && { externalId: value('external_id') }),
      ...(value('profile') && { profile: value('profile') }),
    };
    if (!LEARNER_ID.test(learner.learnerId)) {
      problem(
        'learner_id',
        learner.learnerId
          ? `"${learner.learnerId}" may hold only letters, digits and . _ @ + - (at most 64, starting with a letter or digit).`
          : 'the learner id is empty.',
      );
    } else {
      // Compared without case: grades/<id>.json must not collide on case-insensitive file systems.
      const key = learner.learnerId.toLowerCase();
      const first = seen.get(key);
      if (first !== undefined) problem('learner_id', `"${learner.learnerId}" is already on line ${first}.`);
      else seen.set(key, line);
    }
    if (!ACCOUNT_ID.test(learner.accountId)) {
      problem('account_id', `"${learner.accountId}" is not a 12-digit account id (keep its leading zeros).`);
    }
    const roleAccount = learner.roleArn ? ROLE_ARN.exec(learner.roleArn)?.[1] : undefined;
    if (learner.roleArn && !roleAccount) {
      problem(
        'role_arn',
        `"${learner.roleArn}" is not an IAM role ARN (arn:aws:iam::<account>:role/<name>).`,
      );
    } else if (roleAccount && ACCOUNT_ID.test(learner.accountId) && roleAccount !== learner.accountId) {
      // The grader assumes a role in the learner's own account; any other account is the wrong one.
      problem('role_arn', `the role is in account ${roleAccount}, not the learner's ${learner.accountId}.`);
    }
    if (!learner.roleArn && !learner.profile) {
      problem('role_arn', 'empty: give the role the grader assumes, or a profile.');
    }
    if (!REGION.test(learner.region)) {
      problem(
        'region',
        learner.region ? `"${learner.region}" is not an AWS region.` : 'the region is empty.',
      );
    }
    if (learner.externalId && !EXTERNAL_ID.test(learner.externalId)) {
      problem('external_id', 'must be 2 to 1224 characters of letters, digits and + = , . @ : / - _.');
    }
    learners.push(learner);
  }
  if (problems.length) throw new RosterError(problems.join('\n'));
  if (!learners.length) throw new RosterError(`${file}: the roster has a header but no learners.`);
  return learners;
}

export function loadRoster(file: string): Learner[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new RosterError(`LAB_ROSTER=${file} cannot be read: ${(error as Error).message}`);
  }
  return parseRoster(text, file, (message) => console.warn(`Warning: ${message}`));
}

/** The settings as they apply to one learner: their id, region and expected account. */
export function settingsForLearner(settings: LabSettings, learner: Learner): LabSettings {
  return {
    ...settings,
    learner: learner.learnerId,
    region: learner.region,
    expectedAccount: learner.accountId,
  };
}

/** An error the SDK reports as a credentials problem, so the checks say inconclusive with this reason. */
function credentialsError(message: string): Error {
  const error = new Error(message);
  error.name = 'CredentialsProviderError';
  return error;
}

/**
 * How the grader signs in to a learner's account: the named profile through the SDK's own
 * credential chain, else sts:AssumeRole on the roster's role (with its external id) using the
 * grader's own credentials. Sessions are reused until five minutes before they expire.
 */
export function learnerCredentials(
  learner: Learner,
  settings: LabSettings,
  env: NodeJS.ProcessEnv = process.env,
): AwsCredentialIdentityProvider {
  if (learner.profile) {
    // The SDK's default chain with `profile` reads that profile (keys, SSO, role_arn, process).
    const client = new STSClient({ region: learner.region, profile: learner.profile });
    return () => client.config.credentials();
  }
  const roleArn = learner.roleArn!;
  let session: Promise<AwsCredentialIdentity> | undefined;
  let sts: STSClient | undefined;
  const assume = async (): Promise<AwsCredentialIdentity> => {
    // The grader's own credentials assume the learner's role, with the grader's retries.
    sts ??= new STSClient(clientConfig(optionsForSettings(settings, graderCredentials(settings, env))));
    try {
      const { Credentials } = await sts.send(
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: `lab-grader-${learner.learnerId}`.replace(/[^\w+=,.@-]/g, '-').slice(0, 64),
          ...(learner.externalId && { ExternalId: learner.externalId }),
        }),
      );
      return {
        accessKeyId: Credentials!.AccessKeyId!,
        secretAccessKey: Credentials!.SecretAccessKey!,
        sessionToken: Credentials!.SessionToken,
        expiration: Credentials!.Expiration,
      };
    } catch (error) {
      throw credentialsError(
        `The grader could not assume ${roleArn}${learner.externalId ? ' with the roster’s external id' : ''} (sts:AssumeRole): ${describeError(error)}`,
      );
    }
  };
  return async () => {
    const current = await session?.catch(() => undefined);
    if (!current || (current.expiration && current.expiration.getTime() - Date.now() < 300_000)) {
      session = assume();
    }
    return session!;
  };
}
