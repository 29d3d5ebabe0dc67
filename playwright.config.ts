import { defineConfig, type Project } from '@playwright/test';
import { join } from 'node:path';
import { consoleLaunchOptions } from './helpers/console/browser';
import { loadSettings } from './helpers/settings';

// The SDK version locked here supports Node 20; its notice about future versions would repeat in every worker.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/**
 * The grader. Projects: `preflight` (who and where), `run-lab` (run mode only: carries out the
 * lab), `checks` (one spec per lab step, each check a test carrying its rubric id) and `cleanup`
 * (removes what a run created when LAB_CLEANUP=1).
 */
const settings = loadSettings();
const reports = settings.reportsDir;
const runMode = settings.mode === 'run';

const projects: Project[] = [
  { name: 'preflight', testMatch: /preflight\.setup\.ts/ },
  ...(runMode
    ? [
        {
          name: 'run-lab',
          testMatch: /run-lab\.setup\.ts/,
          dependencies: ['preflight'],
          teardown: 'cleanup',
        },
        { name: 'cleanup', testMatch: /cleanup\.teardown\.ts/ },
      ]
    : []),
  { name: 'checks', testMatch: /\d\d-[\w-]+\.spec\.ts/, dependencies: [runMode ? 'run-lab' : 'preflight'] },
  // Console checks (@console) in a browser; `--grep-invert @console` runs everything else without one.
  // Tracing stays off: a trace would record the console session's cookie.
  {
    name: 'console',
    testMatch: /console\/.*\.spec\.ts/,
    dependencies: [runMode ? 'run-lab' : 'preflight'],
    use: { browserName: 'chromium', launchOptions: consoleLaunchOptions(), trace: 'off' },
  },
];

export default defineConfig({
  testDir: 'specs',
  outputDir: join(reports, 'test-results'),
  fullyParallel: true,
  // Checks wait on the network, not the CPU: more workers than cores keeps independent checks concurrent.
  workers: Number(process.env.LAB_WORKERS) || 4,
  forbidOnly: !!process.env.CI,
  // Checks wait on AWS within their own budgets (LAB_INGESTION_TIMEOUT); this is the backstop.
  timeout: (settings.ingestionTimeoutSec + 60) * 1000,
  reporter: [
    ['list'],
    ['html', { outputFolder: join(reports, 'html'), open: 'never' }],
    ['junit', { outputFile: join(reports, 'junit.xml') }],
    ['allure-playwright', { resultsDir: join(reports, 'allure-results'), detail: true }],
    ['./reporters/grade-reporter.ts', { reportsDir: reports }],
  ],
  projects,
  // The local target is the lab sandbox: started here unless one already answers.
  webServer:
    settings.target === 'local'
      ? {
          command: `npx tsx sandbox/cli.ts --port ${new URL(settings.sandboxUrl).port || 80} --host ${new URL(settings.sandboxUrl).hostname}`,
          url: `${settings.sandboxUrl}/_sandbox/health`,
          reuseExistingServer: true,
          timeout: 15_000,
          stdout: 'ignore',
        }
      : undefined,
});
