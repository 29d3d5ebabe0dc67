import { LAB } from '../facts';
import { quantity, fail, pass, type Verdict } from '../../../../helpers/verdict';
import type { LoggingSettingsSeen } from './bedrock-settings-page';
import type { WidgetSeen } from './dashboard-page';

/** Step 1 as the Bedrock console shows it. */
export function judgeBedrockSettings(seen: LoggingSettingsSeen, region: string): Verdict {
  if (!seen.loggingOn) {
    return fail(
      `The Bedrock console (${region}) shows Model invocation logging switched off.`,
      'In the Bedrock console, open Settings and turn on Model invocation logging, in the Region you grade in.',
      seen,
    );
  }
  if (seen.destination !== 'CloudWatch Logs only' && seen.destination !== 'Both S3 and CloudWatch Logs') {
    return fail(
      `The Bedrock console shows logging on, but to ${seen.destination ?? 'no destination'} rather than CloudWatch Logs.`,
      'Choose CloudWatch Logs only (or both S3 and CloudWatch Logs) as the destination.',
      seen,
    );
  }
  if (seen.logGroupName !== LAB.logGroup) {
    return fail(
      `The Bedrock console shows the log group '${seen.logGroupName ?? ''}'; the lab expects '${LAB.logGroup}'.`,
      `Set the log group name to ${LAB.logGroup} exactly.`,
      seen,
    );
  }
  if (!seen.dataTypes.includes('Text')) {
    return fail(
      'The Bedrock console shows logging on, but the Text data type is not ticked.',
      'Under "Select the data types to include with logs", tick Text.',
      seen,
    );
  }
  return pass(
    `The Bedrock console shows invocation logging on, delivering ${seen.dataTypes.join(', ')} data to CloudWatch Logs group ${seen.logGroupName}.`,
    seen,
  );
}

/** What the dashboard page showed. */
export interface DashboardSeen {
  /** The dashboard opened: the lab's, or one named like it. */
  name?: string;
  opened: boolean;
  /** The page's error when it did not open. */
  error?: string;
  widgets: WidgetSeen[];
  /** Position of the invocations widget among `widgets`, from the dashboard body. */
  invocationsIndex?: number;
}

export function judgeDashboard(seen: DashboardSeen): Verdict {
  if (!seen.opened) {
    return fail(
      `The dashboard ${LAB.dashboardName} does not open in the console: ${seen.error ?? 'no such dashboard'}.`,
      `Create the dashboard in CloudWatch, Dashboards, named exactly ${LAB.dashboardName} (Step 4).`,
      seen,
    );
  }
  if (seen.widgets.length < 3) {
    return fail(
      `The dashboard shows ${seen.widgets.length} widget(s); the lab builds three.`,
      'Add the invocations, token usage and latency widgets of Step 4.',
      seen,
    );
  }
  const invocations = seen.invocationsIndex === undefined ? undefined : seen.widgets[seen.invocationsIndex];
  if (!invocations) {
    return fail(
      'No widget on the dashboard counts invocations.',
      'Add a widget that counts invocations over time.',
      seen,
    );
  }
  if (invocations.state === 'error') {
    return fail(
      `The invocations widget "${invocations.title}" fails to load: ${invocations.error}`,
      'Open the widget and fix its query or metrics until it loads.',
      seen,
    );
  }
  if (invocations.state === 'empty') {
    return fail(
      `The invocations widget "${invocations.title}" shows no data for the last week.`,
      'Send the five prompts (Step 2) after logging is on.',
      seen,
    );
  }
  return pass(
    `The dashboard ${seen.name ?? LAB.dashboardName} opens with ${quantity(seen.widgets.length, 'widget')}; the invocations widget "${invocations.title}" shows data (${quantity(invocations.rows, 'row')}).`,
    seen,
  );
}
