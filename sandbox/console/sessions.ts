import { randomBytes } from 'node:crypto';
import type { Caller } from '../auth/credentials';
import type { World } from '../world';

/** AWS: a sign-in token is good for one login within 15 minutes of being issued. */
export const SIGNIN_TOKEN_TTL_MS = 15 * 60_000;

interface PendingSignin {
  caller: Caller;
  issuedAt: number;
  /** When the console session it opens ends. */
  sessionExpires: number;
}

export interface ConsoleSession {
  id: string;
  caller: Caller;
  expires: number;
}

/** Sign-in tokens waiting to be redeemed and open console sessions, of one sandbox. */
export class ConsoleState {
  private readonly tokens = new Map<string, PendingSignin>();
  private readonly sessions = new Map<string, ConsoleSession>();

  issueToken(caller: Caller, sessionExpires: number, now = Date.now()): string {
    const token = randomBytes(48).toString('base64url');
    this.tokens.set(token, { caller, issuedAt: now, sessionExpires });
    return token;
  }

  /** The token's sign-in, once: a second use or a stale token gives undefined. */
  redeemToken(token: string, now = Date.now()): PendingSignin | undefined {
    const pending = this.tokens.get(token);
    this.tokens.delete(token);
    if (!pending || now - pending.issuedAt > SIGNIN_TOKEN_TTL_MS) return undefined;
    return pending;
  }

  openSession(caller: Caller, expires: number): ConsoleSession {
    const session = { id: randomBytes(32).toString('base64url'), caller, expires };
    this.sessions.set(session.id, session);
    return session;
  }

  /**
   * The open session with this id. A federated session also ends when the sandbox is reset and
   * no longer knows the credentials it was opened with.
   */
  session(world: World, id: string | undefined, now = Date.now()): ConsoleSession | undefined {
    const session = id ? this.sessions.get(id) : undefined;
    if (!session) return undefined;
    const keyId = session.caller.session?.accessKeyId;
    const lookup = keyId ? world.credentials.lookup(keyId, new Date(now)) : undefined;
    const forgotten = lookup !== undefined && !lookup.ok && lookup.reason === 'unknown';
    const stale = session.expires <= now || forgotten;
    if (stale) {
      this.sessions.delete(session.id);
      return undefined;
    }
    return session;
  }

  close(id: string | undefined): void {
    if (id) this.sessions.delete(id);
  }

  /** Every sign-in ends with the state it was made in. */
  clear(): void {
    this.tokens.clear();
    this.sessions.clear();
  }
}

const states = new WeakMap<World, ConsoleState>();

/** The console's state lives beside the world rather than in it: it is no AWS service's state. */
export function consoleState(world: World): ConsoleState {
  let state = states.get(world);
  if (!state) states.set(world, (state = new ConsoleState()));
  return state;
}
