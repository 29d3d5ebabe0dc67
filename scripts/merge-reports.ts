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
  const blobs = blobReports(join(reports, 'blob-report'));
  if (!blobs.length) {
    throw new Error(
      `No blob reports under ${join(reports, 'blob-report')}: run the shards first (npm run grade -- --shard=1/2, ...).`,
    );
  }
  // merge-reports reads one folder; shards keep theirs apart so they never clear each other's.
  const gathered = mkdtempSync(join(tmpdir(), 'lab-blobs-'));
  let status: number | null;
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
    status = merge.status;
  } finally {
    rmSync(gathered, { recursive: true, force: true });
  }
  const allure = buildAllureReport(reports, chosenLab(settings).definition.title);
  console.log(`Merged ${blobs.length} blob reports. Allure report: ${join(allure, 'index.html')}`);
  // As the unsharded run would: 1 when a check failed (or the merge did).
  return status === 0 && !runFailed(reports) ? 0 : 1;
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
