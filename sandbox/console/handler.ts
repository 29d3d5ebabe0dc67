import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { SandboxRequest, SandboxResponse } from '../protocols/http';
import type { World } from '../world';
import { consoleApi } from './api';
import { federation, rootSignin, SESSION_COOKIE, signout } from './federation';
import { consoleState } from './sessions';

/**
 * The sandbox's look-alike of the AWS console: federation sign-in, the Bedrock settings page,
 * CloudWatch dashboards, log groups and Logs Insights. Pages are static files in `assets/`;
 * their scripts call `/console/api/...` as the signed-in principal.
 */

const ASSETS = join(__dirname, 'assets');
/** Chart.js, the maintained chart library the dashboards draw with, served from node_modules. */
const CHART_JS = join(dirname(createRequire(__filename).resolve('chart.js')), 'chart.umd.js');

const PAGES: Record<string, string> = {
  '/bedrock/home': 'bedrock.html',
  '/cloudwatch/home': 'cloudwatch.html',
};

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

/** A response for console paths; undefined for everything else (the AWS APIs and the admin endpoints). */
export async function handleConsole(world: World, req: SandboxRequest): Promise<SandboxResponse | undefined> {
  const { path, method } = req;
  if (path === '/federation') return federation(world, req);
  if (path === '/signin') return method === 'POST' ? rootSignin(world, req) : file('signin.html');
  if (path === '/signout') return signout(world, cookie(req, SESSION_COOKIE));
  if (path === '/console' || path === '/console/') {
    return redirect('/cloudwatch/home?region=us-east-1#dashboards');
  }
  if (path === '/console/vendor/chart.umd.js') return file(CHART_JS);
  // Browsers ask every page's site for an icon: none, rather than an AWS authentication error.
  if (path === '/favicon.ico')
    return { status: 204, headers: { 'cache-control': 'max-age=86400' }, body: '' };
  const asset = /^\/console\/assets\/([\w-]+\.(?:html|js|css))$/.exec(path);
  if (asset) return file(asset[1]!);

  const page = PAGES[path];
  const api = /^\/console\/api\/([\w-]+)\/(\w+)$/.exec(path);
  if (!page && !api) return undefined;
  const session = consoleState(world).session(world, cookie(req, SESSION_COOKIE));
  if (api) {
    if (!session) {
      return {
        status: 401,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          __type: 'SessionExpired',
          message: 'Your console session has expired. Sign in again.',
        }),
      };
    }
    return consoleApi(world, req, session.caller, api[1]!, api[2]!);
  }
  // Without a session a page sends you to sign in; the browser keeps the URL's #fragment across the redirect.
  if (!session) {
    const query = req.query.toString();
    return redirect(`/signin?redirect_uri=${encodeURIComponent(path + (query ? `?${query}` : ''))}`);
  }
  return file(page!);
}

function redirect(location: string): SandboxResponse {
  return { status: 302, headers: { location, 'cache-control': 'no-store' }, body: '' };
}

const cache = new Map<string, Buffer>();

function file(nameOrPath: string): SandboxResponse {
  const path = nameOrPath.startsWith('/') ? nameOrPath : join(ASSETS, nameOrPath);
  let body = cache.get(path);
  if (!body) {
    try {
      body = readFileSync(path);
    } catch {
      return { status: 404, headers: { 'content-type': 'text/plain' }, body: 'Not found' };
    }
    cache.set(path, body);
  }
  return {
    status: 200,
    headers: {
      'content-type': TYPES[path.split('.').at(-1)!] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
      // The pages load only their own scripts and styles.
      'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'",
    },
    body,
  };
}

function cookie(req: SandboxRequest, name: string): string | undefined {
  const header = req.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}
