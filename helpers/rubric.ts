/**
 * The lab's checklist as a rubric. Ids are a public contract (grade.json, the gradebook's
 * columns): keep them stable.
 */
export interface RubricItem {
  id: string;
  step: number;
  points: number;
  title: string;
  /** Points the way without handing over the answer. */
  hint: string;
}

export const RUBRIC = [
  {
    id: 'logging.enabled',
    step: 1,
    points: 10,
    title: 'Model invocation logging is enabled with CloudWatch Logs as a destination',
    hint: 'In the Bedrock console, open Settings and turn on Model invocation logging with CloudWatch Logs as the destination, in the same region you grade in.',
  },
  {
    id: 'logging.log-group',
    step: 1,
    points: 5,
    title: 'Logs go to the log group /aws/bedrock/model-invocations, which exists',
    hint: 'The log group name must match the lab exactly, and the group must exist in CloudWatch Logs.',
  },
  {
    id: 'logging.text-data',
    step: 1,
    points: 5,
    title: 'Text data delivery is on',
    hint: 'Under "Select the data types to include with logs", tick Text.',
  },
  {
    id: 'logging.role',
    step: 1,
    points: 10,
    title: 'The logging role trusts Bedrock and may write to the log group',
    hint: 'The service role must trust bedrock.amazonaws.com and allow logs:CreateLogStream and logs:PutLogEvents on the log group.',
  },
  {
    id: 'invocations.count',
    step: 2,
    points: 15,
    title: 'The five prompts were sent to a model and logged',
    hint: 'Run the Step 2 script after logging is enabled; invocations made before it are not logged.',
  },
  {
    id: 'logs.entries',
    step: 3,
    points: 10,
    title: 'Log entries carry the model id, token counts and request and response bodies',
    hint: 'Entries without bodies were logged while text data delivery was off: turn it on and send the prompts again.',
  },
  {
    id: 'insights.query',
    step: 3,
    points: 15,
    title: "The lab's Logs Insights query returns results",
    hint: 'Logs Insights needs invocation log events in the group within the time range you query.',
  },
  {
    id: 'dashboard.exists',
    step: 4,
    points: 6,
    title: 'A dashboard named GenAI-Monitoring exists',
    hint: 'Dashboard names are case-sensitive: create it in CloudWatch, Dashboards, with the exact name.',
  },
  {
    id: 'dashboard.invocations-widget',
    step: 4,
    points: 6,
    title: 'A widget counts invocations over time',
    hint: 'Add a Logs table or line widget on the invocation log group that counts events by a time bin, or a metric widget on AWS/Bedrock Invocations.',
  },
  {
    id: 'dashboard.tokens-widget',
    step: 4,
    points: 6,
    title: 'A widget shows input and output token usage',
    hint: 'One widget should sum both the input and the output token counts.',
  },
  {
    id: 'dashboard.latency-widget',
    step: 4,
    points: 6,
    title: 'A widget shows invocation latency',
    hint: 'Add a widget with the average or maximum latency; the AWS/Bedrock InvocationLatency metric has it.',
  },
  {
    id: 'dashboard.displays-data',
    step: 4,
    points: 6,
    title: 'The dashboard displays data',
    hint: "Every widget's query should run, and the invocations widget should show the invocations you made.",
  },
  {
    id: 'console.bedrock-settings',
    step: 1,
    points: 0,
    title: 'The Bedrock console shows invocation logging on (evidence)',
    hint: 'Open Bedrock, Settings, and check the Model invocation logging section.',
  },
  {
    id: 'console.dashboard',
    step: 4,
    points: 0,
    title: 'The GenAI-Monitoring dashboard opens and shows data (evidence)',
    hint: 'Open CloudWatch, Dashboards, GenAI-Monitoring.',
  },
] as const satisfies readonly RubricItem[];

export type CheckId = (typeof RUBRIC)[number]['id'];

export function rubricItem(id: CheckId): RubricItem {
  return RUBRIC.find((item) => item.id === id)!;
}

export const MAX_SCORE = RUBRIC.reduce((sum, item) => sum + item.points, 0);
