/**
 * `npm run bench:grade`: grade mode against the local sandbox, once with no latency and once
 * with the realistic profile, for a completed lab. Prints one JSON line.
 *
 * criticalPathMs is the no-latency run plus the waits on the grader's longest chain of dependent
 * calls under the realistic profile: preflight's identity call, its permission probes, then the
 * dashboard check's ListDashboards, GetDashboard, StartQuery, the query itself and
 * GetQueryResults. A ratio near 1 means every other wait overlapped with that chain.
 * Targets: noLatencyMs under 15,000; ratio under 1.3.
 */
import { LATENCY_PROFILES } from '../sandbox/conditions';
import { startSandbox } from '../sandbox/server';
import { LabBuilder } from '../specs/genai-monitoring/lab/scenario';
import { runGrader } from '../testkit/run-grader';

const CHAIN_API_CALLS = 6;

async function main() {
  const sandbox = await startSandbox({ port: 0 });
  try {
    const accountId = '424242424242';
    await new LabBuilder(sandbox.url, accountId).complete();

    const timed = async () => {
      const started = performance.now();
      const run = await runGrader({ sandboxUrl: sandbox.url, accountId, env: { LAB_WORKERS: '4' } });
      if (run.grade.score !== 100)
        throw new Error(`Expected 100/100, got ${run.grade.score}:\n${run.output}`);
      return Math.round(performance.now() - started);
    };

    const noLatencyMs = await timed();
    sandbox.world.latency = LATENCY_PROFILES.realistic;
    const realisticMs = await timed();
    const { apiMs, queryMs } = LATENCY_PROFILES.realistic;
    const criticalPathMs = noLatencyMs + CHAIN_API_CALLS * apiMs + queryMs;
    console.log(
      JSON.stringify({
        noLatencyMs,
        realisticMs,
        criticalPathMs,
        ratio: Number((realisticMs / criticalPathMs).toFixed(2)),
      }),
    );
  } finally {
    await sandbox.close();
  }
}

void main();
