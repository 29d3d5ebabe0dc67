import { LabSteps } from './lab/steps';
import { LAB } from './lab/facts';
import { expect, note, test } from './lab/test';

/**
 * Run mode: carries out the lab, step by step, in the account under test. Grade mode never
 * loads this file, which is what keeps grading read-only.
 */
test.describe.configure({ mode: 'serial' });

let steps: LabSteps;

test.beforeAll(({ aws, settings, preflight }) => {
  // Never change an account the preflight could not confirm (the wrong one, or no identity).
  if (preflight.blocker || !preflight.accountId) {
    throw new Error(`Run mode changes nothing here: ${preflight.blocker ?? 'the account is unknown'}`);
  }
  steps = new LabSteps(aws, settings, preflight.accountId);
});

test('Step 1: enable model invocation logging', async () => {
  await steps.enableLogging();
});

test('Step 2: send the five prompts', async () => {
  const sent = await steps.sendPrompts();
  if (sent.fellBack) {
    note(
      'lab-model-end-of-life',
      `The lab's model ${LAB.modelId} was refused (${sent.reason}); the prompts went to ${sent.modelId} instead (LAB_FALLBACK_MODEL_ID).`,
    );
  }
  expect(sent.usage).toHaveLength(LAB.prompts.length);
  for (const { input, output } of sent.usage)
    expect(input * output, 'every answer reports token usage').toBeGreaterThan(0);
});

test('Step 3: run the Logs Insights query', async ({ reader }) => {
  const outcome = await reader.runQuery(LAB.step3Query, [LAB.logGroup]);
  expect(outcome.status).toBe('Complete');
});

test('Step 4: create the GenAI-Monitoring dashboard', async () => {
  await steps.createDashboard();
});
