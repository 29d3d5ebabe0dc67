import type { LabDefinition, RubricItem } from '../../../../helpers/lab-definition';

/**
 * A second, small lab, kept with the project's tests: it proves that a lab is its folder alone.
 * Nothing outside this folder names it; `LAB=tests/labs/log-retention` grades it.
 */
const RUBRIC = [
  { id: 'log-group.exists', step: 1, points: 20, title: 'The log group /lab/app/web exists' },
  { id: 'log-group.retention', step: 1, points: 20, title: 'The log group keeps its events for 7 days' },
  { id: 'dashboard.exists', step: 2, points: 20, title: 'A dashboard named App-Logs exists' },
  {
    id: 'dashboard.ingestion-widget',
    step: 2,
    points: 40,
    title: "A metric widget charts the log group's incoming bytes",
  },
] as const satisfies readonly RubricItem[];

export const definition = {
  id: 'log-retention',
  title: 'Keeping and charting application logs',
  stepTitles: { 1: 'Create the log group with a week’s retention', 2: 'Chart its ingestion on a dashboard' },
  rubric: RUBRIC,
  graderPolicy: 'tests/labs/log-retention/lab/iam/grader-policy.json',
} as const satisfies LabDefinition;
