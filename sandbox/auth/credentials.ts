import { randomBytes, randomUUID } from '../tape';

/** Who made a request, as STS GetCallerIdentity would say. */
export interface Caller {
  accountId: string;
  arn: string;
  userId: string;
  accessKeyId: string;
  /** Set for temporary credentials issued by the sandbox's STS. */
  session?: TemporarySession;
}

export interface TemporarySession {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
  accountId: string;
  arn: string;
  userId: string;
  /** For an assumed role, the role's ARN: its policies decide what the session may do. */
  roleArn?: string;
  /** GetFederationToken's inline session policy. */
  policy?: string;
  kind: 'assumed-role' | 'federated-user';
  /** AssumeRole's session tags: those passed, and those inherited as transitive (sts/session-tags.ts). */
  tags?: Tag[];
  /** The keys of `tags` that pass on to a session a role chain assumes from this one. */
  transitiveTagKeys?: string[];
}

/** A tag of a role or a session: IAM and STS both require the value. */
export interface Tag {
  Key: string;
  Value: string;
}

export type CredentialLookup =
  | { ok: true; secretAccessKey: string; caller: Caller; sessionToken?: string }
  | { ok: false; reason: 'unknown' | 'expired' };

/** The long-term secret of every sandbox key. */
export const SANDBOX_SECRET = 'test';
/** The account behind access key `test`. */
export const DEFAULT_ACCOUNT = '000000000000';

/** An account's long-term secrets: its access key's, and its root user's console password. */
export interface AccountSecrets {
  secretAccessKey: string;
  consolePassword: string;
}

/**
 * Access keys the sandbox accepts, acting as the account's root: `test` (account 000000000000)
 * and a 12-digit key (that account, so one sandbox holds a whole class), with secret `test`; and
 * the temporary credentials its STS issued, until they expire. In class mode (`learners` given)
 * only the accounts listed are accepted, each with its own random secret: the learners' and the
 * instructor's (000000000000, which the grader signs in as), so `test` opens nothing. Unlike AWS,
 * which refuses AssumeRole to root, the sandbox lets these keys assume roles: they are how tests
 * and learners reach a role at all.
 */
export class CredentialStore {
  private readonly sessions = new Map<string, TemporarySession>();
  /** Class mode: the secrets of each account accepted; undefined when any account's secret is `test`. */
  learners: ReadonlyMap<string, AccountSecrets> | undefined;

  /** The account's long-term secrets, or undefined for an account no key of which is accepted. */
  accountSecrets(accountId: string): AccountSecrets | undefined {
    if (this.learners) return this.learners.get(accountId);
    return /^\d{12}$/.test(accountId)
      ? { secretAccessKey: SANDBOX_SECRET, consolePassword: SANDBOX_SECRET }
      : undefined;
  }

  lookup(accessKeyId: string, now: Date): CredentialLookup {
    const accountId =
      accessKeyId === 'test' ? DEFAULT_ACCOUNT : /^\d{12}$/.test(accessKeyId) ? accessKeyId : null;
    const secrets = accountId ? this.accountSecrets(accountId) : undefined;
    if (accountId && secrets) {
      return {
        ok: true,
        secretAccessKey: secrets.secretAccessKey,
        caller: { accountId, arn: `arn:aws:iam::${accountId}:root`, userId: accountId, accessKeyId },
      };
    }
    if (accountId) return { ok: false, reason: 'unknown' };
    const session = this.sessions.get(accessKeyId);
    if (!session) return { ok: false, reason: 'unknown' };
    if (session.expiration <= now) return { ok: false, reason: 'expired' };
    return {
      ok: true,
      secretAccessKey: session.secretAccessKey,
      sessionToken: session.sessionToken,
      caller: {
        accountId: session.accountId,
        arn: session.arn,
        userId: session.userId,
        accessKeyId,
        session,
      },
    };
  }

  issue(
    fields: Omit<TemporarySession, 'accessKeyId' | 'secretAccessKey' | 'sessionToken'>,
  ): TemporarySession {
    const session: TemporarySession = {
      ...fields,
      accessKeyId: `ASIA${randomBytes(8).toString('hex').toUpperCase()}`,
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: `IQoJsandbox${randomBytes(96).toString('base64')}`,
    };
    this.sessions.set(session.accessKeyId, session);
    return session;
  }

  /** A unique id for role sessions and federated users (AROA... / account:name in AWS). */
  static uniqueId(prefix: string): string {
    return `${prefix}${randomUUID().replace(/-/g, '').slice(0, 17).toUpperCase()}`;
  }

  clear(): void {
    this.sessions.clear();
  }
}
