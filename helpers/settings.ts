import { config as loadDotenv } from 'dotenv';

/**
 * Every setting of the grader, read once from the environment (and `.env`, which never
 * overrides the environment). `.env.example` documents each one. A lab's own settings are its
 * definition's to read (`readSettings`), with the readers exported here.
 */
export interface LabSettings {
  /** The lab graded (`LAB`): a lab in specs/ by name, or a lab's folder (helpers/lab-definition.ts). */
  lab?: string;
  mode: 'run' | 'grade';
  target: 'local' | 'aws';
  sandboxUrl: string;
  region: string;
  expectedAccount?: string;
  reportsDir: string;
  /** Seconds to wait for log events to become queryable. */
  ingestionTimeoutSec: number;
  /** Start of the lab window, epoch ms. */
  since: number;
  cleanup: boolean;
  evidence: 'redacted' | 'full';
  learner: string;
  /** A role the console checks assume to sign in (`LAB_CONSOLE_ROLE_ARN`); unset: GetFederationToken. */
  consoleRoleArn?: string;
  /** A class roster CSV (`LAB_ROSTER`): every learner on it is graded in one run. */
  roster?: string;
  /** How many learners of a roster are graded at once (Playwright workers); unset: `workers`. */
  concurrency?: number;
  /** Playwright workers (`LAB_WORKERS`): checks wait on the network, so more than the cores. */
  workers: number;
  /** Where to write what AWS answered (`LAB_RECORD`): helpers/recording.ts. */
  record?: string;
  /** Grade offline from the recordings in this folder (`LAB_REPLAY`). */
  replay?: string;
}

export class SettingsError extends Error {}

export type Env = Record<string, string | undefined>;

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const value = env[name]?.trim() || fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new SettingsError(`${name}=${value} is not valid: expected one of ${allowed.join(', ')}.`);
  }
  return value as T;
}

export function positiveNumber(env: Env, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    throw new SettingsError(`${name}=${raw} is not valid: expected a positive number.`);
  }
  return value;
}

export function flag(env: Env, name: string): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw || raw === '0' || raw === 'false' || raw === 'no') return false;
  if (raw === '1' || raw === 'true' || raw === 'yes') return true;
  throw new SettingsError(`${name}=${env[name]} is not valid: expected 1 or 0.`);
}

/** `7d`, `36h`, `90m`, or an ISO date; the window starts there. */
export function parseSince(raw: string | undefined, now: number): number {
  const value = raw?.trim() || '7d';
  const relative = /^(\d+(?:\.\d+)?)\s*([mhd])$/.exec(value);
  if (relative) {
    const unit = { m: 60_000, h: 3_600_000, d: 86_400_000 }[relative[2] as 'm' | 'h' | 'd'];
    return now - Number(relative[1]) * unit;
  }
  const date = Date.parse(value);
  if (Number.isNaN(date)) {
    throw new SettingsError(
      `LAB_SINCE=${value} is not valid: expected a duration such as 7d, 36h, 90m, or an ISO date.`,
    );
  }
  return date;
}

export function readSettings(env: Env = process.env, now = Date.now()): LabSettings {
  const lab = env.LAB?.trim() || undefined;
  const target = oneOf(env, 'LAB_TARGET', ['local', 'aws'] as const, 'local');
  const expectedAccount = env.LAB_EXPECTED_ACCOUNT?.trim() || undefined;
  if (expectedAccount && !/^\d{12}$/.test(expectedAccount)) {
    throw new SettingsError(
      `LAB_EXPECTED_ACCOUNT=${expectedAccount} is not valid: expected a 12-digit account id.`,
    );
  }
  const consoleRoleArn = env.LAB_CONSOLE_ROLE_ARN?.trim() || undefined;
  if (consoleRoleArn && !/^arn:aws[\w-]*:iam::\d{12}:role\/.+$/.test(consoleRoleArn)) {
    throw new SettingsError(
      `LAB_CONSOLE_ROLE_ARN=${consoleRoleArn} is not valid: expected a role ARN such as arn:aws:iam::123456789012:role/LabConsole.`,
    );
  }
  const mode = oneOf(env, 'LAB_MODE', ['run', 'grade'] as const, 'grade');
  const roster = env.LAB_ROSTER?.trim() || undefined;
  if (roster && mode === 'run') {
    throw new SettingsError(
      `LAB_ROSTER=${roster} grades a class, and only in grade mode: LAB_MODE=run would change every learner's account. Unset LAB_MODE (or set LAB_MODE=grade) to grade the roster, or unset LAB_ROSTER to run the lab in one account.`,
    );
  }
  const record = env.LAB_RECORD?.trim() || undefined;
  const replay = env.LAB_REPLAY?.trim() || undefined;
  if (record && replay) {
    throw new SettingsError(
      `LAB_RECORD=${record} and LAB_REPLAY=${replay} are both set: a run either records what AWS answers or grades from a recording, not both.`,
    );
  }
  if (replay && mode === 'run') {
    throw new SettingsError(
      `LAB_REPLAY=${replay} grades from a recording, which cannot carry out the lab: unset LAB_MODE (or set LAB_MODE=grade).`,
    );
  }
  return {
    lab,
    mode,
    target,
    sandboxUrl: (env.LAB_SANDBOX_URL?.trim() || 'http://127.0.0.1:4566').replace(/\/$/, ''),
    region: env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || 'us-east-1',
    expectedAccount,
    reportsDir: env.LAB_REPORTS_DIR?.trim() || 'reports',
    ingestionTimeoutSec: positiveNumber(env, 'LAB_INGESTION_TIMEOUT', target === 'aws' ? 120 : 10),
    since: parseSince(env.LAB_SINCE, now),
    cleanup: flag(env, 'LAB_CLEANUP'),
    evidence: oneOf(env, 'LAB_EVIDENCE', ['redacted', 'full'] as const, 'redacted'),
    learner: env.LAB_LEARNER?.trim() || 'self',
    consoleRoleArn,
    roster,
    concurrency: env.LAB_CONCURRENCY?.trim()
      ? Math.max(1, Math.floor(positiveNumber(env, 'LAB_CONCURRENCY', 1)))
      : undefined,
    workers: Math.max(1, Math.floor(positiveNumber(env, 'LAB_WORKERS', 4))),
    record,
    replay,
  };
}

/** Loads `.env` (without overriding the environment), then reads the settings. */
export function loadSettings(): LabSettings {
  loadDotenv({ quiet: true });
  return readSettings();
}
