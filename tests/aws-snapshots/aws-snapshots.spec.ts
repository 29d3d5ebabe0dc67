import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ADMIN_CHANGE, expect, test } from '../fixtures/sandbox';
import { CLOUDWATCH_CASES, CLOUDWATCH_DEVIATIONS } from './cases/cloudwatch';
import { IAM_CASES, IAM_DEVIATIONS } from './cases/iam';
import { LOGS_CASES, LOGS_DEVIATIONS } from './cases/logs';
import { STS_CASES, STS_DEVIATIONS } from './cases/sts';
import { replayCase, type KnownDeviations, type RecordedCases } from './recorded-case';
import { outOfScope } from './scope';
import { differences, type Bindings } from './snapshot-match';

/**
 * The sandbox measured against responses recorded from real AWS (README.md says
 * where they come from). Every recorded test is either replayed here or out of scope with a
 * reason; every recorded response of a replayed test either matches or is a known deviation,
 * explained next to the cases (cases/*.ts). A deviation that starts matching must leave that list.
 */
const SNAPSHOTS = join(__dirname, 'localstack');
const CASES: RecordedCases = { ...LOGS_CASES, ...CLOUDWATCH_CASES, ...IAM_CASES, ...STS_CASES };
const KNOWN_DEVIATIONS: KnownDeviations = {
  ...LOGS_DEVIATIONS,
  ...CLOUDWATCH_DEVIATIONS,
  ...IAM_DEVIATIONS,
  ...STS_DEVIATIONS,
};

interface RecordedTest {
  'recorded-content': Record<string, unknown>;
}

const recordings = readdirSync(SNAPSHOTS)
  .filter((name) => name.endsWith('.snapshot.json'))
  .map((name) => ({
    file: name.replace('.snapshot.json', ''),
    tests: JSON.parse(readFileSync(join(SNAPSHOTS, name), 'utf8')) as Record<string, RecordedTest>,
  }));

test('the sandbox answers as AWS did in every recorded case in scope', async ({ sandbox }) => {
  test.setTimeout(300_000);
  const recordedIds = recordings.flatMap(({ tests }) => Object.keys(tests));
  const unexplained: string[] = [];
  const stale: string[] = [];
  const lines: string[] = [];
  let matched = 0;
  let total = 0;
  for (const { file, tests } of recordings) {
    let fileMatched = 0;
    let fileTotal = 0;
    for (const [id, recorded] of Object.entries(tests)) {
      const run = CASES[id];
      if (!run) continue;
      const reset = await fetch(`${sandbox.url}/_sandbox/reset`, { method: 'POST', headers: ADMIN_CHANGE });
      expect(reset.status).toBe(200);
      const { replayed, stopped } = await replayCase(id, run, { endpoint: sandbox.url, region: 'us-east-1' });
      const bindings: Bindings = new Map();
      for (const [key, want] of Object.entries(recorded['recorded-content'])) {
        const name = `${id} › ${key}`;
        const found = replayed.has(key)
          ? differences(want, replayed.get(key), bindings)
              .map(
                (d) =>
                  `${d.path}: recorded ${JSON.stringify(d.recorded)}, sandbox ${JSON.stringify(d.actual)}`,
              )
              .join('; ')
          : stopped
            ? `the case stopped before it: ${stopped}`
            : 'not replayed';
        fileTotal++;
        if (!found) fileMatched++;
        if (found && !KNOWN_DEVIATIONS[name]) unexplained.push(`${name}\n    ${found}`);
        if (!found && KNOWN_DEVIATIONS[name]) stale.push(name);
      }
      for (const key of replayed.keys()) {
        if (!(key in recorded['recorded-content'])) unexplained.push(`${id} › ${key}\n    not recorded`);
      }
    }
    lines.push(`  ${file}: ${fileMatched} of ${fileTotal}`);
    matched += fileMatched;
    total += fileTotal;
  }
  console.log(`parity: ${matched} of ${total} recorded cases match\n${lines.join('\n')}`);
  test
    .info()
    .annotations.push({ type: 'parity', description: `${matched} of ${total} recorded cases match` });
  // One assertion, so that a failure shows every kind of gap at once.
  expect({
    'recorded tests neither replayed nor out of scope': recordedIds.filter(
      (id) => !CASES[id] && !outOfScope(id),
    ),
    'replayed tests that are not recorded': Object.keys(CASES).filter((id) => !recordedIds.includes(id)),
    'deviations not listed as known (cases/*.ts)': unexplained,
    'known deviations that now match: remove them from cases/*.ts': stale,
  }).toEqual({
    'recorded tests neither replayed nor out of scope': [],
    'replayed tests that are not recorded': [],
    'deviations not listed as known (cases/*.ts)': [],
    'known deviations that now match: remove them from cases/*.ts': [],
  });
});
