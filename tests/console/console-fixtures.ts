import { GetFederationTokenCommand, STSClient } from '@aws-sdk/client-sts';
import type { Page } from '@playwright/test';
import { createClients, type AwsClients } from '../../helpers/aws-clients';
import { consoleLaunchOptions } from '../../helpers/console/browser';
import { federatedSignIn, type ConsoleTarget } from '../../helpers/console/signin';
import { readSettings, type LabSettings } from '../../helpers/settings';
import {
  readGenaiMonitoringSettings,
  type GenaiMonitoringSettings,
} from '../../specs/genai-monitoring/lab/settings';
import { test as sandboxTest } from '../fixtures/sandbox';

export const launchOptions = consoleLaunchOptions();

export const ADMIN_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
});

interface ConsoleFixtures {
  /** The grader's settings and SDK clients for this test's account on the sandbox. */
  settings: LabSettings & GenaiMonitoringSettings;
  clients: AwsClients;
  /** Signs a browser page in as a federated user of the account with this session policy. */
  signIn: (policy?: string) => Promise<Page>;
}

export const test = sandboxTest.extend<ConsoleFixtures>({
  settings: async ({ sandbox }, use) => {
    const env = { LAB_SANDBOX_URL: sandbox.url, LAB_SINCE: '1h', LAB_INGESTION_TIMEOUT: '10' };
    await use({ ...readSettings(env), ...readGenaiMonitoringSettings(env) });
  },
  clients: async ({ aws }, use) => {
    const clients = createClients({ ...aws, maxAttempts: 1 });
    await use(clients);
    for (const client of Object.values(clients)) client.destroy();
  },
  signIn: async ({ aws, settings, browser }, use) => {
    const contexts: { close(): Promise<void> }[] = [];
    const sts = new STSClient(aws);
    await use(async (policy = ADMIN_POLICY) => {
      const { Credentials } = await sts.send(
        new GetFederationTokenCommand({ Name: 'learner', Policy: policy, DurationSeconds: 3600 }),
      );
      const context = await browser.newContext({
        storageState: await federatedSignIn(consoleTarget(settings), Credentials!),
        viewport: { width: 1280, height: 900 },
      });
      contexts.push(context);
      return context.newPage();
    });
    for (const context of contexts) await context.close();
    sts.destroy();
  },
});

export function consoleTarget(settings: LabSettings): ConsoleTarget {
  return { target: 'local', region: settings.region, sandboxUrl: settings.sandboxUrl };
}

export { expect } from '@playwright/test';
