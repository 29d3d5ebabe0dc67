import { BedrockClient } from '@aws-sdk/client-bedrock';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { LabSettings } from './settings';

/** The SDK clients the grader uses: the same against AWS and the sandbox, only the endpoint differs. */
export interface AwsClients {
  bedrock: BedrockClient;
  bedrockRuntime: BedrockRuntimeClient;
  logs: CloudWatchLogsClient;
  cloudwatch: CloudWatchClient;
  iam: IAMClient;
  sts: STSClient;
}

export interface ClientOptions {
  region: string;
  /** The sandbox's URL for the local target; for AWS the SDK's own resolution (AWS_ENDPOINT_URL included). */
  endpoint?: string;
  /** Left out: the SDK's default credential chain. */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  maxAttempts?: number;
}

/** The configuration every grader client shares. */
export function clientConfig(options: ClientOptions) {
  return {
    region: options.region,
    ...(options.endpoint && { endpoint: options.endpoint }),
    ...(options.credentials && { credentials: options.credentials }),
    // Standard retries with backoff for throttles and server errors; what remains is inconclusive.
    maxAttempts: options.maxAttempts ?? 4,
    retryMode: 'standard',
  };
}

export function createClients(options: ClientOptions): AwsClients {
  const config = clientConfig(options);
  return {
    bedrock: new BedrockClient(config),
    bedrockRuntime: new BedrockRuntimeClient(config),
    logs: new CloudWatchLogsClient(config),
    cloudwatch: new CloudWatchClient(config),
    // IAM is global; its SigV4 scope is us-east-1 wherever the lab runs.
    iam: new IAMClient({ ...config, region: 'us-east-1' }),
    sts: new STSClient(config),
  };
}

/**
 * The grader's own credentials: on the sandbox, those meant for it (`sandboxCredentials`);
 * against AWS none, so the SDK's default chain finds them.
 */
export function graderCredentials(
  settings: LabSettings,
  env = process.env,
): AwsCredentialIdentity | undefined {
  return settings.target === 'aws' ? undefined : sandboxCredentials(env).credentials;
}

/** The sandbox's STS starts its session tokens so (sandbox/auth/credentials.ts); AWS's never do. */
const SANDBOX_SESSION_TOKEN = /^IQoJsandbox/;

/** Keys the lab sandbox issues: `test`, an account id (class mode writes one), or a session of its STS. */
function isSandboxKey({ accessKeyId, sessionToken }: AwsCredentialIdentity): boolean {
  return (
    accessKeyId === 'test' || /^\d{12}$/.test(accessKeyId) || SANDBOX_SESSION_TOKEN.test(sessionToken ?? '')
  );
}

export interface SandboxCredentials {
  credentials: AwsCredentialIdentity;
  /** What the environment offered that is an AWS account's, unused: `AWS_ACCESS_KEY_ID`, `AWS_PROFILE=work`. */
  ignored: string[];
}

/**
 * What the grader signs in to the sandbox with: keys meant for it (AWS_ACCESS_KEY_ID, or
 * AWS_PROFILE naming a profile of its keys, as class mode writes), else its own `test`. Keys of
 * an AWS account would only be refused there, so they are ignored, and named for the run to say so.
 */
export function sandboxCredentials(env: NodeJS.ProcessEnv = process.env): SandboxCredentials {
  const ignored: string[] = [];
  if (env.AWS_ACCESS_KEY_ID) {
    const fromEnv = {
      accessKeyId: env.AWS_ACCESS_KEY_ID,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY || 'test',
      ...(env.AWS_SESSION_TOKEN && { sessionToken: env.AWS_SESSION_TOKEN }),
    };
    if (isSandboxKey(fromEnv)) return { credentials: fromEnv, ignored };
    ignored.push('AWS_ACCESS_KEY_ID');
  }
  if (env.AWS_PROFILE) {
    const fromProfile = profileKeys(env.AWS_PROFILE, env);
    if (fromProfile && isSandboxKey(fromProfile)) return { credentials: fromProfile, ignored };
    ignored.push(`AWS_PROFILE=${env.AWS_PROFILE}`);
  }
  return { credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, ignored };
}

/**
 * The one line a local run says when the environment names AWS (an endpoint, credentials) and
 * the sandbox is used instead; undefined when nothing is ignored.
 */
export function localTargetNote(
  settings: LabSettings,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  if (settings.target !== 'local') return undefined;
  const endpoints = Object.keys(env)
    .filter((name) => /^AWS_ENDPOINT_URL(_\w+)?$/.test(name))
    .filter((name) => env[name] && env[name]!.replace(/\/$/, '') !== settings.sandboxUrl)
    .sort();
  const { ignored } = sandboxCredentials(env);
  const parts = [
    ...endpoints,
    ...(ignored.length ? [`the ambient AWS credentials (${ignored.join(', ')})`] : []),
  ];
  if (!parts.length) return undefined;
  return (
    `LAB_TARGET=local: ignoring ${parts.join(' and ')}; the lab sandbox's own ${parts.length > 1 || ignored.length ? 'are' : 'is'} used, ` +
    `at ${settings.sandboxUrl} (LAB_TARGET=aws grades AWS with them).`
  );
}

/**
 * A profile's static keys, where the SDK reads them: the shared credentials file, then the
 * config file. Roles, SSO and processes are no sandbox's: they give none.
 */
function profileKeys(profile: string, env: NodeJS.ProcessEnv): AwsCredentialIdentity | undefined {
  const aws = join(homedir(), '.aws');
  const sources = [
    { file: env.AWS_SHARED_CREDENTIALS_FILE || join(aws, 'credentials'), section: profile },
    {
      file: env.AWS_CONFIG_FILE || join(aws, 'config'),
      section: profile === 'default' ? 'default' : `profile ${profile}`,
    },
  ];
  for (const { file, section } of sources) {
    const values = iniSection(file, section);
    if (values?.aws_access_key_id) {
      return {
        accessKeyId: values.aws_access_key_id,
        secretAccessKey: values.aws_secret_access_key ?? '',
        ...(values.aws_session_token && { sessionToken: values.aws_session_token }),
      };
    }
  }
  return undefined;
}

/** The `key = value` lines of one `[section]` of an INI file, if the file has it. */
function iniSection(file: string, section: string): Record<string, string> | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  let found: Record<string, string> | undefined;
  let current: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    const header = /^\s*\[\s*(.+?)\s*\]/.exec(line);
    if (header) {
      current = header[1];
      if (current === section) found ??= {};
      continue;
    }
    const pair = /^\s*([\w-]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (pair && current === section) found![pair[1]!] = pair[2]!;
  }
  return found;
}

/** Clients for the target the settings name; by default with the grader's own credentials. */
export function clientsForSettings(
  settings: LabSettings,
  credentials: ClientOptions['credentials'] = graderCredentials(settings),
): AwsClients {
  return createClients(optionsForSettings(settings, credentials));
}

export function optionsForSettings(
  settings: LabSettings,
  credentials: ClientOptions['credentials'],
): ClientOptions {
  return {
    region: settings.region,
    ...(settings.target === 'local' && { endpoint: settings.sandboxUrl }),
    credentials,
  };
}
