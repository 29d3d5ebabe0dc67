import { randomInt } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AttachRolePolicyCommand } from '@aws-sdk/client-iam';
import { createClients } from '../../helpers/aws-clients';
import { expect, test } from '../fixtures/sandbox';
import { GRADER_POLICY, LabBuilder, RUNNER_POLICY } from '../../specs/genai-monitoring/lab/scenario';
import { REGION, runGrader, runGraderProcess } from '../../testkit/run-grader';
import { grade, grantGrader, runClassGrader, writeRoster } from '../../testkit/class-run';

interface AuditedCall {
  service: string;
  operation: string;
  readOnly: boolean;
  caller: string;
}

// The sandbox names services by their endpoints; IAM names actions by these prefixes.
const PREFIX: Record<string, string> = {
  logs: 'logs',
  monitoring: 'cloudwatch',
  bedrock: 'bedrock',
  'bedrock-runtime': 'bedrock',
  iam: 'iam',
  sts: 'sts',
};
// Operations authorized by another operation's action.
const ACTION_OF: Record<string, string> = {
  Converse: 'InvokeModel',
  ConverseStream: 'InvokeModelWithResponseStream',
};

function actionOf(call: AuditedCall): string {
  return `${PREFIX[call.service] ?? call.service}:${ACTION_OF[call.operation] ?? call.operation}`;
}

/** Every action a policy allows (the policies name actions exactly: no wildcards to expand). */
function allowed(policy: string): Set<string> {
  const document = JSON.parse(policy) as { Statement: { Effect: string; Action: string | string[] }[] };
  return new Set(
    document.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) => [s.Action].flat()),
  );
}

async function audit(sandboxUrl: string, account: string, since: string): Promise<AuditedCall[]> {
  const response = await fetch(`${sandboxUrl}/_sandbox/audit?account=${account}&since=${encodeURIComponent(since)}`);
  return ((await response.json()) as { calls: AuditedCall[] }).calls;
}

const account = () => String(randomInt(100_000_000_000, 999_999_999_999));

test.describe('least privilege, from the sandbox audit log', () => {
  test.describe.configure({ timeout: 180_000 });

  test('grade mode calls exactly the grader policy’s actions, all read-only', async ({ sandbox, accountId }) => {
    await new LabBuilder(sandbox.url, accountId).complete();
    const since = new Date().toISOString();
    const run = await runGrader({ sandboxUrl: sandbox.url, accountId });
    expect(run.grade, run.output).toMatchObject({ score: 100, maxScore: 100 });
    const calls = await audit(sandbox.url, accountId, since);
    expect(calls.filter((c) => !c.readOnly).map(actionOf), 'no mutating call').toEqual([]);
    // The complete lab makes the grader read everything it can: the policy is neither short nor long.
    expect(new Set(calls.map(actionOf))).toEqual(allowed(GRADER_POLICY));
  });

  test('a learner’s role allowed only the grader policy is enough to grade them fully', async ({ sandbox }) => {
    const [grader, learner] = [account(), account()];
    await new LabBuilder(sandbox.url, learner).complete();
    const roleArn = await grantGrader(sandbox.url, learner, grader, 'lp-external', GRADER_POLICY);
    const dir = mkdtempSync(join(tmpdir(), 'lab-lp-'));
    const roster = writeRoster(dir, [
      { learner_id: 'ada', account_id: learner, role_arn: roleArn, region: REGION, external_id: 'lp-external' },
    ]);
    const since = new Date().toISOString();
    const run = await runClassGrader({ sandboxUrl: sandbox.url, graderAccount: grader, reportsDir: dir, roster });
    expect(run.exitCode, run.output).toBe(0);
    expect(grade(dir, 'ada'), run.output).toMatchObject({ score: 100, maxScore: 100 });
    const calls = await audit(sandbox.url, learner, since);
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) {
      expect(call.caller, 'every call in the learner’s account is the grader’s role session').toMatch(
        new RegExp(`^arn:aws:sts::${learner}:assumed-role/LabGrader/lab-grader-ada$`),
      );
      expect(call.readOnly, actionOf(call)).toBe(true);
      expect([...allowed(GRADER_POLICY)]).toContain(actionOf(call));
    }
  });

  test('a grader role given AWS’s own ReadOnlyAccess, as instructors do, grades fully', async ({ sandbox }) => {
    const [grader, learner] = [account(), account()];
    await new LabBuilder(sandbox.url, learner).complete();
    const nothing = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'sts:GetCallerIdentity', Resource: '*' }],
    });
    const roleArn = await grantGrader(sandbox.url, learner, grader, 'ro-external', nothing);
    const { iam } = createClients({
      region: REGION,
      endpoint: sandbox.url,
      credentials: { accessKeyId: learner, secretAccessKey: 'test' },
    });
    await iam.send(
      new AttachRolePolicyCommand({ RoleName: 'LabGrader', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }),
    );
    const dir = mkdtempSync(join(tmpdir(), 'lab-ro-'));
    const roster = writeRoster(dir, [
      { learner_id: 'ada', account_id: learner, role_arn: roleArn, region: REGION, external_id: 'ro-external' },
    ]);
    const run = await runClassGrader({ sandboxUrl: sandbox.url, graderAccount: grader, reportsDir: dir, roster });
    expect(grade(dir, 'ada'), run.output).toMatchObject({ score: 100, maxScore: 100, status: 'complete' });
  });

  test('run mode stays within the runner policy', async ({ sandbox, accountId }) => {
    const since = new Date().toISOString();
    const run = await runGrader({ sandboxUrl: sandbox.url, accountId, mode: 'run' });
    expect(run.grade, run.output).toMatchObject({ score: 100, maxScore: 100 });
    const runner = allowed(RUNNER_POLICY);
    const calls = (await audit(sandbox.url, accountId, since)).map(actionOf);
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.filter((a) => !runner.has(a))).toEqual([]);
  });

  test('run mode refuses an account it was not told to change, and changes nothing', async ({
    sandbox,
    accountId,
  }) => {
    const since = new Date().toISOString();
    const run = await runGraderProcess({
      sandboxUrl: sandbox.url,
      accountId,
      mode: 'run',
      env: { LAB_EXPECTED_ACCOUNT: '111122223333', LAB_CLEANUP: '1' },
    });
    expect(run.exitCode, run.output).not.toBe(0);
    expect(run.output).toContain('Run mode changes nothing here: wrong account');
    // Its checks never ran: it grades nothing rather than writing a grade of nothing.
    expect(run.output).toContain('No check ran, so no grade was written');
    expect(existsSync(join(run.reportsDir, 'grade.json'))).toBe(false);
    const calls = await audit(sandbox.url, accountId, since);
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.filter((c) => !c.readOnly).map(actionOf)).toEqual([]);
  });
});
