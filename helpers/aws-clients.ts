import { BedrockClient } from '@aws-sdk/client-bedrock';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
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
 * The grader's own credentials: on the sandbox its keys from the environment, or the named
 * profile (`test`/`test` when neither is set); against AWS none, so the SDK's default chain finds
 * them.
 */
export function graderCredentials(
  settings: LabSettings,
  env = process.env,
): AwsCredentialIdentity | undefined {
  if (settings.target === 'aws') return undefined;
  // A named profile, such as the instructor's file of a class-mode sandbox: the SDK's chain reads it.
  if (env.AWS_PROFILE && !env.AWS_ACCESS_KEY_ID) return undefined;
  return {
    accessKeyId: env.AWS_ACCESS_KEY_ID || 'test',
    secretAccessKey: env.AWS_SECRET_ACCESS_KEY || 'test',
    ...(env.AWS_SESSION_TOKEN && { sessionToken: env.AWS_SESSION_TOKEN }),
  };
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
