import { readdirSync, readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LAB } from '../../specs/genai-monitoring/lab/facts';
import { expect, test } from '../fixtures/sandbox';
import { LabBuilder } from '../../specs/genai-monitoring/lab/scenario';
import { runGrader, statuses } from '../../testkit/run-grader';

const recordingText = (dir: string) =>
  readdirSync(dir)
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n');

/**
 * A run can record what AWS answered (LAB_RECORD) and be graded again from the recording alone
 * (LAB_REPLAY), with no endpoint at all: the verdicts must be the same.
 */
test.describe('recordings of what the grader read', () => {
  test.describe.configure({ timeout: 120_000 });

  for (const lab of [
    { name: 'the complete lab', build: (b: LabBuilder) => b.complete() },
    {
      name: 'text data off, three prompts',
      build: async (b: LabBuilder) => {
        await b.enableLogging({ textData: false });
        await b.sendPrompts(3);
        await b.dashboard();
      },
    },
  ]) {
    test(`${lab.name}: graded from its recording, offline, alike`, async ({ sandbox, accountId }) => {
      await lab.build(new LabBuilder(sandbox.url, accountId));
      const dir = mkdtempSync(join(tmpdir(), 'lab-recording-'));
      const recorded = await runGrader({ sandboxUrl: sandbox.url, accountId, env: { LAB_RECORD: dir } });
      expect(readdirSync(dir).length).toBeGreaterThan(0);

      const text = recordingText(dir);
      expect(text, 'account ids are replaced').not.toContain(accountId);
      expect(text).toContain('000000000000');
      expect(text, 'no prompt text').not.toContain(LAB.prompts[0]);
      expect(text, 'no secrets').not.toMatch(/"(SecretAccessKey|SessionToken)":\s*"(?!\[redacted\])/);

      // Nothing answers at this endpoint: every answer comes from the recording.
      const replayed = await runGrader({
        sandboxUrl: 'http://127.0.0.1:9',
        accountId,
        env: { LAB_REPLAY: dir, LAB_TARGET: 'local' },
      });
      expect(statuses(replayed.grade), replayed.output).toEqual(statuses(recorded.grade));
      expect(replayed.grade.score).toBe(recorded.grade.score);
      expect(replayed.grade.checks.map((c) => c.message)).toEqual(
        recorded.grade.checks.map((c) => c.message.split(accountId).join('000000000000')),
      );
    });
  }
});

test('the recording shipped with the project grades the complete lab 100/100, offline', async ({
  accountId,
}) => {
  test.setTimeout(120_000);
  const { grade, output } = await runGrader({
    sandboxUrl: 'http://127.0.0.1:9',
    accountId,
    env: { LAB_REPLAY: join(__dirname, '..', 'recordings', 'sandbox-complete-lab'), LAB_TARGET: 'local' },
  });
  expect(grade, output).toMatchObject({
    score: 100,
    maxScore: 100,
    status: 'complete',
    accountId: '000000000000',
  });
});
