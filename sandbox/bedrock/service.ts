import { bedrockAccess } from './access';
import * as bedrockModel from '@aws-sdk/client-bedrock';
import type {
  DeleteModelInvocationLoggingConfigurationCommandOutput,
  GetFoundationModelCommandInput,
  GetFoundationModelCommandOutput,
  GetModelInvocationLoggingConfigurationCommandOutput,
  ListFoundationModelsCommandInput,
  ListFoundationModelsCommandOutput,
  LoggingConfig,
  PutModelInvocationLoggingConfigurationCommandInput,
  PutModelInvocationLoggingConfigurationCommandOutput,
} from '@aws-sdk/client-bedrock';
import type { RequestContext, ServiceDefinition } from '../service';
import { modelNotFound, noDestination, permissionsNotValid } from './errors';
import { canDeliver, deliverEvent, PERMISSIONS_CONFIRMATION } from './logging';
import { findModel, foundationModelDetails, MODELS } from './models';
import { nowMs } from '../tape';
import { authorizeAction } from '../iam/authorization';

type Output<T> = Omit<T, '$metadata'>;

function putLoggingConfiguration(
  input: PutModelInvocationLoggingConfigurationCommandInput,
  ctx: RequestContext,
): Output<PutModelInvocationLoggingConfigurationCommandOutput> {
  // Its members' constraints were checked against the model before the handler runs.
  const config = input.loggingConfig as LoggingConfig;
  const { cloudWatchConfig, s3Config } = config;
  if (!cloudWatchConfig && !s3Config) throw noDestination();

  if (cloudWatchConfig) {
    // Handing Bedrock a role takes iam:PassRole on it, checked before the role itself.
    const denied = authorizeAction(ctx, 'iam:PassRole', cloudWatchConfig.roleArn!, {
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
      timestamp: nowMs(),
      message: PERMISSIONS_CONFIRMATION,
    });
  }
  return {};
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

/** The filters arrive in the query string. */
function listFoundationModels(
  input: ListFoundationModelsCommandInput,
  ctx: RequestContext,
): Output<ListFoundationModelsCommandOutput> {
  const { byProvider, byOutputModality, byInferenceType, byCustomizationType } = input;
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
  access: bedrockAccess,
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
