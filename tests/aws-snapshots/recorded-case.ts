import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { AwsQueryProtocol, AwsSmithyRpcV2CborProtocol } from '@aws-sdk/core/protocols';
import { randomBytes } from 'node:crypto';

/**
 * A recorded AWS test replayed: the requests of one LocalStack snapshot test, written again
 * with the AWS SDK for JavaScript, each answer handed to `snapshot.match` under the key the
 * recording stored it under.
 */
export type RecordedCase = (session: CaseSession) => Promise<void>;

/** Recorded tests by id, as the snapshot file names them: `tests/aws/services/...py::Class::test`. */
export type RecordedCases = Record<string, RecordedCase>;

/**
 * Recorded responses the sandbox knowingly answers otherwise, keyed `<recorded test> › <key>`,
 * each with the reason. The README's fidelity table says what a learner or grader sees of them.
 */
export type KnownDeviations = Record<string, string>;

/** CloudWatch's three protocols, as its recorded tests are parametrized: `test_x[json]`. */
export type CloudWatchProtocol = 'json' | 'query' | 'smithy-rpc-v2-cbor';

/** The account every case runs in: the account recorded ids were normalised to. */
const SNAPSHOT_ACCOUNT = '111111111111';

export interface CaseSession {
  logs: CloudWatchLogsClient;
  /** CloudWatch over the protocol the recorded test was parametrized with (JSON otherwise). */
  cloudwatch: CloudWatchClient;
  iam: IAMClient;
  sts: STSClient;
  region: string;
  accountId: string;
  /** Client settings without credentials, for clients of another identity (an assumed role). */
  clientConfig: ClientSettings & { maxAttempts: number };
  snapshot: Snapshot;
  /** A name unique to this run, as the recorded tests' `short_uid()` made them. */
  unique(prefix: string): string;
}

export interface Snapshot {
  /** Records an SDK answer (or any value) under a recorded key. */
  match(key: string, value: unknown): void;
  /** Sends a request that must fail and records the error as boto3 surfaced it. */
  matchError(key: string, request: () => Promise<unknown>): Promise<void>;
}

/** What a case produced, key by key, in the boto3 shape the recordings hold. */
export type Replayed = Map<string, unknown>;

export interface ClientSettings {
  endpoint: string;
  region: string;
}

/**
 * Runs one recorded case: what it handed to `snapshot.match`, and why it stopped early if it
 * did (an unexpected error: the keys it had not reached yet count as not replayed).
 */
export async function replayCase(
  id: string,
  run: RecordedCase,
  settings: ClientSettings,
): Promise<{ replayed: Replayed; stopped?: string }> {
  const replayed: Replayed = new Map();
  const config = {
    ...settings,
    credentials: { accessKeyId: SNAPSHOT_ACCOUNT, secretAccessKey: 'test' },
    maxAttempts: 1,
  };
  const protocol = cloudWatchProtocol(id);
  const cloudwatch = new CloudWatchClient({ ...config, ...cloudWatchProtocolSettings(protocol) });
  // A case parametrized with a protocol must send it: over another, its answers could match all the same.
  cloudwatch.middlewareStack.add(
    (next) => async (args) => {
      const headers = (args.request as { headers: Record<string, string> }).headers;
      const sent = headers['smithy-protocol']
        ? 'smithy-rpc-v2-cbor'
        : headers['content-type']?.startsWith('application/x-www-form-urlencoded')
          ? 'query'
          : 'json';
      if (sent !== protocol) throw new Error(`the CloudWatch client sent ${sent}, not ${protocol}`);
      return next(args);
    },
    { step: 'finalizeRequest', name: 'recordedProtocol' },
  );
  const session: CaseSession = {
    logs: new CloudWatchLogsClient(config),
    cloudwatch,
    iam: new IAMClient(config),
    sts: new STSClient(config),
    region: settings.region,
    accountId: SNAPSHOT_ACCOUNT,
    clientConfig: { ...settings, maxAttempts: 1 },
    unique: (prefix) => `${prefix}-${randomBytes(4).toString('hex')}`,
    snapshot: {
      match: (key, value) => {
        replayed.set(key, botoShape(value));
      },
      matchError: async (key, request) => {
        try {
          await request();
        } catch (error) {
          replayed.set(key, botoError(error, id));
          return;
        }
        replayed.set(key, { unexpected: 'the request succeeded' });
      },
    },
  };
  try {
    await run(session);
  } catch (error) {
    const stopped = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { replayed, stopped };
  }
  return { replayed };
}

/** The protocol a recorded CloudWatch test was parametrized with (`[json-Sum]`, `[query]`); JSON when none. */
function cloudWatchProtocol(id: string): CloudWatchProtocol {
  const parameter = /\[([^\]]*)\]$/.exec(id)?.[1] ?? '';
  if (parameter.startsWith('smithy-rpc-v2-cbor')) return 'smithy-rpc-v2-cbor';
  return parameter.split('-').includes('query') ? 'query' : 'json';
}

function cloudWatchProtocolSettings(protocol: CloudWatchProtocol) {
  if (protocol === 'query') {
    return {
      protocol: new AwsQueryProtocol({
        defaultNamespace: 'com.amazonaws.cloudwatch',
        xmlNamespace: 'http://monitoring.amazonaws.com/doc/2010-08-01/',
        version: '2010-08-01',
      }),
    };
  }
  if (protocol === 'smithy-rpc-v2-cbor') {
    // The AWS flavour, built with the client's own settings (error types, awsQueryCompatible):
    // botocore reads CloudWatch's CBOR errors query-compatibly too, as the recordings show
    // (`Error.Code` from `x-amzn-query-error`, `QueryErrorCode` from `__type`).
    return { protocol: AwsSmithyRpcV2CborProtocol };
  }
  return {};
}

/**
 * An SDK answer as boto3 returns it: `$metadata` becomes `ResponseMetadata` (headers removed),
 * and IAM's URL-encoded policy documents are decoded into objects, as botocore does.
 */
function botoShape(value: unknown): unknown {
  if (!value || typeof value !== 'object' || !('$metadata' in value)) return value;
  const { $metadata, ...output } = value as { $metadata: { httpStatusCode?: number } };
  return {
    ...(decodePolicies(output) as object),
    ResponseMetadata: { HTTPHeaders: {}, HTTPStatusCode: $metadata.httpStatusCode },
  };
}

const POLICY_DOCUMENTS = new Set(['AssumeRolePolicyDocument', 'PolicyDocument', 'Document']);

function decodePolicies(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodePolicies);
  if (!value || typeof value !== 'object' || value instanceof Date) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, member]) => [
      key,
      POLICY_DOCUMENTS.has(key) && typeof member === 'string'
        ? JSON.parse(decodeURIComponent(member))
        : decodePolicies(member),
    ]),
  );
}

interface SdkError {
  name: string;
  message: string;
  $metadata?: { httpStatusCode?: number };
  Error?: { Code?: string; Message?: string; Type?: string };
  Code?: string;
  Type?: string;
  __type?: string;
}

/**
 * An SDK error as boto3 surfaces it: `Error.Code`, `Error.Message` and, for the Query protocol
 * and the query-compatible ones (CloudWatch), `Error.Type`. Over JSON and CBOR boto3 also keeps
 * the body's `__type` as `Error.QueryErrorCode` and its modeled `message` member.
 */
function botoError(error: unknown, id: string): unknown {
  if (!(error instanceof Error)) throw error;
  const e = error as unknown as SdkError;
  if (!e.$metadata) throw error;
  const code = e.Error?.Code ?? e.Code ?? e.name;
  const found: Record<string, string> = { Code: code };
  const message = e.Error?.Message ?? e.message;
  if (message) found.Message = message;
  const cloudWatchBody = id.includes('/cloudwatch/') && cloudWatchProtocol(id) !== 'query';
  if (cloudWatchBody && e.__type) found.QueryErrorCode = e.__type.replace(/^.*#/, '');
  const type = e.Error?.Type ?? e.Type;
  if (type) found.Type = type;
  return {
    Error: found,
    ...(cloudWatchBody && message ? { message } : {}),
    ResponseMetadata: { HTTPHeaders: {}, HTTPStatusCode: e.$metadata.httpStatusCode },
  };
}
