import { PutDashboardCommand } from '@aws-sdk/client-cloudwatch';
import type { Page } from '@playwright/test';
import { CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import {
  checkLogGroup,
  checkLoggingEnabled,
  checkLoggingRole,
  checkTextData,
} from '../../specs/genai-monitoring/lab/checks/logging';
import { BedrockSettingsPage } from '../../specs/genai-monitoring/lab/console/bedrock-settings-page';
import { DashboardPage } from '../../specs/genai-monitoring/lab/console/dashboard-page';
import { judgeBedrockSettings, judgeDashboard } from '../../specs/genai-monitoring/lab/console/verdicts';
import { LabReader } from '../../specs/genai-monitoring/lab/reader';
import { LabSteps } from '../../specs/genai-monitoring/lab/steps';
import { LAB } from '../../specs/genai-monitoring/lab/facts';
import { consoleTarget, expect, launchOptions, test } from './console-fixtures';

test.use({ launchOptions });

/** Kept in the test's output folder and attached to the report, to be looked at. */
async function screenshot(page: Page, name: string) {
  const path = test.info().outputPath(name);
  await page.screenshot({ path, fullPage: true });
  await test.info().attach(name, { path, contentType: 'image/png' });
}

test('Step 1 in the browser: the settings page saves, and the grader’s logging checks pass', async ({
  clients,
  settings,
  accountId,
  signIn,
}) => {
  // The log group and the role exist first (the lab's prerequisites), made through the SDK.
  const steps = new LabSteps(clients, settings, accountId);
  await clients.logs.send(new CreateLogGroupCommand({ logGroupName: LAB.logGroup }));
  await clients.iam.send(
    new CreateRoleCommand({ RoleName: LAB.roleName, AssumeRolePolicyDocument: steps.trustPolicy() }),
  );
  await clients.iam.send(
    new PutRolePolicyCommand({
      RoleName: LAB.roleName,
      PolicyName: 'DeliverInvocationLogs',
      PolicyDocument: steps.deliveryPolicy(),
    }),
  );

  const page = await signIn();
  const settingsPage = new BedrockSettingsPage(page, consoleTarget(settings));
  await settingsPage.open();
  expect(await settingsPage.read()).toEqual({ loggingOn: false, dataTypes: [] });

  // A group that does not exist: the API's own validation answers, with AWS's text.
  await settingsPage.configure({ logGroupName: '/aws/bedrock/typo', roleName: LAB.roleName });
  const refused = await settingsPage.save();
  expect(refused.ok).toBe(false);
  expect(refused.message).toContain(
    `Failed to validate permissions for log group: /aws/bedrock/typo, with role: arn:aws:iam::${accountId}:role/${LAB.roleName}.`,
  );
  await screenshot(page, 'settings-error.png');

  await settingsPage.logGroupName.fill(LAB.logGroup);
  expect(await settingsPage.save()).toMatchObject({ ok: true });
  await screenshot(page, 'settings-saved.png');

  // A fresh page shows what was saved, and the console check reads it as logging on.
  await settingsPage.open();
  const seen = await settingsPage.read();
  expect(seen).toEqual({
    loggingOn: true,
    dataTypes: ['Text'],
    destination: 'CloudWatch Logs only',
    logGroupName: LAB.logGroup,
  });
  expect(judgeBedrockSettings(seen, settings.region).status).toBe('pass');

  // The grader's API checks agree.
  const reader = new LabReader(clients, settings, accountId);
  const config = await reader.loggingConfig();
  const state = { config, region: settings.region };
  expect(checkLoggingEnabled(state).status).toBe('pass');
  expect(checkLogGroup({ ...state, groupExists: await reader.groupExists(LAB.logGroup) }).status).toBe(
    'pass',
  );
  expect(checkTextData(state).status).toBe('pass');
  expect(checkLoggingRole(await reader.roleState(config)).status).toBe('pass');

  // Switching logging off and saving deletes the configuration.
  await settingsPage.loggingToggle.uncheck();
  expect(await settingsPage.save()).toMatchObject({ ok: true });
  expect(await new LabReader(clients, settings, accountId).loggingConfig()).toBeUndefined();
});

test('the lab’s dashboard draws its three widgets, the invocations widget with data', async ({
  clients,
  settings,
  accountId,
  signIn,
}) => {
  const steps = new LabSteps(clients, settings, accountId);
  await steps.enableLogging();
  await steps.sendPrompts();
  await steps.createDashboard();

  const page = await signIn();
  const dashboard = new DashboardPage(page, consoleTarget(settings));
  await dashboard.open(LAB.dashboardName);
  await dashboard.settle();
  expect(await dashboard.widgetTitles()).toEqual(['Invocation Count', 'Token Usage', 'Latency']);
  const [invocations, tokens, latency] = await dashboard.readAll();
  // Five prompts and Bedrock's permissions line, in one hourly bin or two.
  expect(invocations).toMatchObject({ state: 'data', charts: 1 });
  expect(invocations!.rows).toBeGreaterThanOrEqual(1);
  await expect(dashboard.widget('Invocation Count').getByRole('img')).toHaveAccessibleName(
    'Invocation Count: line chart of invocations',
  );
  // Bedrock's records have no top-level token fields or @duration: no values, as on AWS.
  expect(tokens!.state).toBe('empty');
  expect(latency!.state).toBe('empty');
  await screenshot(page, 'dashboard-3h.png');
  expect(
    judgeDashboard({ opened: true, widgets: [invocations!, tokens!, latency!], invocationsIndex: 0 }).status,
  ).toBe('pass');

  await dashboard.pickRange('1w');
  expect((await dashboard.read(dashboard.widget('Invocation Count'))).state).toBe('data');

  // Step 3 in the browser: the log group is listed, and Logs Insights runs the lab's query.
  await page.getByRole('link', { name: 'Log groups' }).click();
  await page.getByRole('link', { name: LAB.logGroup }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Logs Insights' })).toBeVisible();
  await expect(page.getByLabel('Log group')).toHaveValue(LAB.logGroup);
  await page.getByLabel('Query text').fill(LAB.step3Query);
  await page.getByRole('button', { name: 'Run query' }).click();
  await expect(page.getByRole('heading', { name: 'Logs (6)' })).toBeVisible();
  await expect(page.getByRole('table').getByRole('row')).toHaveCount(7);
  await screenshot(page, 'logs-insights.png');
});

test('widgets show their empty and error states, and metric widgets draw AWS/Bedrock series', async ({
  clients,
  settings,
  accountId,
  signIn,
}) => {
  const steps = new LabSteps(clients, settings, accountId);
  await steps.enableLogging();
  const { modelId } = await steps.sendPrompts();
  await clients.logs.send(new CreateLogGroupCommand({ logGroupName: '/lab/empty' }));
  const log = (y: number, title: string, query: string, view = 'table') => ({
    type: 'log',
    x: 0,
    y,
    width: 12,
    height: 5,
    properties: { title, query, view, region: settings.region },
  });
  const body = {
    widgets: [
      log(0, 'Empty group', "SOURCE '/lab/empty' | stats count() by bin(1h)", 'timeSeries'),
      log(5, 'Malformed query', `SOURCE '${LAB.logGroup}' | stats count( by bin(1h)`),
      log(10, 'Missing group', "SOURCE '/lab/missing' | fields @timestamp"),
      {
        type: 'metric',
        x: 12,
        y: 0,
        width: 12,
        height: 5,
        properties: {
          title: 'Bedrock invocations',
          region: settings.region,
          stat: 'Sum',
          period: 300,
          metrics: [['AWS/Bedrock', 'Invocations', 'ModelId', modelId]],
        },
      },
      {
        type: 'metric',
        x: 12,
        y: 5,
        width: 12,
        height: 5,
        properties: {
          title: 'Token totals',
          region: settings.region,
          stat: 'Sum',
          view: 'singleValue',
          metrics: [
            ['AWS/Bedrock', 'InputTokenCount', 'ModelId', modelId],
            ['.', 'OutputTokenCount', '.', '.'],
          ],
        },
      },
      log(
        15,
        'Models',
        `SOURCE '${LAB.logGroup}' | filter ispresent(modelId) | stats count() as calls by modelId`,
        'pie',
      ),
    ],
  };
  await clients.cloudwatch.send(
    new PutDashboardCommand({ DashboardName: 'States', DashboardBody: JSON.stringify(body) }),
  );

  const page = await signIn();
  const dashboard = new DashboardPage(page, consoleTarget(settings));
  await dashboard.open('States');
  await dashboard.settle();
  const read = (title: string) => dashboard.read(dashboard.widget(title));
  expect(await read('Empty group')).toMatchObject({ state: 'empty' });
  await expect(dashboard.widget('Empty group')).toContainText('No data available.');
  const malformed = await read('Malformed query');
  expect(malformed.state).toBe('error');
  expect(malformed.error).toMatch(/unexpected symbol|expected/i);
  const missing = await read('Missing group');
  expect(missing.state).toBe('error');
  expect(missing.error).toContain(`Log group '/lab/missing' does not exist for account ID '${accountId}'`);
  expect(await read('Bedrock invocations')).toMatchObject({ state: 'data', charts: 1 });
  const tokens = dashboard.widget('Token totals');
  await expect(tokens.getByRole('term')).toHaveText(['InputTokenCount', 'OutputTokenCount']);
  expect(await read('Models')).toMatchObject({ state: 'data', charts: 1, rows: 1 });
  await screenshot(page, 'dashboard-states.png');
});
