import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoggingConfig } from '@aws-sdk/client-bedrock';
import { expect, test } from '@playwright/test';
import {
  checkDashboardExists,
  checkDisplaysData,
  checkWidget,
  describeWidgets,
  type DisplayState,
  type WidgetFacts,
} from '../../specs/genai-monitoring/lab/checks/dashboard';
import {
  checkLogGroup,
  checkLoggingEnabled,
  checkLoggingRole,
  checkTextData,
  type RoleState,
} from '../../specs/genai-monitoring/lab/checks/logging';
import {
  checkInsightsQuery,
  type QueryOutcome,
} from '../../specs/genai-monitoring/lab/checks/insights-query';
import { checkLogEntries, type RecordParts } from '../../specs/genai-monitoring/lab/checks/log-entries';
import { REJECTED } from '../../specs/genai-monitoring/lab/checks/provenance';
import type { LoggingSettingsSeen } from '../../specs/genai-monitoring/lab/console/bedrock-settings-page';
import type { WidgetSeen } from '../../specs/genai-monitoring/lab/console/dashboard-page';
import {
  judgeBedrockSettings,
  judgeDashboard,
  type DashboardSeen,
} from '../../specs/genai-monitoring/lab/console/verdicts';
import { LAB } from '../../specs/genai-monitoring/lab/facts';
import type { Verdict } from '../../helpers/verdict';
import { COMPLETE_RECORD, widgetData } from '../fixtures/check-states';
import { bedrockTrustPolicy } from '../fixtures/lab-policies';
import { logWidget, metricWidget, onGroup } from '../../testkit/widgets';

/**
 * Every way each pure check can fail, with its message and its hint pinned word for word: the
 * hint is what a learner reads to put the failure right, so each way of failing has its own.
 *
 * One row per `fail(...)` call site of a check (`site` counts them in source order, from 1), and
 * one per branch where the hint (or the hint's text) depends on the state. Rows of one check
 * never share a message; they share a hint only when `sameAdviceAs` names the row whose advice
 * they repeat on purpose.
 */

const REGION = 'us-east-1';
const ACCOUNT = '111122223333';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/LabBedrockInvocationLogging`;
const OTHER_GROUP = '/aws/bedrock/invocation-logs';

/** Where each check is defined, for the call-site count below. */
const SOURCES = {
  checkLoggingEnabled: 'specs/genai-monitoring/lab/checks/logging.ts',
  checkLogGroup: 'specs/genai-monitoring/lab/checks/logging.ts',
  checkTextData: 'specs/genai-monitoring/lab/checks/logging.ts',
  checkLoggingRole: 'specs/genai-monitoring/lab/checks/logging.ts',
  checkLogEntries: 'specs/genai-monitoring/lab/checks/log-entries.ts',
  checkInsightsQuery: 'specs/genai-monitoring/lab/checks/insights-query.ts',
  checkDashboardExists: 'specs/genai-monitoring/lab/checks/dashboard.ts',
  checkWidget: 'specs/genai-monitoring/lab/checks/dashboard.ts',
  checkDisplaysData: 'specs/genai-monitoring/lab/checks/dashboard.ts',
  judgeBedrockSettings: 'specs/genai-monitoring/lab/console/verdicts.ts',
  judgeDashboard: 'specs/genai-monitoring/lab/console/verdicts.ts',
} as const;

type CheckName = keyof typeof SOURCES;

interface Row {
  check: CheckName;
  /** The way of failing, unique within its check. */
  path: string;
  /** Which `fail(` call of the check, counted from 1 in source order. */
  site: number;
  run: () => Verdict;
  message: string;
  hint: string;
  /** The path of an earlier row of the same check whose advice this one repeats on purpose. */
  sameAdviceAs?: string;
}

// ---- state builders ---------------------------------------------------------------------------

const cloudWatch = (logGroupName: string, textDataDeliveryEnabled = true): LoggingConfig => ({
  cloudWatchConfig: { logGroupName, roleArn: ROLE_ARN },
  textDataDeliveryEnabled,
});

const role = (overrides: Partial<RoleState>): RoleState => ({
  roleArn: ROLE_ARN,
  trustPolicy: bedrockTrustPolicy(ACCOUNT),
  permissions: { 'logs:CreateLogStream': 'allowed', 'logs:PutLogEvents': 'allowed' },
  accountId: ACCOUNT,
  region: REGION,
  groupName: LAB.logGroup,
  ...overrides,
});

const ALL = COMPLETE_RECORD;
const NO_BODIES: RecordParts = { ...ALL, inputBody: false, outputBody: false };
const FAILED_CALL: RecordParts = { ...ALL, outputTokenCount: false, outputBody: false };

const query = (o: Partial<QueryOutcome> & { status: string }): QueryOutcome => ({
  group: LAB.logGroup,
  rows: 0,
  recordRows: 0,
  unprovenRows: 0,
  fields: [],
  ...o,
});

function facts(groups: readonly string[], ...widgets: unknown[]): WidgetFacts[] {
  const described = describeWidgets(JSON.stringify({ widgets }), groups);
  if ('error' in described) throw new Error(described.error);
  return described.widgets;
}

const LAB_ONLY = [LAB.logGroup];
const BOTH = [LAB.logGroup, OTHER_GROUP];
const ON_LAMBDA = (text: string) => logWidget(onGroup('/aws/lambda/chatbot', text));
const ON_LAMBDA_B = (text: string) => logWidget(onGroup('/aws/lambda/router', text));

const display = (overrides: Partial<DisplayState>): DisplayState => ({
  dashboard: LAB.dashboardName,
  data: widgetData([{ roles: ['invocations'] }]),
  provenRecords: { [LAB.logGroup]: 5 },
  strict: false,
  ...overrides,
});

const settingsSeen = (overrides: Partial<LoggingSettingsSeen>): LoggingSettingsSeen => ({
  loggingOn: true,
  dataTypes: ['Text'],
  destination: 'CloudWatch Logs only',
  logGroupName: LAB.logGroup,
  ...overrides,
});

const seenWidget = (title: string, overrides: Partial<WidgetSeen> = {}): WidgetSeen => ({
  title,
  state: 'data',
  rows: 4,
  charts: 0,
  ...overrides,
});

const dashboardSeen = (overrides: Partial<DashboardSeen>): DashboardSeen => ({
  name: LAB.dashboardName,
  opened: true,
  widgets: [seenWidget('Invocation Count'), seenWidget('Token Usage'), seenWidget('Latency')],
  invocationsIndex: 0,
  ...overrides,
});

// ---- the hints some paths share with others -----------------------------------------------------

const CREATE_DASHBOARD =
  'Create the dashboard in CloudWatch, Dashboards, named exactly GenAI-Monitoring (Step 4).';
const HINT_INVOCATIONS_WIDGET =
  'Add a Logs table or line widget on the invocation log group that counts events by a time bin, or a metric widget on AWS/Bedrock Invocations.';
const HINT_TOKENS_WIDGET =
  'Add one widget that sums both the input and the output token counts (input.inputTokenCount and output.outputTokenCount, or the AWS/Bedrock token metrics).';
const HINT_LATENCY_WIDGET =
  'Add a widget with the average or maximum latency: the AWS/Bedrock InvocationLatency metric has it.';
const HINT_TRUST =
  "The role's trust policy must allow bedrock.amazonaws.com to call sts:AssumeRole, with any conditions naming your account and Region.";
const HINT_DELIVERY =
  'Give the role a policy that allows logs:CreateLogStream and logs:PutLogEvents on the log group /aws/bedrock/model-invocations, and no Deny on them.';

// ---- the table --------------------------------------------------------------------------------

const ROWS: Row[] = [
  // checkLoggingEnabled
  {
    check: 'checkLoggingEnabled',
    path: 'not configured',
    site: 1,
    run: () => checkLoggingEnabled({ config: undefined, region: REGION }),
    message: 'Model invocation logging is not configured in us-east-1.',
    hint: 'In the Bedrock console (us-east-1), open Settings and turn on Model invocation logging with CloudWatch Logs as the destination.',
  },
  {
    check: 'checkLoggingEnabled',
    path: 'S3 only',
    site: 2,
    run: () =>
      checkLoggingEnabled({
        config: { s3Config: { bucketName: 'logs' }, textDataDeliveryEnabled: true },
        region: REGION,
      }),
    message:
      'Model invocation logging is on in us-east-1, but without CloudWatch Logs as a destination (found: S3 only).',
    hint: 'Choose CloudWatch Logs only (or both S3 and CloudWatch Logs) as the logging destination.',
  },
  {
    check: 'checkLoggingEnabled',
    path: 'no destination',
    site: 2,
    run: () => checkLoggingEnabled({ config: {}, region: REGION }),
    message:
      'Model invocation logging is on in us-east-1, but without CloudWatch Logs as a destination (found: no destination).',
    hint: 'Choose CloudWatch Logs only (or both S3 and CloudWatch Logs) as the logging destination.',
    sameAdviceAs: 'S3 only',
  },

  // checkLogGroup
  {
    check: 'checkLogGroup',
    path: 'no group configured',
    site: 1,
    run: () => checkLogGroup({ config: undefined, region: REGION, groupExists: false }),
    message: 'No CloudWatch Logs group is configured for invocation logging.',
    hint: 'Turn on logging to CloudWatch Logs with the log group /aws/bedrock/model-invocations (Step 1).',
  },
  {
    check: 'checkLogGroup',
    path: 'another group',
    site: 2,
    run: () => checkLogGroup({ config: cloudWatch(OTHER_GROUP), region: REGION, groupExists: true }),
    message:
      "Invocation logs go to '/aws/bedrock/invocation-logs'; the lab expects '/aws/bedrock/model-invocations'. The checks of Steps 2-4 judge '/aws/bedrock/invocation-logs'.",
    hint: 'Set the log group to /aws/bedrock/model-invocations exactly in the Bedrock logging settings, and create it in CloudWatch Logs.',
  },
  {
    check: 'checkLogGroup',
    path: 'the group does not exist',
    site: 3,
    run: () => checkLogGroup({ config: cloudWatch(LAB.logGroup), region: REGION, groupExists: false }),
    message: "Logging names '/aws/bedrock/model-invocations', but that log group does not exist.",
    hint: 'Create the log group /aws/bedrock/model-invocations in CloudWatch Logs: Bedrock writes into it but does not create it.',
  },

  // checkTextData
  {
    check: 'checkTextData',
    path: 'not configured',
    site: 1,
    run: () => checkTextData({ config: undefined, region: REGION }),
    message: 'Model invocation logging is not configured, so no text data is delivered.',
    hint: 'Turn on Model invocation logging in the Bedrock settings and tick Text among the data types.',
  },
  {
    check: 'checkTextData',
    path: 'text data off',
    site: 2,
    run: () => checkTextData({ config: cloudWatch(LAB.logGroup, false), region: REGION }),
    message: 'Text data delivery is off: log records will not carry the prompts and responses.',
    hint: 'Under "Select the data types to include with logs", tick Text.',
  },

  // checkLoggingRole
  {
    check: 'checkLoggingRole',
    path: 'no role',
    site: 1,
    run: () => checkLoggingRole(role({ roleArn: undefined })),
    message: 'Invocation logging has no CloudWatch Logs role.',
    hint: 'Choose a service role for CloudWatch Logs delivery in the Bedrock logging settings.',
  },
  {
    check: 'checkLoggingRole',
    path: 'the role does not exist',
    site: 2,
    run: () => checkLoggingRole(role({ trustPolicy: undefined })),
    message: `The logging role ${ROLE_ARN} does not exist.`,
    hint: 'Create the role again (or let the console create one) and choose it in the Bedrock logging settings.',
  },
  {
    check: 'checkLoggingRole',
    path: 'trust: another service',
    site: 3,
    run: () =>
      checkLoggingRole(
        role({ trustPolicy: bedrockTrustPolicy(ACCOUNT, { service: 'lambda.amazonaws.com' }) }),
      ),
    message: `The logging role ${ROLE_ARN} cannot be assumed by Bedrock: its trust policy does not allow bedrock.amazonaws.com to call sts:AssumeRole.`,
    hint: HINT_TRUST,
  },
  {
    check: 'checkLoggingRole',
    path: 'trust: denied',
    site: 3,
    run: () =>
      checkLoggingRole(
        role({
          trustPolicy: JSON.stringify({
            Statement: {
              Effect: 'Deny',
              Principal: { Service: 'bedrock.amazonaws.com' },
              Action: 'sts:AssumeRole',
            },
          }),
        }),
      ),
    message: `The logging role ${ROLE_ARN} cannot be assumed by Bedrock: its trust policy denies bedrock.amazonaws.com sts:AssumeRole.`,
    hint: HINT_TRUST,
    sameAdviceAs: 'trust: another service',
  },
  {
    check: 'checkLoggingRole',
    path: 'trust: conditions for another account',
    site: 3,
    run: () => checkLoggingRole(role({ trustPolicy: bedrockTrustPolicy('999988887777') })),
    message: `The logging role ${ROLE_ARN} cannot be assumed by Bedrock: its trust policy's conditions do not match Bedrock in account 111122223333, region us-east-1.`,
    hint: HINT_TRUST,
    sameAdviceAs: 'trust: another service',
  },
  {
    check: 'checkLoggingRole',
    path: 'trust: not JSON',
    site: 3,
    run: () => checkLoggingRole(role({ trustPolicy: '{"Version": ' })),
    message: `The logging role ${ROLE_ARN} cannot be assumed by Bedrock: its trust policy is not valid JSON.`,
    hint: HINT_TRUST,
    sameAdviceAs: 'trust: another service',
  },
  {
    check: 'checkLoggingRole',
    path: 'PutLogEvents denied',
    site: 4,
    run: () =>
      checkLoggingRole(
        role({ permissions: { 'logs:CreateLogStream': 'allowed', 'logs:PutLogEvents': 'explicitDeny' } }),
      ),
    message: `The logging role ${ROLE_ARN} may not logs:PutLogEvents on the log stream aws/bedrock/modelinvocations of /aws/bedrock/model-invocations.`,
    hint: HINT_DELIVERY,
  },
  {
    check: 'checkLoggingRole',
    path: 'both delivery actions denied',
    site: 4,
    run: () => checkLoggingRole(role({ permissions: {} })),
    message: `The logging role ${ROLE_ARN} may not logs:CreateLogStream or logs:PutLogEvents on the log stream aws/bedrock/modelinvocations of /aws/bedrock/model-invocations.`,
    hint: HINT_DELIVERY,
    sameAdviceAs: 'PutLogEvents denied',
  },

  // checkLogEntries
  {
    check: 'checkLogEntries',
    path: 'only records Bedrock did not write',
    site: 1,
    run: () =>
      checkLogEntries({
        group: LAB.logGroup,
        records: [],
        rejected: { [REJECTED.unmatched]: 5, [REJECTED.account]: 2 },
        min: 5,
      }),
    message:
      "No record in /aws/bedrock/model-invocations was written by Bedrock: 5 records with no matching delivery in Bedrock's metrics, 2 records naming another account do not count.",
    hint: 'Only records Bedrock writes count: with logging on, send the five prompts (Step 2).',
  },
  {
    check: 'checkLogEntries',
    path: 'no records',
    site: 2,
    run: () => checkLogEntries({ group: LAB.logGroup, records: [], rejected: {}, min: 5 }),
    message: 'No invocation log records in /aws/bedrock/model-invocations to examine.',
    hint: 'Send the five prompts (Step 2) after logging is on: their records are what this step reads.',
  },
  {
    check: 'checkLogEntries',
    path: 'records without bodies',
    site: 3,
    run: () =>
      checkLogEntries({
        group: LAB.logGroup,
        records: [ALL, ALL, NO_BODIES, NO_BODIES, NO_BODIES],
        rejected: { [REJECTED.duplicate]: 2 },
        min: 5,
      }),
    message:
      'Only 2 of 5 records in /aws/bedrock/model-invocations are complete (expected 5): 3 lack the request body, 3 lack the response body. 2 records repeating a request id do not count.',
    hint: 'Entries without bodies were logged while text data delivery was off: turn it on (Step 1) and send the prompts again.',
  },
  {
    check: 'checkLogEntries',
    path: 'records of failed calls',
    site: 3,
    run: () =>
      checkLogEntries({ group: LAB.logGroup, records: [FAILED_CALL, FAILED_CALL], rejected: {}, min: 2 }),
    message:
      'Only 0 of 2 records in /aws/bedrock/model-invocations are complete (expected 2): 2 lack the output token count, 2 lack the response body.',
    hint: 'Records of calls that failed carry no response and no output tokens: send the five prompts again and check that each call succeeds.',
  },

  // checkInsightsQuery
  {
    check: 'checkInsightsQuery',
    path: 'rows none of which Bedrock wrote',
    site: 1,
    run: () => checkInsightsQuery(query({ status: 'Complete', rows: 6, unprovenRows: 5 })),
    message:
      'The Step 3 query on /aws/bedrock/model-invocations returned 5 rows that look like invocation records, but none is a record Bedrock wrote.',
    hint: 'Only records Bedrock writes count: with logging on, send the five prompts (Step 2), then query again.',
  },
  {
    check: 'checkInsightsQuery',
    path: 'rows that are not invocation records',
    site: 2,
    run: () => checkInsightsQuery(query({ status: 'Complete', rows: 1 })),
    message:
      "The Step 3 query on /aws/bedrock/model-invocations returned 1 row, but none is an invocation record (only lines such as Bedrock's permissions check).",
    hint: 'The group holds no invocation records yet: send the five prompts (Step 2) after logging is on, then query again.',
  },
  {
    check: 'checkInsightsQuery',
    path: 'no rows',
    site: 3,
    run: () => checkInsightsQuery(query({ status: 'Complete' })),
    message: 'The Step 3 query on /aws/bedrock/model-invocations ran but returned no rows in the lab window.',
    hint: 'Logs Insights reads only the events in its time range: send the five prompts (Step 2) and query again within the lab window.',
  },
  {
    check: 'checkInsightsQuery',
    path: 'failed: the group does not exist',
    site: 4,
    run: () =>
      checkInsightsQuery(
        query({ status: 'Failed', error: 'the log group /aws/bedrock/model-invocations does not exist' }),
      ),
    message:
      'The Step 3 query on /aws/bedrock/model-invocations failed: the log group /aws/bedrock/model-invocations does not exist',
    hint: 'Create the log group in CloudWatch Logs with the name logging delivers to (Step 1).',
  },
  {
    check: 'checkInsightsQuery',
    path: 'failed: any other reason',
    site: 4,
    run: () =>
      checkInsightsQuery(
        query({ status: 'Failed', error: 'AccessDeniedException: the KMS key is disabled' }),
      ),
    message:
      'The Step 3 query on /aws/bedrock/model-invocations failed: AccessDeniedException: the KMS key is disabled',
    hint: "The lab's query fails in your account: make sure the log group can be read (a KMS key on it must be usable).",
  },

  // checkDashboardExists
  {
    check: 'checkDashboardExists',
    path: 'a name differing in case or spacing',
    site: 1,
    run: () => checkDashboardExists({ name: 'genai-monitoring', names: ['Billing', 'genai-monitoring'] }),
    message:
      "No dashboard is named exactly GenAI-Monitoring; 'genai-monitoring' differs only in case or spacing, and the widget checks judge it.",
    hint: "Dashboard names are case-sensitive: save the dashboard as GenAI-Monitoring (Actions, Save as) and delete 'genai-monitoring'.",
  },
  {
    check: 'checkDashboardExists',
    path: 'no such dashboard',
    site: 2,
    run: () => checkDashboardExists({ names: ['Billing', 'Lambda'] }),
    message: 'No dashboard named GenAI-Monitoring (found 2 other dashboards).',
    hint: CREATE_DASHBOARD,
  },

  // checkWidget
  {
    check: 'checkWidget',
    path: 'no dashboard',
    site: 1,
    run: () => checkWidget(undefined, undefined, 'invocations', LAB_ONLY),
    message: 'There is no GenAI-Monitoring dashboard, so no widget counts invocations over time.',
    hint: CREATE_DASHBOARD,
  },
  {
    check: 'checkWidget',
    path: 'invocations: widgets on other log groups',
    site: 2,
    run: () =>
      checkWidget(
        LAB.dashboardName,
        facts(LAB_ONLY, ON_LAMBDA(LAB.widgetQueries.invocations), ON_LAMBDA_B(LAB.widgetQueries.invocations)),
        'invocations',
        LAB_ONLY,
      ),
    message:
      'No widget of GenAI-Monitoring counts invocations over time from /aws/bedrock/model-invocations: 2 log widgets read other log groups (/aws/lambda/chatbot, /aws/lambda/router).',
    hint: `Point the widget's query at the invocation log group (/aws/bedrock/model-invocations). ${HINT_INVOCATIONS_WIDGET}`,
  },
  {
    check: 'checkWidget',
    path: 'tokens: widgets on other log groups',
    site: 2,
    run: () =>
      checkWidget(
        LAB.dashboardName,
        facts(BOTH, ON_LAMBDA(LAB.widgetQueries.tokens), ON_LAMBDA(LAB.widgetQueries.latency)),
        'tokens',
        BOTH,
      ),
    message:
      'No widget of GenAI-Monitoring sums input and output tokens from /aws/bedrock/model-invocations or /aws/bedrock/invocation-logs: 2 log widgets read other log groups (/aws/lambda/chatbot).',
    hint: `Point the widget's query at the invocation log group (/aws/bedrock/model-invocations or /aws/bedrock/invocation-logs). ${HINT_TOKENS_WIDGET}`,
  },
  {
    check: 'checkWidget',
    path: 'latency: widgets on other log groups, on a variant dashboard',
    site: 2,
    run: () =>
      checkWidget(
        'genai-monitoring',
        facts(BOTH, ON_LAMBDA(LAB.widgetQueries.latency), ON_LAMBDA_B(LAB.widgetQueries.latency)),
        'latency',
        BOTH,
      ),
    message:
      "No widget of 'genai-monitoring' (judged in place of GenAI-Monitoring) shows average or maximum latency from /aws/bedrock/model-invocations or /aws/bedrock/invocation-logs: 2 log widgets read other log groups (/aws/lambda/chatbot, /aws/lambda/router).",
    hint: `Point the widget's query at the invocation log group (/aws/bedrock/model-invocations or /aws/bedrock/invocation-logs). ${HINT_LATENCY_WIDGET}`,
  },
  {
    check: 'checkWidget',
    path: 'invocations: no widget counts them',
    site: 3,
    run: () =>
      checkWidget(
        LAB.dashboardName,
        facts(LAB_ONLY, metricWidget([['AWS/Bedrock', 'InvocationLatency', 'ModelId', LAB.modelId]])),
        'invocations',
        LAB_ONLY,
      ),
    message:
      'No widget of GenAI-Monitoring counts invocations over time from the invocation log group or AWS/Bedrock metrics (it has 1 widget).',
    hint: HINT_INVOCATIONS_WIDGET,
  },
  {
    check: 'checkWidget',
    path: 'tokens: no widget sums both',
    site: 3,
    run: () =>
      checkWidget(
        LAB.dashboardName,
        facts(
          LAB_ONLY,
          logWidget(onGroup(LAB.logGroup, 'stats sum(input.inputTokenCount) as totalInput by bin(1h)')),
          metricWidget([['AWS/Bedrock', 'OutputTokenCount', 'ModelId', LAB.modelId]]),
        ),
        'tokens',
        LAB_ONLY,
      ),
    message:
      'No widget of GenAI-Monitoring sums input and output tokens from the invocation log group or AWS/Bedrock metrics (it has 2 widgets).',
    hint: HINT_TOKENS_WIDGET,
  },
  {
    check: 'checkWidget',
    path: 'latency: no widget shows it',
    site: 3,
    run: () => checkWidget(LAB.dashboardName, [], 'latency', LAB_ONLY),
    message:
      'No widget of GenAI-Monitoring shows average or maximum latency from the invocation log group or AWS/Bedrock metrics (it has 0 widgets).',
    hint: HINT_LATENCY_WIDGET,
  },

  // checkDisplaysData
  {
    check: 'checkDisplaysData',
    path: 'no dashboard',
    site: 1,
    run: () => checkDisplaysData(display({ dashboard: undefined, data: [] })),
    message: 'There is no GenAI-Monitoring dashboard to display data.',
    hint: CREATE_DASHBOARD,
  },
  {
    check: 'checkDisplaysData',
    path: 'a body that cannot be read',
    site: 2,
    run: () => checkDisplaysData(display({ bodyError: 'The dashboard body is not valid JSON.', data: [] })),
    message: 'GenAI-Monitoring: The dashboard body is not valid JSON.',
    hint: "Fix the dashboard's source (Actions, View/edit source): it must be valid JSON with a widgets list.",
  },
  {
    check: 'checkDisplaysData',
    path: 'widgets that fail to load',
    site: 3,
    run: () =>
      checkDisplaysData(
        display({
          data: widgetData([
            { roles: ['invocations'] },
            { error: 'MalformedQueryException: unexpected symbol' },
            { error: 'its query ended Cancelled' },
          ]),
        }),
      ),
    message:
      '2 widget(s) of GenAI-Monitoring fail to load: widget 2: MalformedQueryException: unexpected symbol; widget 3: its query ended Cancelled.',
    hint: 'Open the dashboard and fix each widget that shows an error: its query must run and its metrics must exist.',
  },
  {
    check: 'checkDisplaysData',
    path: 'no invocations widget',
    site: 4,
    run: () =>
      checkDisplaysData(display({ data: widgetData([{ roles: ['tokens'] }, { roles: ['latency'] }]) })),
    message: 'No widget of GenAI-Monitoring counts invocations, so it cannot show them.',
    hint: HINT_INVOCATIONS_WIDGET,
  },
  {
    check: 'checkDisplaysData',
    path: 'an invocations widget without data',
    site: 5,
    run: () =>
      checkDisplaysData(
        display({
          dashboard: 'genai-monitoring',
          data: widgetData([{ roles: ['tokens'] }, { roles: ['invocations'], points: 0 }]),
        }),
      ),
    message:
      "The invocations widget (widget 2 of 'genai-monitoring' (judged in place of GenAI-Monitoring)) shows no data for the lab window.",
    hint: 'Send the five prompts (Step 2) after logging is on; the widget shows the invocations of its time range.',
  },
  {
    check: 'checkDisplaysData',
    path: 'a log invocations widget on a group without records Bedrock wrote',
    site: 6,
    run: () =>
      checkDisplaysData(
        display({
          data: widgetData([
            { roles: ['invocations'], sources: [OTHER_GROUP, '/aws/lambda/chatbot'], points: 4 },
          ]),
          provenRecords: { [LAB.logGroup]: 5, [OTHER_GROUP]: 0 },
        }),
      ),
    message:
      'The invocations widget (widget 1 of GenAI-Monitoring) reads /aws/bedrock/invocation-logs, /aws/lambda/chatbot, where no record Bedrock wrote is: its 4 rows count other lines.',
    hint: 'Only records Bedrock writes count: with logging on, send the five prompts (Step 2) into the group the widget reads.',
  },
  {
    check: 'checkDisplaysData',
    path: 'empty columns in strict mode',
    site: 7,
    run: () =>
      checkDisplaysData(
        display({
          strict: true,
          data: widgetData([
            { roles: ['invocations'] },
            { roles: ['tokens'], emptyColumns: ['totalInput', 'totalOutput'] },
            { roles: ['latency'], emptyColumns: ['avgLatency', 'maxLatency'] },
          ]),
        }),
      ),
    message:
      'Widgets of GenAI-Monitoring show no values for totalInput, totalOutput; avgLatency, maxLatency (strict mode).',
    hint: "Name the fields Bedrock's records have: input.inputTokenCount and output.outputTokenCount; latency is in the AWS/Bedrock InvocationLatency metric.",
  },

  // judgeBedrockSettings
  {
    check: 'judgeBedrockSettings',
    path: 'logging off',
    site: 1,
    run: () => judgeBedrockSettings({ loggingOn: false, dataTypes: [] }, REGION),
    message: 'The Bedrock console (us-east-1) shows Model invocation logging switched off.',
    hint: 'In the Bedrock console, open Settings and turn on Model invocation logging, in the Region you grade in.',
  },
  {
    check: 'judgeBedrockSettings',
    path: 'S3 only',
    site: 2,
    run: () => judgeBedrockSettings(settingsSeen({ destination: 'S3 only' }), REGION),
    message: 'The Bedrock console shows logging on, but to S3 only rather than CloudWatch Logs.',
    hint: 'Choose CloudWatch Logs only (or both S3 and CloudWatch Logs) as the destination.',
  },
  {
    check: 'judgeBedrockSettings',
    path: 'no destination chosen',
    site: 2,
    run: () => judgeBedrockSettings(settingsSeen({ destination: undefined }), REGION),
    message: 'The Bedrock console shows logging on, but to no destination rather than CloudWatch Logs.',
    hint: 'Choose CloudWatch Logs only (or both S3 and CloudWatch Logs) as the destination.',
    sameAdviceAs: 'S3 only',
  },
  {
    check: 'judgeBedrockSettings',
    path: 'another log group',
    site: 3,
    run: () =>
      judgeBedrockSettings(
        settingsSeen({ destination: 'Both S3 and CloudWatch Logs', logGroupName: OTHER_GROUP }),
        REGION,
      ),
    message:
      "The Bedrock console shows the log group '/aws/bedrock/invocation-logs'; the lab expects '/aws/bedrock/model-invocations'.",
    hint: 'Set the log group name to /aws/bedrock/model-invocations exactly.',
  },
  {
    check: 'judgeBedrockSettings',
    path: 'Text not ticked',
    site: 4,
    run: () => judgeBedrockSettings(settingsSeen({ dataTypes: ['Image', 'Embedding'] }), REGION),
    message: 'The Bedrock console shows logging on, but the Text data type is not ticked.',
    hint: 'Under "Select the data types to include with logs", tick Text.',
  },

  // judgeDashboard
  {
    check: 'judgeDashboard',
    path: 'the dashboard does not open',
    site: 1,
    run: () => judgeDashboard({ opened: false, widgets: [], error: 'there is no dashboard by that name' }),
    message:
      'The dashboard GenAI-Monitoring does not open in the console: there is no dashboard by that name.',
    hint: CREATE_DASHBOARD,
  },
  {
    check: 'judgeDashboard',
    path: 'fewer than three widgets',
    site: 2,
    run: () =>
      judgeDashboard(dashboardSeen({ widgets: [seenWidget('Invocation Count'), seenWidget('Latency')] })),
    message: 'The dashboard shows 2 widget(s); the lab builds three.',
    hint: 'Add the invocations, token usage and latency widgets of Step 4.',
  },
  {
    check: 'judgeDashboard',
    path: 'no invocations widget',
    site: 3,
    run: () => judgeDashboard(dashboardSeen({ invocationsIndex: undefined })),
    message: 'No widget on the dashboard counts invocations.',
    hint: 'Add a widget that counts invocations over time.',
  },
  {
    check: 'judgeDashboard',
    path: 'the invocations widget fails to load',
    site: 4,
    run: () =>
      judgeDashboard(
        dashboardSeen({
          widgets: [
            seenWidget('Token Usage'),
            seenWidget('Invocation Count', {
              state: 'error',
              error: 'Query failed: unexpected symbol',
              rows: 0,
            }),
            seenWidget('Latency'),
          ],
          invocationsIndex: 1,
        }),
      ),
    message: 'The invocations widget "Invocation Count" fails to load: Query failed: unexpected symbol',
    hint: 'Open the widget and fix its query or metrics until it loads.',
  },
  {
    check: 'judgeDashboard',
    path: 'the invocations widget shows no data',
    site: 5,
    run: () =>
      judgeDashboard(
        dashboardSeen({
          widgets: [
            seenWidget('Invocation Count', { state: 'empty', rows: 0 }),
            seenWidget('Tokens'),
            seenWidget('Latency'),
          ],
        }),
      ),
    message: 'The invocations widget "Invocation Count" shows no data for the last week.',
    hint: 'Send the five prompts (Step 2) after logging is on.',
  },
];

// ---- the tests --------------------------------------------------------------------------------

test.describe('every failure path: its message and its hint', () => {
  for (const row of ROWS) {
    test(`${row.check}: ${row.path}`, () => {
      const verdict = row.run();
      expect(verdict.status, verdict.message).toBe('fail');
      expect(verdict.message).toBe(row.message);
      expect(verdict.hint).toBe(row.hint);
    });
  }
});

const byCheck = (check: CheckName) => ROWS.filter((r) => r.check === check);

test.describe('the table itself', () => {
  test('every hint is non-empty and is not the message again', () => {
    for (const row of ROWS) {
      expect(row.hint.trim(), `${row.check}: ${row.path}`).not.toBe('');
      expect(row.hint, `${row.check}: ${row.path}`).not.toBe(row.message);
    }
  });

  for (const check of Object.keys(SOURCES) as CheckName[]) {
    test(`${check}: distinct paths have distinct messages`, () => {
      const rows = byCheck(check);
      expect(new Set(rows.map((r) => r.path)).size, 'paths').toBe(rows.length);
      expect(new Set(rows.map((r) => r.message)).size, 'messages').toBe(rows.length);
    });

    test(`${check}: no two paths share a hint unless it is the same advice on purpose`, () => {
      const rows = byCheck(check);
      for (const row of rows) {
        const same = rows.filter((r) => r !== row && r.hint === row.hint);
        if (row.sameAdviceAs === undefined) {
          // Only the rows that declare they repeat this one's advice may share its hint.
          for (const other of same)
            expect(other.sameAdviceAs, `${other.path} repeats ${row.path}`).toBe(row.path);
        } else {
          const original = rows.find((r) => r.path === row.sameAdviceAs);
          expect(original, `${row.path}: sameAdviceAs names a row of ${check}`).toBeDefined();
          expect(original?.sameAdviceAs, `${row.path}: the advice it repeats is an original`).toBeUndefined();
          expect(row.hint, `${row.path}: the advice it claims to repeat`).toBe(original?.hint);
        }
      }
    });

    test(`${check}: every fail(...) call site has a row`, () => {
      const source = readFileSync(join(__dirname, '../..', SOURCES[check]), 'utf8');
      const start = source.indexOf(`export function ${check}(`);
      expect(start, `${check} in ${SOURCES[check]}`).toBeGreaterThanOrEqual(0);
      const end = source.indexOf('\n}\n', start);
      const sites = source.slice(start, end).match(/\bfail\(/g)?.length ?? 0;
      const covered = [...new Set(byCheck(check).map((r) => r.site))].sort((a, b) => a - b);
      expect(covered).toEqual(Array.from({ length: sites }, (_, i) => i + 1));
    });
  }
});
