import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LAB_TITLE } from '../fixtures/lab';
import { loadSettings } from '../helpers/settings';

const ROOT = resolve(__dirname, '..');

/**
 * Builds the Allure report (Allure 3, no Java) from `<reports>/allure-results` into
 * `<reports>/allure-report`. Returns the report's folder.
 */
export function buildAllureReport(reportsDir: string): string {
  const results = join(reportsDir, 'allure-results');
  const output = join(reportsDir, 'allure-report');
  if (!existsSync(results)) {
    throw new Error(
      `No Allure results in ${results}: run the grader first (npm run grade), or merge shards.`,
    );
  }
  const run = spawnSync(
    process.execPath,
    [
      join(ROOT, 'node_modules', 'allure', 'cli.js'),
      'generate',
      results,
      '--output',
      output,
      '--name',
      LAB_TITLE,
    ],
    { stdio: 'inherit' },
  );
  if (run.status !== 0) throw new Error(`allure generate exited with ${run.status ?? run.signal}.`);
  return output;
}

// `npm run report`: the report of the last run in LAB_REPORTS_DIR.
if (require.main === module) {
  try {
    const output = buildAllureReport(loadSettings().reportsDir);
    console.log(`Allure report: ${join(output, 'index.html')} (npx allure open ${output})`);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
