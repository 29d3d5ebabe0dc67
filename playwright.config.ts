import { defineConfig, type Project, type ReporterDescription } from '@playwright/test';
import { join, resolve } from 'node:path';
import type { LabWorkerOptions } from './fixtures/lab';
import { consoleLaunchOptions } from './helpers/console/browser';
import { loadRoster, type Learner } from './helpers/roster';
import { loadSettings, SettingsError } from './helpers/settings';
import { chosenLab, ownSettings } from './helpers/lab-definition';

// The SDK version locked here supports Node 20; its notice about future versions would repeat in every worker.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/**
 * The grader of the lab `LAB` chooses, whose folder is the test folder. Projects:
 * `preflight` (who and where), `run-lab` (run mode only: carries out the lab), `checks` (one spec
 * per lab step, each check a test carrying its rubric id) and `cleanup` (removes what a run
 * created when LAB_CLEANUP=1). A lab's folder names its specs to match them.
 *
 * With a roster (LAB_ROSTER, grade mode only) every learner gets the same projects, named
 * `checks:<learner_id>` (its preflight included) and `console:<learner_id>`, each signing in to
 * that learner's account. `--shard=i/n` writes a blob report per shard; `npm run merge-reports` makes
 * the reports and the gradebook from all of them.
 */
const { settings, lab } = settingsOrExit();
// Absolute: Playwright's own reporters would take a relative one from this file's folder, the
// grade reporter from the working folder.
const reports = resolve(settings.reportsDir);
const runMode = settings.mode === 'run';
const roster = settings.roster ? loadRoster(settings.roster) : undefined;
const shard = shardOption(process.argv);

const singleLearner: Project[] = [
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

/**
 * A roster run: the projects above once per learner. A learner's projects run one worker at a
 * time, so the class shares the workers and LAB_CONCURRENCY learners are graded at once; and its
 * preflight runs in its checks' worker (one worker start per learner, not two: starting workers
 * is most of a class run's CPU), its checks finding who they talk to themselves.
 */
function perLearner(projects: Project[], learners: Learner[]): Project<object, LabWorkerOptions>[] {
  const preflight = projects.find((project) => project.name === 'preflight');
  return learners.flatMap((learner) =>
    projects
      .filter((project) => project !== preflight)
      .map((project) => ({
        ...project,
        name: `${project.name}:${learner.learnerId}`,
        testMatch:
          project.name === 'checks' && preflight?.testMatch
            ? [preflight.testMatch, project.testMatch ?? []].flat()
            : project.testMatch,
        dependencies: project.dependencies
          ?.filter((name) => name !== preflight?.name)
          .map((name) => `${name}:${learner.learnerId}`),
        ...(project.teardown && { teardown: `${project.teardown}:${learner.learnerId}` }),
        use: { ...project.use, learner },
        workers: 1,
      })),
  );
}

/** `--shard=i/n` or `--shard i/n` on the command line: each shard then writes only a blob report. */
function shardOption(argv: string[]): { current: number; total: number } | undefined {
  const at = argv.findIndex((arg) => arg === '--shard' || arg.startsWith('--shard='));
  if (at < 0) return undefined;
  const value = argv[at]!.includes('=') ? argv[at]!.split('=')[1] : argv[at + 1];
  const match = /^(\d+)\/(\d+)$/.exec(value ?? '');
  return match ? { current: Number(match[1]), total: Number(match[2]) } : undefined;
}

const shardName = shard && `shard-${shard.current}-of-${shard.total}`;

const reporter: ReporterDescription[] = shardName
  ? [
      ['list'],
      // Each shard its own folder: the blob reporter empties its folder first, and shards may
      // share LAB_REPORTS_DIR (as when CI downloads every shard's artifact into one place).
      ['blob', { outputDir: join(reports, 'blob-report', shardName), fileName: `report-${shardName}.zip` }],
    ]
  : [
      // One line per check; `--reporter list` (or dot) gives Playwright's own output instead.
      // First: the grade reporter's closing block (score, status, reports) ends the output.
      ['./reporters/terminal.ts'],
      ['html', { outputFolder: join(reports, 'html'), open: 'never' }],
      // Before allure-playwright: the results of an earlier run would show as retries.
      // The preflight's saved findings (.lab) belong to one run: a later one must not read them.
      ['./reporters/fresh-results.ts', { dirs: [join(reports, 'allure-results'), join(reports, '.lab')] }],
      ['./reporters/allure.ts', { resultsDir: join(reports, 'allure-results'), detail: true }],
      [
        './reporters/grade-reporter.ts',
        {
          reportsDir: reports,
          learner: settings.learner,
          roster: roster?.map(({ learnerId, accountId }) => ({ learnerId, accountId })),
        },
      ],
    ];

export default defineConfig<object, LabWorkerOptions>({
  testDir: lab.dir,
  // Shards on one machine must not clear each other's attachments before their blob takes them.
  outputDir: join(reports, 'test-results', ...(shardName ? [shardName] : [])),
  fullyParallel: true,
  // Checks wait on the network, not the CPU: more workers than cores keeps independent checks concurrent.
  workers: (roster && settings.concurrency) || settings.workers,
  forbidOnly: !!process.env.CI,
  // Checks wait on AWS within their own budgets (LAB_INGESTION_TIMEOUT); this is the backstop.
  timeout: (settings.ingestionTimeoutSec + 60) * 1000,
  reporter,
  projects: roster ? perLearner(singleLearner, roster) : singleLearner,
  // The local target's lab sandbox: used when one runs on its own, else started for this run alone.
  globalSetup: './fixtures/global-setup.ts',
});

/** A bad setting is one line naming it and what it accepts, not a stack trace. */
function settingsOrExit() {
  try {
    const settings = loadSettings();
    const lab = chosenLab(settings);
    ownSettings(lab.definition, process.env, settings); // checked before any worker starts
    return { settings, lab };
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    console.error(error.message);
    return process.exit(2);
  }
}
