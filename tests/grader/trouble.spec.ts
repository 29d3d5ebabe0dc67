import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { parse } from 'csv-parse/sync';
import { gradebookCsv } from '../../reporters/gradebook';
import { definition } from '../../specs/genai-monitoring/lab/definition';
import { ADMIN_CHANGE, expect, test, type ClientConfig } from '../fixtures/sandbox';
import { logWidget } from '../../testkit/widgets';
import { LabBuilder } from '../../specs/genai-monitoring/lab/scenario';
import { everyScoredCheck, runGrader, statuses } from '../../testkit/run-grader';

const all = everyScoredCheck(definition);
const DASHBOARD_CHECKS = [
  'dashboard.exists',
  'dashboard.invocations-widget',
  'dashboard.tokens-widget',
  'dashboard.latency-widget',
  'dashboard.displays-data',
];

/** A role in the learner's account the grader assumes, allowed everything but `denied`. */
async function graderRole(lab: LabBuilder, aws: ClientConfig, denied: string[]) {
  await lab.aws.iam.send(
    new CreateRoleCommand({
      RoleName: 'Grader',
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${lab.accountId}:root` },
            Action: 'sts:AssumeRole',
          },
        ],
      }),
    }),
  );
  await lab.aws.iam.send(
    new PutRolePolicyCommand({
      RoleName: 'Grader',
      PolicyName: 'ReadAllBut',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: '*', Resource: '*' },
          { Effect: 'Deny', Action: denied, Resource: '*' },
        ],
      }),
    }),
  );
  const { Credentials } = await new STSClient(aws).send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${lab.accountId}:role/Grader`,
      RoleSessionName: 'grader',
    }),
  );
  return {
    AWS_ACCESS_KEY_ID: Credentials!.AccessKeyId!,
    AWS_SECRET_ACCESS_KEY: Credentials!.SecretAccessKey!,
    AWS_SESSION_TOKEN: Credentials!.SessionToken!,
  };
}

/** The lines the grader printed last: where a run's cause must be. */
const lastLines = (output: string, n = 6) => output.trimEnd().split('\n').slice(-n).join('\n');

/**
 * What the learner cannot cause is inconclusive, never a failure; it earns nothing, keeps the
 * maximum at 100, makes the grade incomplete and the run exit 1, and the last lines say why.
 * (That grade mode changes nothing is proven with the grader policy in
 * tests/reports/least-privilege.spec.ts.)
 */
test.describe('grader trouble: inconclusive, incomplete, never a better grade', () => {
  test.describe.configure({ timeout: 120_000 });

  test('throttling past the retries makes the checks it hits inconclusive, for the instructor', async ({
    sandbox,
    accountId,
  }) => {
    await new LabBuilder(sandbox.url, accountId).complete();
    await fetch(`${sandbox.url}/_sandbox/faults`, {
      method: 'PUT',
      headers: ADMIN_CHANGE,
      body: JSON.stringify({
        faults: [{ operation: 'ListDashboards', account: accountId, error: 'throttle' }],
      }),
    });
    try {
      const { grade, exitCode, output } = await runGrader({ sandboxUrl: sandbox.url, accountId });
      expect(statuses(grade)).toEqual(
        all('pass', Object.fromEntries(DASHBOARD_CHECKS.map((id) => [id, 'inconclusive']))),
      );
      expect(grade.checks.find((c) => c.id === 'dashboard.exists')?.message).toContain('throttled');
      expect(grade).toMatchObject({ score: 70, maxScore: 100, status: 'incomplete' });
      expect(grade.inconclusive.map((c) => [c.id, c.points, c.actor])).toEqual(
        DASHBOARD_CHECKS.map((id) => [id, 6, 'instructor']),
      );
      expect(exitCode, 'an incomplete grade fails the run').toBe(1);
      expect(lastLines(output)).toMatch(/Score: 70\/100 \(70%\), INCOMPLETE/);
      expect(lastLines(output)).toMatch(
        /Cause \(whoever runs the grader must act; dashboard\.exists.*throttled/,
      );
    } finally {
      await fetch(`${sandbox.url}/_sandbox/faults`, {
        method: 'PUT',
        headers: ADMIN_CHANGE,
        body: JSON.stringify({ faults: [] }),
      });
    }
  });

  test('log widgets written in SQL are left to the instructor, neither failed nor passed', async ({
    sandbox,
    accountId,
  }) => {
    const lab = new LabBuilder(sandbox.url, accountId);
    await lab.enableLogging();
    await lab.sendPrompts();
    const sql = (query: string) => {
      const widget = logWidget(query);
      return { ...widget, properties: { ...widget.properties, queryLanguage: 'SQL' } };
    };
    await lab.dashboard([
      sql('SELECT count(*) FROM `/aws/bedrock/model-invocations`'),
      sql(
        'SELECT sum(`input.inputTokenCount`), sum(`output.outputTokenCount`) FROM `/aws/bedrock/model-invocations`',
      ),
    ]);
    const { grade, exitCode } = await runGrader({ sandboxUrl: sandbox.url, accountId });
    const widgetChecks = DASHBOARD_CHECKS.filter((id) => id !== 'dashboard.exists');
    expect(statuses(grade)).toEqual(
      all('pass', Object.fromEntries(widgetChecks.map((id) => [id, 'inconclusive']))),
    );
    expect(grade.checks.find((c) => c.id === 'dashboard.tokens-widget')?.message).toContain(
      'is written in SQL, which the grader does not read yet',
    );
    expect(grade.inconclusive.map((c) => c.actor)).toEqual(widgetChecks.map(() => 'instructor'));
    expect(grade).toMatchObject({ score: 76, maxScore: 100, status: 'incomplete' });
    expect(exitCode).toBe(1);
  });

  test('an explicit Deny in the learner’s own account is the learner’s to lift', async ({
    sandbox,
    accountId,
    aws,
  }) => {
    const lab = await new LabBuilder(sandbox.url, accountId).complete();
    const env = await graderRole(lab, aws, ['cloudwatch:ListDashboards', 'cloudwatch:GetDashboard']);
    const { grade, exitCode, output } = await runGrader({ sandboxUrl: sandbox.url, accountId, env });
    const got = statuses(grade);
    for (const id of DASHBOARD_CHECKS) expect(got[id], id).toBe('inconclusive');
    expect(grade.checks.find((c) => c.id === 'dashboard.exists')?.message).toContain(
      'access denied for cloudwatch:ListDashboards',
    );
    expect(grade.inconclusive.every((c) => c.actor === 'learner')).toBe(true);
    expect(grade.checks.find((c) => c.id === 'dashboard.exists')?.hint).toContain('remove any Deny');
    expect(got['invocations.count']).toBe('pass');
    expect(grade).toMatchObject({ score: 70, maxScore: 100, status: 'incomplete' });
    expect(exitCode).toBe(1);
    expect(lastLines(output)).toContain('the learner must act');
  });

  test('a denied read of a running query says so, instead of a query that never finished', async ({
    sandbox,
    accountId,
    aws,
  }) => {
    const lab = await new LabBuilder(sandbox.url, accountId).complete();
    const env = await graderRole(lab, aws, ['logs:GetQueryResults']);
    const { grade } = await runGrader({ sandboxUrl: sandbox.url, accountId, env });
    const query = grade.checks.find((c) => c.id === 'insights.query');
    expect(query).toMatchObject({ status: 'inconclusive', actor: 'learner' });
    expect(query?.message).toContain('access denied for logs:GetQueryResults');
    expect(query?.message).not.toContain('did not complete');
  });

  test('sabotage: denying the grader’s reads only loses points', async ({ sandbox, accountId, aws }) => {
    // Step 1 and the dashboard, but no prompts.
    const lab = await new LabBuilder(sandbox.url, accountId).enableLogging();
    await lab.dashboard();
    const honest = await runGrader({ sandboxUrl: sandbox.url, accountId });
    const env = await graderRole(lab, aws, [
      'logs:FilterLogEvents',
      'logs:StartQuery',
      'cloudwatch:ListMetrics',
    ]);
    const sabotaged = await runGrader({ sandboxUrl: sandbox.url, accountId, env });
    expect(honest.grade.status).toBe('complete');
    expect(sabotaged.grade.status).toBe('incomplete');
    expect(sabotaged.grade.inconclusive.length).toBeGreaterThan(0);
    expect(sabotaged.grade.inconclusive.every((c) => c.actor === 'learner')).toBe(true);
    expect(sabotaged.grade.maxScore).toBe(100);
    expect(sabotaged.grade.score).toBeLessThanOrEqual(honest.grade.score);
    const [honestRow, sabotagedRow] = parse(gradebookCsv([honest.grade, sabotaged.grade], definition), {
      columns: true,
    }) as Record<string, string>[];
    expect(Number(sabotagedRow!.percent)).toBeLessThanOrEqual(Number(honestRow!.percent));
    expect(sabotagedRow!.status).toBe('incomplete');
  });

  test('the wrong account makes every check inconclusive and the grade worth nothing', async ({
    sandbox,
    accountId,
  }) => {
    await new LabBuilder(sandbox.url, accountId).complete();
    const { grade, exitCode, output } = await runGrader({
      sandboxUrl: sandbox.url,
      accountId,
      env: { LAB_EXPECTED_ACCOUNT: '111122223333' },
    });
    expect(statuses(grade)).toEqual(all('inconclusive'));
    expect(grade.checks[0]?.message).toContain('wrong account');
    expect(grade).toMatchObject({ score: 0, maxScore: 100, status: 'incomplete' });
    expect(exitCode).toBe(1);
    expect(lastLines(output)).toContain('wrong account');
  });

  test('an endpoint that does not answer makes every check inconclusive, and the run says so last', async ({
    sandbox,
    accountId,
  }) => {
    const { grade, exitCode, output } = await runGrader({
      sandboxUrl: sandbox.url,
      accountId,
      env: { LAB_TARGET: 'aws', AWS_ENDPOINT_URL: 'http://127.0.0.1:9', LAB_INGESTION_TIMEOUT: '1' },
    });
    expect(statuses(grade)).toEqual(all('inconclusive'));
    expect(grade.checks[0]?.message).toContain('could not be reached');
    expect(grade).toMatchObject({ score: 0, maxScore: 100, status: 'incomplete' });
    expect(exitCode).toBe(1);
    expect(lastLines(output)).toMatch(
      /Cause \(whoever runs the grader must act; every check\).*could not be reached/,
    );
  });

  test('no credentials at all: nothing is graded, the run fails and says there are none', async ({
    sandbox,
    accountId,
  }) => {
    const { grade, exitCode, output } = await runGrader({
      sandboxUrl: sandbox.url,
      accountId,
      env: {
        LAB_TARGET: 'aws',
        AWS_ENDPOINT_URL: sandbox.url,
        AWS_ACCESS_KEY_ID: '',
        AWS_SECRET_ACCESS_KEY: '',
        AWS_PROFILE: '',
        AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
        AWS_CONFIG_FILE: '/nonexistent/config',
        AWS_EC2_METADATA_DISABLED: 'true',
        LAB_INGESTION_TIMEOUT: '1',
      },
    });
    expect(statuses(grade)).toEqual(all('inconclusive'));
    expect(grade).toMatchObject({ score: 0, maxScore: 100, status: 'incomplete' });
    expect(exitCode).toBe(1);
    expect(lastLines(output)).toContain('the grader found no AWS credentials');
    expect(output).not.toContain('were refused');
  });
});
