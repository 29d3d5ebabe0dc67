#!/usr/bin/env node
/* global console, process, URL */
/**
 * A Chromium for the console checks (@console), run by `npm install` / `npm ci` (postinstall).
 * Playwright's own build where it can be downloaded; otherwise the system's Chromium, installed
 * with apt-get when missing and running as root. It never fails the install: without a browser
 * everything but the console checks still runs (`--grep-invert @console`), so it only says so,
 * loudly. Set LAB_SKIP_BROWSER=1 to skip it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';

const SYSTEM_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
const say = (message) => console.log(`[setup-browser] ${message}`);
const run = (command, args) =>
  spawnSync(command, args, { stdio: 'inherit', timeout: 10 * 60_000 }).status === 0;
const systemChromium = () => SYSTEM_CHROMIUM.find((path) => existsSync(path));

/** Where Playwright downloads browsers from (PLAYWRIGHT_DOWNLOAD_HOST overrides its own hosts). */
const DOWNLOAD_HOSTS = process.env.PLAYWRIGHT_DOWNLOAD_HOST
  ? [new URL(process.env.PLAYWRIGHT_DOWNLOAD_HOST).hostname]
  : ['cdn.playwright.dev', 'playwright.download.prss.microsoft.com'];

/** Whether any download host takes a connection within 3 s: offline, the installer would only print stack traces. */
function downloadHostReachable() {
  const attempt = (host) =>
    new Promise((resolve) => {
      const socket = connect({ host, port: 443, timeout: 3000 });
      const done = (ok) => {
        socket.destroy();
        resolve(ok);
      };
      socket.on('connect', () => done(true));
      socket.on('timeout', () => done(false));
      socket.on('error', () => done(false));
    });
  return Promise.all(DOWNLOAD_HOSTS.map(attempt)).then((results) => results.includes(true));
}

async function main() {
  if (process.env.LAB_SKIP_BROWSER === '1') return say('LAB_SKIP_BROWSER=1: no browser set up.');
  if (await downloadHostReachable()) {
    say("Installing Playwright's Chromium (npx playwright install chromium)…");
    if (run('npx', ['playwright', 'install', 'chromium'])) return say("Playwright's Chromium is installed.");
    say("Playwright's Chromium could not be downloaded here.");
  } else {
    const unreachable = `The browser download host (${DOWNLOAD_HOSTS.join(', ')}) cannot be reached`;
    const found = systemChromium();
    if (found) return say(`${unreachable}: using the system Chromium at ${found}.`);
    say(`${unreachable}.`);
  }
  const found = systemChromium();
  if (found) return say(`Using the system Chromium at ${found}.`);
  if (process.platform === 'linux' && process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    say('Installing the system Chromium (apt-get install -y chromium)…');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const apt = (args) =>
      spawnSync('apt-get', args, { stdio: 'inherit', env, timeout: 10 * 60_000 }).status === 0;
    if (apt(['update']) && apt(['install', '-y', 'chromium'])) {
      const installed = systemChromium();
      if (installed) return say(`Installed the system Chromium at ${installed}.`);
    }
  }
  console.warn(
    [
      '',
      '!!! [setup-browser] NO BROWSER: the console checks (@console) cannot run.',
      "!!! Install one with `npx playwright install --with-deps chromium`, or your system's chromium package,",
      '!!! or run the grader without them: npx playwright test --grep-invert @console',
      '',
    ].join('\n'),
  );
}

await main();
