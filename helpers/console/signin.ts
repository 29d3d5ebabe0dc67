import {
  AssumeRoleCommand,
  GetFederationTokenCommand,
  type Credentials,
  type STSClient,
} from '@aws-sdk/client-sts';
import type { BrowserContextOptions } from '@playwright/test';
import type { LabSettings } from '../settings';

/**
 * Console sign-in without a password, the same way against AWS and the sandbox: temporary
 * credentials from STS, a sign-in token from the federation endpoint, then its login action,
 * whose session cookies are handed to the browser.
 *
 * Nothing secret ever reaches the browser or a report: the token and the login URL are used
 * only here, in Node (`fetch`), never in a page navigation, a test step's title or an error
 * message, so neither traces nor screenshots can show them. The browser only receives the
 * session cookies, through the context's storage state.
 */

export type ConsoleTarget = Pick<LabSettings, 'target' | 'region' | 'sandboxUrl'>;

/** The console's address for a path such as `/bedrock/home?region=us-east-1#/settings`. */
export function consoleUrl(target: ConsoleTarget, path: string): string {
  const base =
    target.target === 'aws' ? `https://${target.region}.console.aws.amazon.com` : target.sandboxUrl;
  return `${base}${path}`;
}

export function federationEndpoint(target: ConsoleTarget): string {
  return target.target === 'aws'
    ? 'https://signin.aws.amazon.com/federation'
    : `${target.sandboxUrl}/federation`;
}

const SESSION_NAME = 'lab-grader-console';

/**
 * Temporary credentials for the console: AssumeRole on `roleArn` when given (works from any
 * credentials, SSO and role sessions included), else GetFederationToken with `sessionPolicy`,
 * the lab's read-only one (needs an IAM user's long-term keys, or the sandbox's). A federated
 * user gets only what its session policy allows, intersected with the calling user's own.
 */
export async function consoleCredentials(
  sts: STSClient,
  sessionPolicy: object,
  roleArn?: string,
): Promise<Credentials> {
  const output = roleArn
    ? await sts.send(
        new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: SESSION_NAME, DurationSeconds: 3600 }),
      )
    : await sts.send(
        new GetFederationTokenCommand({
          Name: SESSION_NAME,
          DurationSeconds: 3600,
          Policy: JSON.stringify(sessionPolicy),
        }),
      );
  if (!output.Credentials) throw new Error('STS returned no credentials for the console session.');
  return output.Credentials;
}

export type StorageState = Exclude<BrowserContextOptions['storageState'], string | undefined>;
type Cookie = StorageState['cookies'][number];

/**
 * Exchanges temporary credentials for a signed-in console session and returns it as a browser
 * storage state. `SessionDuration` is left out: AWS refuses it with federation-token and
 * chained-role credentials.
 */
export async function federatedSignIn(
  target: ConsoleTarget,
  credentials: Credentials,
  destination = target.target === 'aws' ? 'https://console.aws.amazon.com/' : consoleUrl(target, '/console/'),
): Promise<StorageState> {
  const endpoint = federationEndpoint(target);
  // POSTed as a form, so the credentials stay out of URLs (and out of any proxy's log).
  const tokenResponse = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      Action: 'getSigninToken',
      Session: JSON.stringify({
        sessionId: credentials.AccessKeyId,
        sessionKey: credentials.SecretAccessKey,
        sessionToken: credentials.SessionToken,
      }),
    }),
  });
  if (!tokenResponse.ok) {
    throw new Error(
      `The federation endpoint refused the console credentials (HTTP ${tokenResponse.status}: ${pageTitle(await tokenResponse.text())}).`,
    );
  }
  const { SigninToken } = (await tokenResponse.json()) as { SigninToken?: string };
  if (!SigninToken) throw new Error('The federation endpoint returned no sign-in token.');

  const login = new URL(endpoint);
  login.search = new URLSearchParams({
    Action: 'login',
    Issuer: 'lab-grader',
    Destination: destination,
    SigninToken,
  }).toString();
  const loginResponse = await fetch(login, { redirect: 'manual' });
  const cookies = loginResponse.headers.getSetCookie().map((header) => parseSetCookie(header, login));
  if (loginResponse.status !== 302 || cookies.length === 0) {
    throw new Error(
      `Console login did not open a session (HTTP ${loginResponse.status}: ${pageTitle(await loginResponse.text())}).`,
    );
  }
  return { cookies, origins: [] };
}

/** The title of an error page, without anything the request carried. */
function pageTitle(html: string): string {
  return (/<title>([^<]*)<\/title>/i.exec(html)?.[1] ?? html.slice(0, 120)).trim();
}

/** One `Set-Cookie` header as a browser cookie: a host-only cookie unless it names a Domain. */
export function parseSetCookie(header: string, from: URL): Cookie {
  const [pair = '', ...attributes] = header.split(';').map((part) => part.trim());
  const at = pair.indexOf('=');
  const cookie: Cookie = {
    name: pair.slice(0, at),
    value: pair.slice(at + 1),
    domain: from.hostname,
    path: '/',
    expires: -1,
    httpOnly: false,
    secure: false,
    sameSite: 'Lax',
  };
  for (const attribute of attributes) {
    const [key = '', ...rest] = attribute.split('=');
    const value = rest.join('=');
    switch (key.toLowerCase()) {
      case 'domain':
        cookie.domain = value.startsWith('.') ? value : `.${value}`;
        break;
      case 'path':
        cookie.path = value || '/';
        break;
      case 'max-age':
        cookie.expires = Math.floor(Date.now() / 1000) + Number(value);
        break;
      case 'expires':
        if (cookie.expires === -1) cookie.expires = Math.floor(Date.parse(value) / 1000);
        break;
      case 'httponly':
        cookie.httpOnly = true;
        break;
      case 'secure':
        cookie.secure = true;
        break;
      case 'samesite':
        cookie.sameSite = /^none$/i.test(value) ? 'None' : /^strict$/i.test(value) ? 'Strict' : 'Lax';
        break;
    }
  }
  return cookie;
}
