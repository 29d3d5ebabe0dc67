import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadSettings } from '../helpers/settings';
import { chosenLab } from '../helpers/lab-definition';

const ROOT = resolve(__dirname, '..');

/** Allure's page loads Google Analytics, unasked and unconditionally: the report must fetch nothing. */
const ANALYTICS =
  /<script async src="https:\/\/www\.googletagmanager\.com\/[^"]*"><\/script>\s*<script>[^<]*gtag[^<]*<\/script>/g;

/**
 * Builds the Allure report (Allure 3, no Java) from `<reports>/allure-results` into
 * `<reports>/allure-report`, named after the lab: one index.html that opens from disk and
 * fetches nothing (reporters/allurerc.mjs). Returns the report's folder.
 */
export function buildAllureReport(reportsDir: string, labTitle: string): string {
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
      labTitle,
      '--config',
      join(ROOT, 'reporters', 'allurerc.mjs'),
    ],
    { stdio: 'inherit' },
  );
  if (run.status !== 0) throw new Error(`allure generate exited with ${run.status ?? run.signal}.`);
  const page = join(output, 'index.html');
  writeFileSync(page, readFileSync(page, 'utf8').replace(ANALYTICS, ''));
  return output;
}

// `npm run report`: the report of the last run in LAB_REPORTS_DIR.
if (require.main === module) {
  try {
    const settings = loadSettings();
    const output = buildAllureReport(settings.reportsDir, chosenLab(settings).definition.title);
    console.log(`Allure report: ${join(output, 'index.html')} (npx allure open ${output})`);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
