/**
 * `npm run bench:class`: a class of learners (50 by default), every one with the lab done, graded
 * from a roster against the local sandbox with the realistic latency profile, API checks only.
 * Once concurrently (LAB_CONCURRENCY learners at a time), once one learner at a time. Prints one
 * JSON line. Target: the class in under 2 minutes.
 *
 * BENCH_LEARNERS (50), BENCH_CONCURRENCY (16) and BENCH_SERIAL_SAMPLE (unset: every learner; n:
 * grade n learners one at a time and extrapolate, reported as serialMsExtrapolated) tune it.
 */
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { LATENCY_PROFILES } from '../sandbox/conditions';
import { startSandbox } from '../sandbox/server';
import { GRADER_POLICY, LabBuilder } from '../specs/genai-monitoring/lab/scenario';
import { REGION } from '../testkit/run-grader';
import { grantGrader, runClassGrader, writeRoster, type RosterRow } from '../testkit/class-run';

const LEARNERS = Number(process.env.BENCH_LEARNERS) || 50;
// Grading waits on the network, starting a learner's worker costs CPU: more workers than cores.
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY) || 16;
const SERIAL_SAMPLE = Number(process.env.BENCH_SERIAL_SAMPLE) || undefined;
const EXTERNAL_ID = 'bench-class';
const GRADER = '900000000000';

/** Runs `work` over `items`, `limit` at a time. */
async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<unknown>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: limit }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
    }),
  );
}

async function main() {
  // The SDK's notice about future Node versions, once per client, would bury the JSON line.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const sandbox = await startSandbox({ port: 0 });
  try {
    // The class does the lab with no latency (the bench measures grading, not the learners).
    const rows: RosterRow[] = [];
    await pool(
      Array.from({ length: LEARNERS }, (_, i) => i + 1),
      10,
      async (n) => {
        const accountId = String(100_000_000_000 + n);
        await new LabBuilder(sandbox.url, accountId).complete();
        const roleArn = await grantGrader(sandbox.url, accountId, GRADER, EXTERNAL_ID, GRADER_POLICY);
        rows.push({
          learner_id: `learner-${String(n).padStart(2, '0')}`,
          account_id: accountId,
          role_arn: roleArn,
          region: REGION,
          external_id: EXTERNAL_ID,
        });
      },
    );
    rows.sort((a, b) => a.learner_id.localeCompare(b.learner_id));
    sandbox.world.latency = LATENCY_PROFILES.realistic;

    const grade = async (learners: RosterRow[], concurrency: number) => {
      const dir = mkdtempSync(join(tmpdir(), 'lab-bench-class-'));
      const roster = writeRoster(dir, learners);
      const started = performance.now();
      const run = await runClassGrader({
        sandboxUrl: sandbox.url,
        graderAccount: GRADER,
        reportsDir: dir,
        roster,
        // The grader's own local budget for waits: a query takes 1.5 s under this profile.
        env: { LAB_CONCURRENCY: String(concurrency), LAB_INGESTION_TIMEOUT: '10' },
      });
      const ms = Math.round(performance.now() - started);
      const book = parse(readFileSync(join(dir, 'gradebook.csv'), 'utf8'), { columns: true }) as Record<
        string,
        string
      >[];
      const short = book.filter((row) => row.score !== '100');
      if (run.exitCode !== 0 || book.length !== learners.length || short.length) {
        throw new Error(`Expected ${learners.length} learners at 100/100:\n${run.output.slice(-4000)}`);
      }
      return ms;
    };

    const ms = await grade(rows, CONCURRENCY);
    const sample = SERIAL_SAMPLE ? rows.slice(0, SERIAL_SAMPLE) : rows;
    const sampleMs = await grade(sample, 1);
    const serialMs = Math.round((sampleMs * rows.length) / sample.length);
    console.log(
      JSON.stringify({
        learners: rows.length,
        ms,
        learnersPerMin: Number(((rows.length * 60_000) / ms).toFixed(1)),
        ...(SERIAL_SAMPLE ? { serialMsExtrapolated: serialMs, serialSample: sample.length } : { serialMs }),
        speedup: Number((serialMs / ms).toFixed(2)),
        concurrency: CONCURRENCY,
      }),
    );
  } finally {
    await sandbox.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
