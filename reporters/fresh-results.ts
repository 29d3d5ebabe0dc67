import type { Reporter } from '@playwright/test/reporter';
import { rmSync } from 'node:fs';

/**
 * Empties result folders that other reporters only add to (allure-results), so a report shows
 * this run alone. Listed before them: reporters are configured in order, and allure-playwright
 * opens its folder only when the run begins.
 */
export default class FreshResults implements Reporter {
  constructor(private readonly options: { dirs?: string[] } = {}) {}

  onConfigure(): void {
    for (const dir of this.options.dirs ?? []) rmSync(dir, { recursive: true, force: true });
  }

  printsToStdio(): boolean {
    return false;
  }
}
