import { defineConfig } from '@playwright/test';

// The SDK version locked here supports Node 20; its notice about future versions would repeat in every worker.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// A sandbox a test's grader starts for itself keeps its state in memory: the project's own tests
// never touch the state a learner's sandbox keeps (.lab-sandbox/).
process.env.LAB_SANDBOX_STATE_DIR = '';

/**
 * The project's own tests: unit tests of the checks and the query engine, the sandbox's
 * conformance suite (real AWS SDK clients against the sandbox) and the grader's scenarios.
 * The grader itself is configured by ../playwright.config.ts.
 */
export default defineConfig({
  testDir: '.',
  // A lab the tests grade (tests/labs/) holds the grader's specs, not tests of the project.
  testIgnore: 'labs/**',
  outputDir: '../test-results/tests',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  reporter: process.env.CI
    ? [['list'], ['junit', { outputFile: '../test-results/tests/junit.xml' }]]
    : 'list',
  timeout: 60_000,
});
