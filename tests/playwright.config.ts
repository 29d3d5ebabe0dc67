import { defineConfig } from '@playwright/test';

/**
 * The project's own tests: unit tests of the checks and the query engine, the sandbox's
 * conformance suite (real AWS SDK clients against the sandbox) and the grader's scenarios.
 * The grader itself is configured by ../playwright.config.ts.
 */
export default defineConfig({
  testDir: '.',
  outputDir: '../test-results/tests',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  reporter: process.env.CI
    ? [['list'], ['junit', { outputFile: '../test-results/tests/junit.xml' }]]
    : 'list',
  timeout: 60_000,
});
