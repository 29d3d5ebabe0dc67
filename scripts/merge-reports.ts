import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { RUN_OUTCOME } from '../helpers/grade-contract';
import { loadSettings } from '../helpers/settings';
import { chosenLab } from '../helpers/lab-definition';
import { buildAllureReport } from './allure-report';

const ROOT = resolve(__dirname, '..');

/** Every shard's blob report under `dir`, whichever folder each shard (or CI artifact) left it in. */
function blobReports(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true, recursive: true });
  } catch {
    return [];
  }
  return entries.filter((e) => e.isFile() && e.name.endsWith('.zip')).map((e) => join(e.parentPath, e.name));
}

/**
 * `npm run merge-reports`: the shards' blob reports in `<reports>/blob-report` become one HTML
 * report, one JUnit file, one set of Allure results and report, and one gradebook (the grader's
 * own config supplies the reporters, the grade reporter included), as an unsharded run makes.
 * Exits as that run would: 1 when a check failed.
 */
function main(): number {
  const settings = loadSettings();
  const reports = settings.reportsDir;
  const blobs = oneRunsShards(blobReports(join(reports, 'blob-report')), join(reports, 'blob-report'));
  // merge-reports reads one folder; shards keep theirs apart so they never clear each other's.
  const gathered = mkdtempSync(join(tmpdir(), 'lab-blobs-'));
  let failed: boolean;
  try {
    blobs.forEach((blob, i) => copyFileSync(blob, join(gathered, `${i}-${basename(blob)}`)));
    const merge = spawnSync(
      process.execPath,
      [
        join(ROOT, 'node_modules', '@playwright', 'test', 'cli.js'),
        'merge-reports',
        '--config',
        join(ROOT, 'playwright.config.ts'),
        gathered,
      ],
      // Where the script runs: LAB and LAB_REPORTS_DIR, when relative, mean the same to the merge.
      { cwd: process.cwd(), stdio: 'inherit' },
    );
    if (merge.error || merge.signal)
      throw new Error(`playwright merge-reports failed: ${merge.error ?? merge.signal}`);
    // Read at once: the grade reporter has just written it.
    failed = merge.status !== 0 || runFailed(reports);
  } finally {
    rmSync(gathered, { recursive: true, force: true });
  }
  const allure = buildAllureReport(reports, chosenLab(settings).definition.title);
  console.log(`Merged ${blobs.length} blob reports. Allure report: ${join(allure, 'index.html')}`);
  // As the unsharded run would: 1 when a check failed (or the merge did).
  return failed ? 1 : 0;
}

/**
 * The blob reports of one sharded run, every shard once: shards of an earlier run with another
 * count, or a shard missing (one that failed before it reported), would make a grade of results
 * the run did not have. Anything else is one line naming what to do.
 */
function oneRunsShards(blobs: string[], dir: string): string[] {
  if (!blobs.length) {
    throw new Error(
      `No blob reports under ${dir}: run the shards first (npm run grade -- --shard=1/2, ...).`,
    );
  }
  const shards = blobs.map((file) => {
    const match = /^report-shard-(\d+)-of-(\d+)\.zip$/.exec(basename(file));
    if (!match)
      throw new Error(`${file} is not a shard's blob report (report-shard-<i>-of-<n>.zip): remove it.`);
    return { file, index: Number(match[1]), total: Number(match[2]) };
  });
  const totals = [...new Set(shards.map((s) => s.total))];
  if (totals.length > 1) {
    throw new Error(
      `The blob reports under ${dir} are of runs of ${totals.join(' and ')} shards: keep one run's and remove the others.`,
    );
  }
  const total = totals[0]!;
  for (let index = 1; index <= total; index++) {
    const found = shards.filter((s) => s.index === index);
    if (found.length === 0) {
      throw new Error(
        `Shard ${index} of ${total} has no blob report under ${dir}: merge once every shard has reported (run a shard that failed before it did again).`,
      );
    }
    if (found.length > 1) {
      throw new Error(
        `Shard ${index} of ${total} has ${found.length} blob reports under ${dir} (${found.map((s) => s.file).join(', ')}): keep one run's.`,
      );
    }
  }
  return blobs;
}

/** The merged run's outcome as the grade reporter wrote it; none written is a failure. */
function runFailed(reports: string): boolean {
  try {
    return (
      (JSON.parse(readFileSync(join(reports, RUN_OUTCOME), 'utf8')) as { failed: boolean }).failed !== false
    );
  } catch {
    return true;
  }
}

try {
  process.exitCode = main();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
