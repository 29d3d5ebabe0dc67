import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetModelInvocationLoggingConfigurationCommand } from '@aws-sdk/client-bedrock';
import { ListDashboardsCommand, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { preflightTest, test as setup } from './lab/test';

// The grader's own read permissions, probed once: what the checks read, by the action it needs.
setup(
  ...preflightTest((aws) => ({
    'bedrock:GetModelInvocationLoggingConfiguration': () =>
      aws.bedrock.send(new GetModelInvocationLoggingConfigurationCommand({})),
    'logs:DescribeLogGroups': () => aws.logs.send(new DescribeLogGroupsCommand({ limit: 1 })),
    'cloudwatch:ListDashboards': () => aws.cloudwatch.send(new ListDashboardsCommand({})),
    'cloudwatch:ListMetrics': () => aws.cloudwatch.send(new ListMetricsCommand({ Namespace: 'AWS/Bedrock' })),
  })),
);
