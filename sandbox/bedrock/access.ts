import { textMember as str, type ResourceScope, type ServiceAccess } from '../service';

/** Cross-region inference profile ids start with a geography: `us.anthropic...`. */
const PROFILE = /^(us|eu|apac|us-gov|ca|jp|au|global)\./;

/**
 * Bedrock and its runtime name a model by id, ARN or inference profile; Converse is authorized as
 * InvokeModel, ConverseStream as InvokeModelWithResponseStream.
 */
export const bedrockAccess: ServiceAccess = {
  actionOf: {
    Converse: 'bedrock:InvokeModel',
    ConverseStream: 'bedrock:InvokeModelWithResponseStream',
  },
  resources(_operation: string, input: Record<string, unknown>, { accountId, region }: ResourceScope) {
    const model = str(input.modelId) ?? str(input.modelIdentifier);
    if (!model) return ['*'];
    if (model.startsWith('arn:')) return [model];
    if (PROFILE.test(model)) return [`arn:aws:bedrock:${region}:${accountId}:inference-profile/${model}`];
    return [`arn:aws:bedrock:${region}::foundation-model/${model}`];
  },
};
