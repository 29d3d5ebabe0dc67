import { parse } from 'csv-parse/sync';
import { randomInt } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Grade } from '../../helpers/grade-contract';
import { expect, test } from '../fixtures/sandbox';
import { GRADER_POLICY, LabBuilder } from '../../specs/genai-monitoring/lab/scenario';
import { REGION } from '../../testkit/run-grader';
import {
  grade,
  grantGrader,
  mergeReports,
  runClassGrader,
  writeRoster,
  type RosterRow,
} from '../../testkit/class-run';

const EXTERNAL_ID = 'lab5-class-2026';
const account = () => String(randomInt(100_000_000_000, 999_999_999_999));

/** The gradebook as rows of {column: value}. */
function gradebook(reportsDir: string): Record<string, string>[] {
  return parse(readFileSync(join(reportsDir, 'gradebook.csv'), 'utf8'), { columns: true });
}

/** A grade without the times it was made at, which no two runs share. */
function timeless({ startedAt: _s, finishedAt: _f, ...rest }: Grade) {
  return rest;
}

const COMPLETE = {
  score: '100',
  max_score: '100',
  percent: '100',
  status: 'complete',
  'logging.enabled': '10',
  'logging.log-group': '5',
  'logging.text-data': '5',
  'logging.role': '10',
  'invocations.count': '15',
  'logs.entries': '10',
  'insights.query': '15',
  'dashboard.exists': '6',
  'dashboard.invocations-widget': '6',
  'dashboard.tokens-widget': '6',
  'dashboard.latency-widget': '6',
  'dashboard.displays-data': '6',
  'console.bedrock-settings': 'skipped',
  'console.dashboard': 'skipped',
};

test.describe('a class graded from a roster', () => {
  test.describe.configure({ timeout: 240_000 });

  test('three accounts (complete, partial, the wrong account) in one run, then in two shards merged', async ({
    sandbox,
  }) => {
    const grader = account();
    const [ada, bo, cy, dee, elsewhere] = [account(), account(), account(), account(), account()];
    // ada did the whole lab; bo enabled logging and sent three prompts, no dashboard; cy's
    // roster row names her account, but the profile given leads to another account that did the
    // lab (a role in another account is refused when the roster loads);
    // dee did Step 1 and the dashboard, sent no prompts, and denied the grader role she owns
    // the reads that would show it.
    await new LabBuilder(sandbox.url, ada).complete();
    await (await new LabBuilder(sandbox.url, bo).enableLogging()).sendPrompts(3);
    await new LabBuilder(sandbox.url, elsewhere).complete();
    await (await new LabBuilder(sandbox.url, dee).enableLogging()).dashboard();
    const sabotage = JSON.parse(GRADER_POLICY) as { Statement: object[] };
    sabotage.Statement.push({
      Effect: 'Deny',
      Action: ['logs:FilterLogEvents', 'logs:StartQuery', 'cloudwatch:ListMetrics'],
      Resource: '*',
    });
    const rows: RosterRow[] = [
      { learner_id: 'ada', account_id: ada, role_arn: '', region: REGION, external_id: EXTERNAL_ID },
      { learner_id: 'bo', account_id: bo, role_arn: '', region: REGION, external_id: EXTERNAL_ID },
      { learner_id: 'cy', account_id: cy, role_arn: '', region: REGION, external_id: EXTERNAL_ID },
      { learner_id: 'dee', account_id: dee, role_arn: '', region: REGION, external_id: EXTERNAL_ID },
    ];
    rows[0]!.role_arn = await grantGrader(sandbox.url, ada, grader, EXTERNAL_ID, GRADER_POLICY);
    rows[1]!.role_arn = await grantGrader(sandbox.url, bo, grader, EXTERNAL_ID, GRADER_POLICY);
    const rosterDir = mkdtempSync(join(tmpdir(), 'lab-roster-'));
    const credentials = join(rosterDir, 'credentials');
    writeFileSync(credentials, `[cy]\naws_access_key_id = ${elsewhere}\naws_secret_access_key = test\n`);
    Object.assign(rows[2]!, { role_arn: '', profile: 'cy', external_id: '' });
    rows[3]!.role_arn = await grantGrader(sandbox.url, dee, grader, EXTERNAL_ID, JSON.stringify(sabotage));
    const roster = writeRoster(rosterDir, rows);
    const env = { AWS_SHARED_CREDENTIALS_FILE: credentials };

    const whole = mkdtempSync(join(tmpdir(), 'lab-class-'));
    const one = await runClassGrader({ sandboxUrl: sandbox.url, graderAccount: grader, reportsDir: whole, roster, env });
    expect(one.exitCode, 'bo failed checks, so the run fails').toBe(1);

    const book = gradebook(whole);
    expect(book.map((r) => r.learner_id), one.output).toEqual(['ada', 'bo', 'cy', 'dee']);
    expect(book[0], one.output).toEqual({ learner_id: 'ada', account_id: ada, ...COMPLETE });
    expect(book[1], one.output).toEqual({
      learner_id: 'bo',
      account_id: bo,
      ...COMPLETE,
      score: '55',
      max_score: '100',
      percent: '55',
      'invocations.count': '0',
      'dashboard.exists': '0',
      'dashboard.invocations-widget': '0',
      'dashboard.tokens-widget': '0',
      'dashboard.latency-widget': '0',
      'dashboard.displays-data': '0',
    });
    const inconclusive = Object.fromEntries(
      Object.entries(COMPLETE).map(([k, v]) => [k, v === 'skipped' ? v : 'inconclusive']),
    );
    expect(book[2], one.output).toEqual({
      learner_id: 'cy',
      account_id: cy,
      ...inconclusive,
      score: '0',
      max_score: '100',
      percent: '0',
      status: 'incomplete',
    });
    // Blocking the grader earned dee nothing: what it could not read is inconclusive, out of 100.
    expect(book[3], one.output).toEqual({
      learner_id: 'dee',
      account_id: dee,
      ...COMPLETE,
      score: '54',
      percent: '54',
      status: 'incomplete',
      'invocations.count': 'inconclusive',
      'logs.entries': 'inconclusive',
      'insights.query': 'inconclusive',
      'dashboard.displays-data': 'inconclusive',
    });
    expect(grade(whole, 'dee').inconclusive.map((c) => c.actor)).toEqual(['learner', 'learner', 'learner', 'learner']);
    for (const check of grade(whole, 'cy').checks.filter((c) => c.points > 0)) {
      expect(check.message).toContain(`wrong account: the credentials belong to ${elsewhere}`);
    }
    expect(grade(whole, 'ada')).toMatchObject({ learner: 'ada', accountId: ada, score: 100, maxScore: 100 });
    expect(readFileSync(join(whole, 'gradebook.md'), 'utf8')).toContain('| bo |');
    expect(existsSync(join(whole, 'grade.json')), 'a roster run writes no single grade').toBe(false);
    for (const report of ['html/index.html', 'junit.xml', 'gradebook.html', 'grades/ada.html']) {
      expect(existsSync(join(whole, report)), report).toBe(true);
    }
    expect(readFileSync(join(whole, 'gradebook.html'), 'utf8')).toContain('<a href="grades/bo.html">bo</a>');
    expect(readdirSync(join(whole, 'allure-results')).length).toBeGreaterThan(0);

    // The same roster in two shards sharing one reports folder, merged.
    const sharded = mkdtempSync(join(tmpdir(), 'lab-class-shards-'));
    const shards = await Promise.all(
      ['1/2', '2/2'].map((shard) =>
        runClassGrader({
          sandboxUrl: sandbox.url,
          graderAccount: grader,
          reportsDir: sharded,
          roster,
          env,
          args: [`--shard=${shard}`],
        }),
      ),
    );
    expect(existsSync(join(sharded, 'gradebook.csv')), 'shards leave grading to the merge').toBe(false);
    const merged = await mergeReports({ sandboxUrl: sandbox.url, graderAccount: grader, reportsDir: sharded, roster });
    const outputs = [...shards, merged].map((r) => r.output).join('\n');
    expect(merged.exitCode, `the merge exits as the whole run did\n${outputs}`).toBe(one.exitCode);
    expect(readFileSync(join(sharded, 'gradebook.csv'), 'utf8'), outputs).toBe(
      readFileSync(join(whole, 'gradebook.csv'), 'utf8'),
    );
    for (const learner of ['ada', 'bo', 'cy', 'dee']) {
      expect(timeless(grade(sharded, learner))).toEqual(timeless(grade(whole, learner)));
    }
    for (const report of ['html/index.html', 'junit.xml', 'allure-report/index.html']) {
      expect(existsSync(join(sharded, report)), report).toBe(true);
    }
    // One page that opens from disk and fetches nothing: no analytics, no scripts or styles from elsewhere.
    const allure = readFileSync(join(sharded, 'allure-report/index.html'), 'utf8');
    expect(allure).not.toMatch(/<(script|link)[^>]+(src|href)="https?:/);
    expect(allure).not.toContain('googletagmanager');
  });
});
