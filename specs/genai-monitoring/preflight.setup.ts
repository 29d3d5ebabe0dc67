import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetModelInvocationLoggingConfigurationCommand } from '@aws-sdk/client-bedrock';
import { ListDashboardsCommand, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { classifyAwsError } from '../../helpers/aws-errors';
import { IDENTITY_ANNOTATION, type IdentityTag } from '../../helpers/grade-contract';
import { redact } from '../../helpers/redact';
import { runPreflight, savePreflight, test as setup } from '../../fixtures/lab';

setup(
  'preflight: who is calling, where, and what the grader may read',
  async ({ settings, aws }, testInfo) => {
    const preflight = await setup.step('identify the caller (sts:GetCallerIdentity)', () =>
      runPreflight(settings, aws),
    );

    // The grader's own read permissions: a denied probe explains the inconclusive checks that follow.
    const probes: Record<string, () => Promise<unknown>> = {
      'bedrock:GetModelInvocationLoggingConfiguration': () =>
        aws.bedrock.send(new GetModelInvocationLoggingConfigurationCommand({})),
      'logs:DescribeLogGroups': () => aws.logs.send(new DescribeLogGroupsCommand({ limit: 1 })),
      'cloudwatch:ListDashboards': () => aws.cloudwatch.send(new ListDashboardsCommand({})),
      'cloudwatch:ListMetrics': () =>
        aws.cloudwatch.send(new ListMetricsCommand({ Namespace: 'AWS/Bedrock' })),
    };
    const permissions: Record<string, string> = {};
    if (!preflight.blocker) {
      await setup.step('probe the grader’s read permissions', async () => {
        await Promise.all(
          Object.entries(probes).map(async ([action, probe]) => {
            permissions[action] = await probe().then(
              () => 'allowed',
              (error: unknown) => classifyAwsError(error),
            );
          }),
        );
      });
    }

    savePreflight(settings, preflight);
    const identity: IdentityTag = {
      accountId: preflight.accountId,
      region: preflight.region,
      target: preflight.target,
      mode: preflight.mode,
      learner: settings.learner,
    };
    testInfo.annotations.push({ type: IDENTITY_ANNOTATION, description: JSON.stringify(identity) });
    await testInfo.attach('preflight.json', {
      body: JSON.stringify(redact({ ...preflight, permissions }), null, 2),
      contentType: 'application/json',
    });
    if (preflight.blocker)
      testInfo.annotations.push({ type: 'warning', description: redact(preflight.blocker) as string });
  },
);
