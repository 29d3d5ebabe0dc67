import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { expect, test } from '../fixtures/sandbox';
import { LabBuilder } from './lab-builder';
import { all, runGrader, statuses } from './run-grader';

const DASHBOARD_CHECKS = [
  'dashboard.exists',
  'dashboard.invocations-widget',
  'dashboard.tokens-widget',
  'dashboard.latency-widget',
  'dashboard.displays-data',
];

/**
 * The grader's own trouble is never the learner's failure. (That grade mode changes nothing is
 * proven with the grader policy in tests/reports/least-privilege.spec.ts.)
 */
test.describe('grader trouble: inconclusive, never fail', () => {
  test.describe.configure({ timeout: 120_000 });

  test('throttling past the retries makes the checks it hits inconclusive', async ({
    sandbox,
    accountId,
  }) => {
    await new LabBuilder(sandbox.url, accountId).complete();
    await fetch(`${sandbox.url}/_sandbox/faults`, {
      method: 'PUT',
      body: JSON.stringify({
        faults: [{ operation: 'ListDashboards', account: accountId, error: 'throttle' }],
      }),
    });
    try {
      const { grade, exitCode } = await runGrader({ sandboxUrl: sandbox.url, accountId });
      const got = statuses(grade);
      for (const id of DASHBOARD_CHECKS) expect(got[id], id).toBe('inconclusive');
      expect(grade.checks.find((c) => c.id === 'dashboard.exists')?.message).toContain('throttled');
      expect(got['logging.enabled']).toBe('pass');
      expect(grade.maxScore, 'inconclusive points are out of the maximum').toBe(70);
      expect(grade.score).toBe(70);
      expect(exitCode, 'no check failed').toBe(0);
    } finally {
      await fetch(`${sandbox.url}/_sandbox/faults`, { method: 'PUT', body: JSON.stringify({ faults: [] }) });
    }
  });

  test('a permission the grader lacks makes its checks inconclusive', async ({ sandbox, accountId, aws }) => {
    const lab = await new LabBuilder(sandbox.url, accountId).complete();
    await lab.aws.iam.send(
      new CreateRoleCommand({
        RoleName: 'Grader',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: `arn:aws:iam::${accountId}:root` },
              Action: 'sts:AssumeRole',
            },
          ],
        }),
      }),
    );
    await lab.aws.iam.send(
      new PutRolePolicyCommand({
        RoleName: 'Grader',
        PolicyName: 'ReadAllButDashboards',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: '*', Resource: '*' },
            {
              Effect: 'Deny',
              Action: ['cloudwatch:ListDashboards', 'cloudwatch:GetDashboard'],
              Resource: '*',
            },
          ],
        }),
      }),
    );
    const { Credentials } = await new STSClient(aws).send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/Grader`, RoleSessionName: 'grader' }),
    );
    const { grade, exitCode } = await runGrader({
      sandboxUrl: sandbox.url,
      accountId,
      env: {
        AWS_ACCESS_KEY_ID: Credentials!.AccessKeyId!,
        AWS_SECRET_ACCESS_KEY: Credentials!.SecretAccessKey!,
        AWS_SESSION_TOKEN: Credentials!.SessionToken!,
      },
    });
    const got = statuses(grade);
    for (const id of DASHBOARD_CHECKS) expect(got[id], id).toBe('inconclusive');
    expect(grade.checks.find((c) => c.id === 'dashboard.exists')?.message).toContain(
      "grader's own credentials",
    );
    expect(got['invocations.count']).toBe('pass');
    expect(exitCode).toBe(0);
  });

  test('the wrong account makes every check inconclusive', async ({ sandbox, accountId }) => {
    await new LabBuilder(sandbox.url, accountId).complete();
    const { grade, exitCode } = await runGrader({
      sandboxUrl: sandbox.url,
      accountId,
      env: { LAB_EXPECTED_ACCOUNT: '111122223333' },
    });
    expect(statuses(grade)).toEqual(all('inconclusive'));
    expect(grade.checks[0]?.message).toContain('wrong account');
    expect(grade.maxScore).toBe(0);
    expect(exitCode).toBe(0);
  });

  test('an endpoint that does not answer makes every check inconclusive', async ({ sandbox, accountId }) => {
    const { grade, exitCode } = await runGrader({
      sandboxUrl: sandbox.url,
      accountId,
      env: { LAB_TARGET: 'aws', AWS_ENDPOINT_URL: 'http://127.0.0.1:9', LAB_INGESTION_TIMEOUT: '1' },
    });
    expect(statuses(grade)).toEqual(all('inconclusive'));
    expect(grade.checks[0]?.message).toContain('could not be reached');
    expect(exitCode).toBe(0);
  });
});
