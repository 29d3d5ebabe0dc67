import { chromium, type LaunchOptions } from '@playwright/test';
import { existsSync } from 'node:fs';

/** Where Debian and Ubuntu put the system Chromium. */
const SYSTEM_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/**
 * How the console checks launch Chromium: Playwright's own build when it is installed
 * (`npx playwright install chromium`), else the system's Chromium, quietened for a headless run
 * (no update checks, sync or GPU) and without its sandbox when running as root, which Chromium
 * refuses otherwise. With neither, Playwright's own launch error explains how to install one.
 */
export function consoleLaunchOptions(): LaunchOptions {
  if (existsSync(chromium.executablePath())) return {};
  const system = SYSTEM_CHROMIUM.find((path) => existsSync(path));
  if (!system) return {};
  return {
    executablePath: system,
    args: [
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-gpu',
      '--no-first-run',
    ],
  };
}
