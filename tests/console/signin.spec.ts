import { GetFederationTokenCommand, STSClient, type Credentials } from '@aws-sdk/client-sts';
import { consoleUrl, federatedSignIn } from '../../helpers/console/signin';
import { ConsoleState, SIGNIN_TOKEN_TTL_MS } from '../../sandbox/console/sessions';
import type { ClientConfig } from '../fixtures/sandbox';
import { consoleTarget, expect, launchOptions, test } from './console-fixtures';

test.use({ launchOptions });

/** Federation sign-in against the sandbox, over plain HTTP as a script would do it. */
test.describe('console sign-in (federation)', () => {
  async function federationCredentials(aws: ClientConfig, policy?: string) {
    const sts = new STSClient(aws);
    const { Credentials } = await sts.send(
      new GetFederationTokenCommand({ Name: 'learner', Policy: policy }),
    );
    sts.destroy();
    return Credentials!;
  }

  function getSigninToken(base: string, session: object, extra: Record<string, string> = {}) {
    const query = new URLSearchParams({
      Action: 'getSigninToken',
      Session: JSON.stringify(session),
      ...extra,
    });
    return fetch(`${base}/federation?${query}`);
  }

  const sessionOf = (c: Credentials) => ({
    sessionId: c.AccessKeyId,
    sessionKey: c.SecretAccessKey,
    sessionToken: c.SessionToken,
  });

  test('long-term keys are refused with AWS’s 400 page', async ({ sandbox, accountId }) => {
    const response = await getSigninToken(sandbox.url, {
      sessionId: accountId,
      sessionKey: 'test',
      sessionToken: '',
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('Invalid credentials parameter');
  });

  test('a wrong secret or token is refused; SessionDuration is refused with federation-token credentials', async ({
    sandbox,
    aws,
  }) => {
    const credentials = await federationCredentials(aws);
    const wrongKey = await getSigninToken(sandbox.url, { ...sessionOf(credentials), sessionKey: 'nope' });
    expect(wrongKey.status).toBe(400);
    const withDuration = await getSigninToken(sandbox.url, sessionOf(credentials), {
      SessionDuration: '3600',
    });
    expect(withDuration.status).toBe(400);
  });

  test('temporary credentials get a token, which signs in once and sets an HttpOnly session', async ({
    sandbox,
    aws,
  }) => {
    const credentials = await federationCredentials(aws);
    const response = await getSigninToken(sandbox.url, sessionOf(credentials));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { SigninToken: string };
    expect(Object.keys(body)).toEqual(['SigninToken']);

    const destination = `${sandbox.url}/bedrock/home?region=us-east-1#/settings`;
    const login = `${sandbox.url}/federation?${new URLSearchParams({ Action: 'login', Issuer: 'tests', Destination: destination, SigninToken: body.SigninToken })}`;
    const first = await fetch(login, { redirect: 'manual' });
    expect(first.status).toBe(302);
    expect(first.headers.get('location')).toBe('/bedrock/home?region=us-east-1#/settings');
    expect(first.headers.get('set-cookie')).toMatch(/HttpOnly/);

    const again = await fetch(login, { redirect: 'manual' });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('Invalid sign-in token');
  });

  test('a sign-in token expires after 15 minutes', () => {
    const state = new ConsoleState();
    const caller = { accountId: '123456789012', arn: 'arn', userId: 'u', accessKeyId: 'k' };
    const token = state.issueToken(caller, Date.now() + 3_600_000, 0);
    expect(state.redeemToken(token, SIGNIN_TOKEN_TTL_MS + 1)).toBeUndefined();
    const fresh = state.issueToken(caller, Date.now() + 3_600_000, 0);
    expect(state.redeemToken(fresh, SIGNIN_TOKEN_TTL_MS)).toBeDefined();
  });

  test('without a session a page redirects to sign-in and the API answers 401', async ({ sandbox, page }) => {
    const redirect = await fetch(`${sandbox.url}/bedrock/home?region=us-east-1`, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe(
      `/signin?redirect_uri=${encodeURIComponent('/bedrock/home?region=us-east-1')}`,
    );
    const api = await fetch(`${sandbox.url}/console/api/monitoring/ListDashboards`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(api.status).toBe(401);

    await page.goto(`${sandbox.url}/cloudwatch/home?region=us-east-1#dashboards`);
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  });

  test('console calls take the API’s path: injected faults reach them, and the audit log has them', async ({
    sandbox,
    aws,
    accountId,
    settings,
  }) => {
    const dashboards = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'cloudwatch:ListDashboards', Resource: '*' }],
    });
    const state = await federatedSignIn(
      consoleTarget(settings),
      await federationCredentials(aws, dashboards),
    );
    const cookie = state.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const faults = (faults: object[]) =>
      fetch(`${sandbox.url}/_sandbox/faults`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ faults }),
      });
    await faults([{ operation: 'ListDashboards', account: accountId, error: 'throttle' }]);
    try {
      const since = new Date().toISOString();
      const throttled = await fetch(`${sandbox.url}/console/api/monitoring/ListDashboards`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: '{}',
      });
      expect(await throttled.json()).toMatchObject({
        __type: 'ThrottlingException',
        message: 'Rate exceeded',
      });
      expect(throttled.status).toBe(400);
      const audit = await fetch(
        `${sandbox.url}/_sandbox/audit?account=${accountId}&since=${encodeURIComponent(since)}`,
      );
      expect((await audit.json()) as { calls: object[] }).toMatchObject({
        calls: [
          {
            service: 'monitoring',
            operation: 'ListDashboards',
            status: 400,
            errorCode: 'ThrottlingException',
          },
        ],
      });
    } finally {
      await faults([]);
    }
  });

  test('console calls are authorized as the signed-in principal', async ({ sandbox, aws, settings }) => {
    const readOnly = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['bedrock:Get*', 'sts:GetCallerIdentity'], Resource: '*' }],
    });
    const state = await federatedSignIn(consoleTarget(settings), await federationCredentials(aws, readOnly));
    const cookie = state.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const call = (operation: string, input: object) =>
      fetch(`${sandbox.url}/console/api/bedrock/${operation}?region=us-east-1`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify(input),
      });
    expect((await call('GetModelInvocationLoggingConfiguration', {})).status).toBe(200);
    const denied = await call('PutModelInvocationLoggingConfiguration', {
      loggingConfig: { cloudWatchConfig: { logGroupName: 'g', roleArn: 'arn:aws:iam::123456789012:role/r' } },
    });
    expect(denied.status).toBe(403);
    const body = (await denied.json()) as { __type: string; message: string };
    expect(body.__type).toBe('AccessDeniedException');
    expect(body.message).toContain(
      'is not authorized to perform: bedrock:PutModelInvocationLoggingConfiguration',
    );
  });

  test('the sandbox console stays on its own origin', async ({ settings }) => {
    expect(consoleUrl(consoleTarget(settings), '/x')).toBe(`${settings.sandboxUrl}/x`);
    expect(consoleUrl({ ...consoleTarget(settings), target: 'aws' }, '/x')).toBe(
      'https://us-east-1.console.aws.amazon.com/x',
    );
  });
});
