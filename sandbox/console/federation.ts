import { timingSafeEqual } from 'node:crypto';
import { DEFAULT_ACCOUNT, type Caller } from '../auth/credentials';
import { fromOtherOrigin, header, type SandboxRequest, type SandboxResponse } from '../protocols/http';
import type { World } from '../world';
import { consoleState, type ConsoleSession } from './sessions';

/**
 * Console sign-in as AWS's federation endpoint does it (`signin.aws.amazon.com/federation`):
 * `Action=getSigninToken` turns temporary credentials from STS into a single-use sign-in token,
 * `Action=login` redeems it for a console session and goes to `Destination`.
 */

export const SESSION_COOKIE = 'sandbox-console-session';
const MIN_SESSION_S = 900;
const MAX_SESSION_S = 43_200;

/** The parameters, from the query string or (AWS accepts both) a form-encoded POST body. */
function params(req: SandboxRequest): URLSearchParams {
  const merged = new URLSearchParams(req.query);
  if (req.method === 'POST' && /x-www-form-urlencoded/.test(String(req.headers['content-type'] ?? ''))) {
    for (const [k, v] of new URLSearchParams(req.body.toString('utf8'))) merged.set(k, v);
  }
  return merged;
}

export function federation(world: World, req: SandboxRequest): SandboxResponse {
  const p = params(req);
  switch (p.get('Action')) {
    case 'getSigninToken':
      return getSigninToken(world, p);
    case 'login':
      return login(world, req, p);
    default:
      return errorPage(
        400,
        'Invalid Action parameter',
        'The request sent by the client was syntactically incorrect.',
      );
  }
}

interface SessionParam {
  sessionId?: unknown;
  sessionKey?: unknown;
  sessionToken?: unknown;
}

/**
 * UNVERIFIED: AWS answers a Session it will not accept (long-term keys, unknown or expired
 * credentials, SessionDuration with federation-token credentials) with this Tomcat-style 400
 * page, as client tools report it; the exact body may differ.
 */
const invalidCredentials = () =>
  errorPage(
    400,
    'Invalid credentials parameter',
    'The request sent by the client was syntactically incorrect.',
  );

function getSigninToken(world: World, p: URLSearchParams): SandboxResponse {
  let session: SessionParam;
  try {
    session = JSON.parse(p.get('Session') ?? '') as SessionParam;
  } catch {
    return invalidCredentials();
  }
  const { sessionId, sessionKey, sessionToken } = session ?? {};
  if (typeof sessionId !== 'string' || typeof sessionKey !== 'string' || typeof sessionToken !== 'string') {
    return invalidCredentials();
  }
  const found = world.credentials.lookup(sessionId, new Date());
  // Only temporary credentials from STS sign in: long-term keys (the account's `test` keys) never do.
  if (
    !found.ok ||
    !found.caller.session ||
    found.secretAccessKey !== sessionKey ||
    found.sessionToken !== sessionToken
  ) {
    return invalidCredentials();
  }
  const temporary = found.caller.session;
  // UNVERIFIED: without SessionDuration the console session lasts as long as the credentials.
  let expires = temporary.expiration.getTime();
  const duration = p.get('SessionDuration');
  if (duration !== null) {
    const seconds = Number(duration);
    // AWS refuses SessionDuration with GetFederationToken credentials.
    if (
      temporary.kind !== 'assumed-role' ||
      !Number.isInteger(seconds) ||
      seconds < MIN_SESSION_S ||
      seconds > MAX_SESSION_S
    ) {
      return invalidCredentials();
    }
    expires = Date.now() + seconds * 1000;
  }
  const token = consoleState(world).issueToken(found.caller, expires);
  return {
    status: 200,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
    body: JSON.stringify({ SigninToken: token }),
  };
}

/**
 * A sign-in link followed from another site's page, or a form it posted, is refused: it would
 * sign the browser into an account of that site's choosing (login CSRF). AWS follows such links
 * (identity portals link to the console); in the sandbox, open the link directly.
 */
function crossSite(req: SandboxRequest): boolean {
  return fromOtherOrigin(req) || header(req, 'sec-fetch-site') === 'cross-site';
}

function login(world: World, req: SandboxRequest, p: URLSearchParams): SandboxResponse {
  if (crossSite(req)) {
    return errorPage(403, 'Sign-in refused', 'Open the sign-in link directly, not from another site.');
  }
  const destination = p.get('Destination');
  const target = destination ? sameOriginPath(destination) : undefined;
  if (!target) {
    return errorPage(400, 'Invalid Destination parameter', 'The Destination must be a console URL.');
  }
  const pending = consoleState(world).redeemToken(p.get('SigninToken') ?? '');
  // UNVERIFIED: AWS's page for a used or expired sign-in token.
  if (!pending) {
    return errorPage(
      400,
      'Invalid sign-in token',
      'Your request included an invalid or expired sign-in token. Sign-in tokens can be used once, within 15 minutes. Request a new one.',
    );
  }
  return startSession(world, pending.caller, pending.sessionExpires, target);
}

/** The session cookie is HttpOnly: the console's own scripts never see it. */
function startSession(world: World, caller: Caller, expires: number, location: string): SandboxResponse {
  const session = consoleState(world).openSession(caller, expires);
  return {
    status: 302,
    headers: {
      location,
      'set-cookie': sessionCookie(session),
      'cache-control': 'no-store',
    },
    body: '',
  };
}

function sessionCookie(session: ConsoleSession): string {
  const maxAge = Math.max(0, Math.floor((session.expires - Date.now()) / 1000));
  return `${SESSION_COOKIE}=${session.id}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Lax`;
}

/**
 * The sandbox console stays on its own origin: a Destination elsewhere (an AWS console URL
 * included) is followed by its path, query and fragment only. A path that begins with `//` or
 * `/\\` would name another host to a browser, so leading slashes collapse to one.
 */
export function sameOriginPath(destination: string): string | undefined {
  let url: URL;
  try {
    url = new URL(destination, 'http://sandbox.invalid');
  } catch {
    return undefined;
  }
  if (!/^https?:$/.test(url.protocol)) return undefined;
  return `${url.pathname.replace(/^[/\\]+/, '/')}${url.search}${url.hash}`;
}

/**
 * Sandbox only: the account's root user signs in with the account's console password (`test`,
 * or in class mode the learner's own), so a learner without AWS credentials can use the console.
 * AWS signs the root user in with an e-mail address and a password instead. A form posted from a
 * page of another origin is refused: it would sign the browser into an account of the page's
 * choosing (login CSRF).
 */
export function rootSignin(world: World, req: SandboxRequest): SandboxResponse {
  if (fromOtherOrigin(req)) {
    return errorPage(
      403,
      'Sign-in refused',
      'The sign-in form must be sent from the sandbox console itself.',
    );
  }
  const form = new URLSearchParams(req.body.toString('utf8'));
  const redirect = sameOriginPath(form.get('redirect_uri') || '/console/') ?? '/console/';
  const account = form.get('account')?.trim() || DEFAULT_ACCOUNT;
  const password = world.credentials.accountSecrets(account)?.consolePassword;
  if (password === undefined || !sameText(form.get('password') ?? '', password)) {
    return {
      status: 303,
      headers: { location: `/signin?error=credentials&redirect_uri=${encodeURIComponent(redirect)}` },
      body: '',
    };
  }
  const caller: Caller = {
    accountId: account,
    arn: `arn:aws:iam::${account}:root`,
    userId: account,
    accessKeyId: '',
  };
  return startSession(world, caller, Date.now() + MAX_SESSION_S * 1000, redirect);
}

/** Compares a secret in constant time, so timing tells nothing of how much of it was right. */
function sameText(given: string, expected: string): boolean {
  const [a, b] = [Buffer.from(given), Buffer.from(expected)];
  return a.length === b.length && timingSafeEqual(a, b);
}

export function signout(world: World, sessionId: string | undefined): SandboxResponse {
  consoleState(world).close(sessionId);
  return {
    status: 302,
    headers: {
      location: '/signin',
      'set-cookie': `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax`,
    },
    body: '',
  };
}

function errorPage(status: number, title: string, description: string): SandboxResponse {
  const escape = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body:
      `<!doctype html><html lang="en"><head><title>HTTP Status ${status} - ${escape(title)}</title></head>` +
      `<body><h1>HTTP Status ${status} - ${escape(title)}</h1><p><b>type</b> Status report</p>` +
      `<p><b>message</b> ${escape(title)}</p><p><b>description</b> ${escape(description)}</p></body></html>`,
  };
}
