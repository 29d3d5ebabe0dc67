import type { LabDefinition, RubricItem } from '../../../helpers/lab-definition';
import { readGenaiMonitoringSettings } from './settings';

/**
 * The lab as the framework knows it: its title, its steps, and its checklist as a rubric. Ids are
 * a public contract (grade.json, the gradebook's columns): keep them stable. Hints live with the
 * checks: each way a check fails has its own.
 */

const RUBRIC = [
  {
    id: 'logging.enabled',
    step: 1,
    points: 10,
    title: 'Model invocation logging is enabled with CloudWatch Logs as a destination',
  },
  {
    id: 'logging.log-group',
    step: 1,
    points: 5,
    title: 'Logs go to the log group /aws/bedrock/model-invocations, which exists',
  },
  {
    id: 'logging.text-data',
    step: 1,
    points: 5,
    title: 'Text data delivery is on',
  },
  {
    id: 'logging.role',
    step: 1,
    points: 10,
    title: 'The logging role trusts Bedrock and may write to the log group',
  },
  {
    id: 'invocations.count',
    step: 2,
    points: 15,
    title: 'The five prompts were sent to a model and logged',
  },
  {
    id: 'logs.entries',
    step: 3,
    points: 10,
    title: 'Log entries carry the model id, token counts and request and response bodies',
  },
  {
    id: 'insights.query',
    step: 3,
    points: 15,
    title: "The lab's Logs Insights query returns results",
  },
  {
    id: 'dashboard.exists',
    step: 4,
    points: 6,
    title: 'A dashboard named GenAI-Monitoring exists',
  },
  {
    id: 'dashboard.invocations-widget',
    step: 4,
    points: 6,
    title: 'A widget counts invocations over time',
  },
  {
    id: 'dashboard.tokens-widget',
    step: 4,
    points: 6,
    title: 'A widget shows input and output token usage',
  },
  {
    id: 'dashboard.latency-widget',
    step: 4,
    points: 6,
    title: 'A widget shows invocation latency',
  },
  {
    id: 'dashboard.displays-data',
    step: 4,
    points: 6,
    title: 'The dashboard displays data',
  },
  {
    id: 'console.bedrock-settings',
    step: 1,
    points: 0,
    title: 'The Bedrock console shows invocation logging on (evidence)',
  },
  {
    id: 'console.dashboard',
    step: 4,
    points: 0,
    title: 'The GenAI-Monitoring dashboard opens and shows data (evidence)',
  },
] as const satisfies readonly RubricItem[];

export const definition = {
  id: 'genai-monitoring',
  title: 'Lab 5: Monitoring GenAI Applications with CloudWatch',
  stepTitles: {
    1: 'Enable Model Invocation Logging',
    2: 'Generate Sample Invocations',
    3: 'View Logs in CloudWatch',
    4: 'Create CloudWatch Dashboard',
  },
  rubric: RUBRIC,
  graderPolicy: 'specs/genai-monitoring/lab/iam/grader-policy.json',
  console: {
    // What the Bedrock settings page and the dashboard read, and nothing more.
    sessionPolicy: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: [
            'bedrock:Get*',
            'bedrock:List*',
            'logs:Describe*',
            'logs:Get*',
            'logs:FilterLogEvents',
            'logs:StartQuery',
            'logs:StopQuery',
            'cloudwatch:Get*',
            'cloudwatch:List*',
            'cloudwatch:Describe*',
            'iam:ListRoles',
            'iam:GetRole',
          ],
          Resource: '*',
        },
      ],
    },
    graderPolicy: 'specs/genai-monitoring/lab/iam/grader-console-policy.json',
  },
  readSettings: readGenaiMonitoringSettings,
} as const satisfies LabDefinition;
