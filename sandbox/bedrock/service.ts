import * as bedrockModel from '@aws-sdk/client-bedrock';
import type {
  CloudWatchConfig,
  DeleteModelInvocationLoggingConfigurationCommandOutput,
  GetFoundationModelCommandInput,
  GetFoundationModelCommandOutput,
  GetModelInvocationLoggingConfigurationCommandOutput,
  ListFoundationModelsCommandInput,
  ListFoundationModelsCommandOutput,
  LoggingConfig,
  PutModelInvocationLoggingConfigurationCommandInput,
  PutModelInvocationLoggingConfigurationCommandOutput,
  S3Config,
} from '@aws-sdk/client-bedrock';
import { constraintText, lengthConstraint } from '../protocols/errors';
import type { RequestContext, ServiceDefinition } from '../service';
import { modelNotFound, noDestination, permissionsNotValid, shapeErrors } from './errors';
import { canDeliver, deliverEvent, PERMISSIONS_CONFIRMATION } from './logging';
import { findModel, foundationModelDetails, MODELS } from './models';

type Output<T> = Omit<T, '$metadata'>;

const ROLE_ARN = /^arn:aws(-[^:]+)?:iam::([0-9]{12})?:role\/.+$/;

function putLoggingConfiguration(
  input: PutModelInvocationLoggingConfigurationCommandInput,
  ctx: RequestContext,
): Output<PutModelInvocationLoggingConfigurationCommandOutput> {
  const config = input.loggingConfig as LoggingConfig | undefined;
  const problems: string[] = [];
  if (!config) problems.push(notNull('loggingConfig'));
  else {
    if (config.cloudWatchConfig) checkCloudWatchConfig(config.cloudWatchConfig, problems);
    if (config.s3Config) checkS3Config(config.s3Config, 'loggingConfig.s3Config', problems);
  }
  if (problems.length || !config) throw shapeErrors(problems);
  const { cloudWatchConfig, s3Config } = config;
  if (!cloudWatchConfig && !s3Config) throw noDestination();

  if (cloudWatchConfig) {
    // Handing Bedrock a role takes iam:PassRole on it, checked before the role itself.
    const denied = ctx.world.iam
      .get(ctx.accountId)
      .authorizeAction(ctx.caller, bedrockService, 'iam:PassRole', cloudWatchConfig.roleArn!, ctx, {
        'iam:PassedToService': 'bedrock.amazonaws.com',
      });
    if (denied) throw denied;
  }
  if (cloudWatchConfig && !canDeliver(ctx.world, ctx.accountId, ctx.region, cloudWatchConfig)) {
    throw permissionsNotValid(cloudWatchConfig.logGroupName!, cloudWatchConfig.roleArn!);
  }
  // The sandbox has no S3: an s3Config is stored as given and nothing is delivered to it.
  ctx.world.bedrock.get(ctx.accountId, ctx.region).putLoggingConfig(config);
  if (cloudWatchConfig) {
    deliverEvent(ctx.world, ctx.accountId, ctx.region, cloudWatchConfig, {
      timestamp: Date.now(),
      message: PERMISSIONS_CONFIRMATION,
    });
  }
  return {};
}

function checkCloudWatchConfig(config: CloudWatchConfig, problems: string[]): void {
  const path = 'loggingConfig.cloudWatchConfig';
  const { logGroupName, roleArn, largeDataDeliveryS3Config } = config;
  if (logGroupName === undefined || logGroupName === null) problems.push(notNull(`${path}.logGroupName`));
  else checkLength(String(logGroupName), `${path}.logGroupName`, 1, 512, problems);
  if (roleArn === undefined || roleArn === null) problems.push(notNull(`${path}.roleArn`));
  else {
    checkLength(String(roleArn), `${path}.roleArn`, 0, 2048, problems);
    if (!ROLE_ARN.test(String(roleArn))) {
      problems.push(
        constraintText(
          roleArn,
          `${path}.roleArn`,
          `Member must satisfy regular expression pattern: ${ROLE_ARN.source.replace(/\\\//g, '/')}`,
        ),
      );
    }
  }
  if (largeDataDeliveryS3Config) {
    checkS3Config(largeDataDeliveryS3Config, `${path}.largeDataDeliveryS3Config`, problems);
  }
}

function checkS3Config(config: S3Config, path: string, problems: string[]): void {
  if (config.bucketName === undefined || config.bucketName === null)
    problems.push(notNull(`${path}.bucketName`));
  else checkLength(String(config.bucketName), `${path}.bucketName`, 3, 63, problems);
  if (config.keyPrefix !== undefined)
    checkLength(String(config.keyPrefix), `${path}.keyPrefix`, 0, 1024, problems);
}

const notNull = (path: string) => constraintText(null, path, 'Member must not be null');

function checkLength(value: string, path: string, min: number, max: number, problems: string[]): void {
  const broken = lengthConstraint(value, min, max);
  if (broken) problems.push(constraintText(value, path, broken));
}

/** An empty body when nothing is configured, as AWS answers. */
function getLoggingConfiguration(
  _input: object,
  ctx: RequestContext,
): Output<GetModelInvocationLoggingConfigurationCommandOutput> {
  const loggingConfig = ctx.world.bedrock.get(ctx.accountId, ctx.region).loggingConfig;
  return loggingConfig ? { loggingConfig } : {};
}

function deleteLoggingConfiguration(
  _input: object,
  ctx: RequestContext,
): Output<DeleteModelInvocationLoggingConfigurationCommandOutput> {
  ctx.world.bedrock.get(ctx.accountId, ctx.region).deleteLoggingConfig();
  return {};
}

const FILTERS = {
  byOutputModality: ['TEXT', 'IMAGE', 'EMBEDDING'],
  byInferenceType: ['ON_DEMAND', 'PROVISIONED'],
  byCustomizationType: ['FINE_TUNING', 'CONTINUED_PRE_TRAINING', 'DISTILLATION'],
} as const;
const PROVIDER = /^[A-Za-z0-9- ]{1,63}$/;

/** The filters arrive in the query string. */
function listFoundationModels(
  input: ListFoundationModelsCommandInput,
  ctx: RequestContext,
): Output<ListFoundationModelsCommandOutput> {
  const problems: string[] = [];
  for (const [name, allowed] of Object.entries(FILTERS)) {
    const value = input[name as keyof typeof FILTERS];
    if (value !== undefined && !(allowed as readonly string[]).includes(value)) {
      problems.push(
        constraintText(value, name, `Member must satisfy enum value set: [${allowed.join(', ')}]`),
      );
    }
  }
  const { byProvider, byOutputModality, byInferenceType, byCustomizationType } = input;
  if (byProvider !== undefined && !PROVIDER.test(byProvider)) {
    problems.push(
      constraintText(
        byProvider,
        'byProvider',
        'Member must satisfy regular expression pattern: [A-Za-z0-9- ]{1,63}',
      ),
    );
  }
  if (problems.length) throw shapeErrors(problems);
  const modelSummaries = MODELS.filter(
    (m) =>
      (!byProvider || m.providerName.toLowerCase() === byProvider.toLowerCase()) &&
      (!byOutputModality || m.outputModalities.includes(byOutputModality)) &&
      (!byInferenceType || m.inferenceTypesSupported.includes(byInferenceType)) &&
      (!byCustomizationType || m.customizationsSupported.includes(byCustomizationType)),
  ).map((m) => foundationModelDetails(m, ctx.region));
  return { modelSummaries };
}

/** Accepts a model id or a foundation-model ARN of the caller's Region. */
function getFoundationModel(
  input: GetFoundationModelCommandInput,
  ctx: RequestContext,
): Output<GetFoundationModelCommandOutput> {
  const identifier = input.modelIdentifier ?? '';
  const prefix = `arn:aws:bedrock:${ctx.region}::foundation-model/`;
  const model = findModel(identifier.startsWith(prefix) ? identifier.slice(prefix.length) : identifier);
  if (!model) throw modelNotFound(identifier);
  return { modelDetails: foundationModelDetails(model, ctx.region) };
}

export const bedrockService: ServiceDefinition = {
  model: bedrockModel,
  name: 'bedrock',
  signingName: 'bedrock',
  actionPrefix: 'bedrock',
  rest: {
    routes: [
      {
        method: 'PUT',
        path: '/logging/modelinvocations',
        operation: 'PutModelInvocationLoggingConfiguration',
        payload: 'json',
      },
      {
        method: 'GET',
        path: '/logging/modelinvocations',
        operation: 'GetModelInvocationLoggingConfiguration',
        payload: 'json',
      },
      {
        method: 'DELETE',
        path: '/logging/modelinvocations',
        operation: 'DeleteModelInvocationLoggingConfiguration',
        payload: 'json',
      },
      { method: 'GET', path: '/foundation-models', operation: 'ListFoundationModels', payload: 'json' },
      {
        method: 'GET',
        path: '/foundation-models/{modelIdentifier}',
        operation: 'GetFoundationModel',
        payload: 'json',
      },
    ],
  },
  operations: {
    PutModelInvocationLoggingConfiguration: putLoggingConfiguration,
    GetModelInvocationLoggingConfiguration: getLoggingConfiguration,
    DeleteModelInvocationLoggingConfiguration: deleteLoggingConfiguration,
    ListFoundationModels: listFoundationModels,
    GetFoundationModel: getFoundationModel,
  },
  readOnly: new Set(['GetModelInvocationLoggingConfiguration', 'ListFoundationModels', 'GetFoundationModel']),
};
