import { ListDashboardsCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { preflightTest, test as setup } from './lab/test';

setup(
  ...preflightTest((aws) => ({
    'logs:DescribeLogGroups': () => aws.logs.send(new DescribeLogGroupsCommand({ limit: 1 })),
    'cloudwatch:ListDashboards': () => aws.cloudwatch.send(new ListDashboardsCommand({})),
  })),
);
