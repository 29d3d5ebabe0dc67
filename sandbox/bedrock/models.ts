import type {
  FoundationModelDetails,
  FoundationModelLifecycleStatus,
  InferenceType,
  ModelCustomization,
  ModelModality,
} from '@aws-sdk/client-bedrock';

/** The geographic groups of cross-Region inference profiles (`us.anthropic...`). */
export type ProfileGeo = 'us' | 'eu' | 'apac' | 'global';

/**
 * AWS reports `INFERENCE_PROFILE` for models that only run through a cross-Region profile;
 * the SDK's enum predates that value, so the catalog widens it.
 */
type Inference = InferenceType | 'INFERENCE_PROFILE';

/** One foundation model as the sandbox knows it: the catalog entry plus how it is invoked. */
export interface CatalogModel {
  modelId: string;
  modelName: string;
  providerName: string;
  inputModalities: ModelModality[];
  outputModalities: ModelModality[];
  responseStreamingSupported: boolean;
  customizationsSupported: ModelCustomization[];
  inferenceTypesSupported: Inference[];
  lifecycle: {
    status: FoundationModelLifecycleStatus;
    startOfLifeTime: Date;
    legacyTime?: Date;
    endOfLifeTime?: Date;
  };
  /** Geographic inference profiles that contain the model. */
  profiles: ProfileGeo[];
  /** The native InvokeModel body the model speaks. */
  api: 'anthropic-messages' | 'nova-messages';
  /** What the model calls itself in a response (Anthropic's `model` field). */
  responseModel: string;
}

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

/**
 * Real Bedrock model ids, enough for the lab: its own (now end-of-life) model, the current
 * Anthropic models that need an inference profile, one Amazon model callable on demand and one
 * Legacy model that is not yet end of life. Launch dates are the public launch days; the Legacy
 * and end-of-life dates of Claude Sonnet 4 and the Legacy date of Claude 3.5 Sonnet v2 are
 * UNVERIFIED (chosen to respect AWS's "at least 6 months Legacy" rule).
 */
export const MODELS: readonly CatalogModel[] = [
  {
    modelId: 'anthropic.claude-3-5-sonnet-20241022-v2:0',
    modelName: 'Claude 3.5 Sonnet v2',
    providerName: 'Anthropic',
    inputModalities: ['TEXT', 'IMAGE'],
    outputModalities: ['TEXT'],
    responseStreamingSupported: true,
    customizationsSupported: [],
    // In us-east-1 this model was only ever callable through the `us.` profile (docs/aws-behaviours.md).
    inferenceTypesSupported: ['INFERENCE_PROFILE'],
    lifecycle: {
      status: 'LEGACY',
      startOfLifeTime: day('2024-10-22'),
      legacyTime: day('2026-01-30'),
      endOfLifeTime: day('2026-07-30'),
    },
    profiles: ['us', 'apac'],
    api: 'anthropic-messages',
    responseModel: 'claude-3-5-sonnet-20241022',
  },
  {
    modelId: 'anthropic.claude-sonnet-4-20250514-v1:0',
    modelName: 'Claude Sonnet 4',
    providerName: 'Anthropic',
    inputModalities: ['TEXT', 'IMAGE'],
    outputModalities: ['TEXT'],
    responseStreamingSupported: true,
    customizationsSupported: [],
    inferenceTypesSupported: ['INFERENCE_PROFILE'],
    lifecycle: {
      status: 'LEGACY',
      startOfLifeTime: day('2025-05-22'),
      legacyTime: day('2026-09-15'),
      endOfLifeTime: day('2027-03-15'),
    },
    profiles: ['us', 'eu', 'apac', 'global'],
    api: 'anthropic-messages',
    responseModel: 'claude-sonnet-4-20250514',
  },
  {
    modelId: 'anthropic.claude-haiku-4-5-20251001-v1:0',
    modelName: 'Claude Haiku 4.5',
    providerName: 'Anthropic',
    inputModalities: ['TEXT', 'IMAGE'],
    outputModalities: ['TEXT'],
    responseStreamingSupported: true,
    customizationsSupported: [],
    inferenceTypesSupported: ['INFERENCE_PROFILE'],
    lifecycle: { status: 'ACTIVE', startOfLifeTime: day('2025-10-15') },
    profiles: ['us', 'eu', 'apac', 'global'],
    api: 'anthropic-messages',
    responseModel: 'claude-haiku-4-5-20251001',
  },
  {
    modelId: 'anthropic.claude-sonnet-4-5-20250929-v1:0',
    modelName: 'Claude Sonnet 4.5',
    providerName: 'Anthropic',
    inputModalities: ['TEXT', 'IMAGE'],
    outputModalities: ['TEXT'],
    responseStreamingSupported: true,
    customizationsSupported: [],
    inferenceTypesSupported: ['INFERENCE_PROFILE'],
    lifecycle: { status: 'ACTIVE', startOfLifeTime: day('2025-09-29') },
    profiles: ['us', 'eu', 'apac', 'global'],
    api: 'anthropic-messages',
    responseModel: 'claude-sonnet-4-5-20250929',
  },
  {
    modelId: 'amazon.nova-micro-v1:0',
    modelName: 'Nova Micro',
    providerName: 'Amazon',
    inputModalities: ['TEXT'],
    outputModalities: ['TEXT'],
    responseStreamingSupported: true,
    customizationsSupported: ['FINE_TUNING', 'DISTILLATION'],
    inferenceTypesSupported: ['ON_DEMAND', 'INFERENCE_PROFILE'],
    lifecycle: { status: 'ACTIVE', startOfLifeTime: day('2024-12-03') },
    profiles: ['us', 'eu', 'apac'],
    api: 'nova-messages',
    responseModel: 'nova-micro',
  },
];

export function findModel(modelId: string): CatalogModel | undefined {
  return MODELS.find((m) => m.modelId === modelId);
}

function foundationModelArn(region: string, modelId: string): string {
  return `arn:aws:bedrock:${region}::foundation-model/${modelId}`;
}

/** The catalog entry in the SDK's shape; FoundationModelSummary has the same members. */
export function foundationModelDetails(model: CatalogModel, region: string): FoundationModelDetails {
  return {
    modelArn: foundationModelArn(region, model.modelId),
    modelId: model.modelId,
    modelName: model.modelName,
    providerName: model.providerName,
    inputModalities: model.inputModalities,
    outputModalities: model.outputModalities,
    responseStreamingSupported: model.responseStreamingSupported,
    customizationsSupported: model.customizationsSupported,
    inferenceTypesSupported: model.inferenceTypesSupported as InferenceType[],
    modelLifecycle: { ...model.lifecycle },
  };
}

/** Where a model stands at `now`: end of life is a date, not a status the API reports. */
export function lifecycleAt(model: CatalogModel, now: Date): 'ACTIVE' | 'LEGACY' | 'END_OF_LIFE' {
  const { status, endOfLifeTime } = model.lifecycle;
  if (endOfLifeTime && endOfLifeTime <= now) return 'END_OF_LIFE';
  return status;
}

/** The inference-profile group a Region belongs to (`us-east-1` → `us`). */
function geoOfRegion(region: string): ProfileGeo | undefined {
  if (/^us-(east|west)-\d$/.test(region)) return 'us';
  if (region.startsWith('eu-')) return 'eu';
  if (region.startsWith('ap-')) return 'apac';
  return undefined;
}

/** A model identifier as InvokeModel / Converse accept it, resolved. */
export type ModelReference =
  | { kind: 'foundation-model'; model: CatalogModel }
  | { kind: 'inference-profile'; model: CatalogModel; profileId: string; profileArn: string };

export type Resolution = ModelReference | { kind: 'invalid' } | { kind: 'other-account' };

const FOUNDATION_ARN = /^arn:aws:bedrock:([a-z0-9-]+)::foundation-model\/(.+)$/;
const PROFILE_ARN = /^arn:aws:bedrock:([a-z0-9-]+):(\d{12}):inference-profile\/(.+)$/;

/**
 * Plain ids, cross-Region profile ids (`us.`, `eu.`, `apac.`, `global.`) and the ARNs of
 * either. A profile is only valid in the Regions of its group; `global.` works everywhere.
 */
export function resolveModelIdentifier(identifier: string, accountId: string, region: string): Resolution {
  const foundation = FOUNDATION_ARN.exec(identifier);
  if (foundation) {
    const model = foundation[1] === region ? findModel(foundation[2]!) : undefined;
    return model ? { kind: 'foundation-model', model } : { kind: 'invalid' };
  }
  const profileArn = PROFILE_ARN.exec(identifier);
  if (profileArn) {
    if (profileArn[1] !== region) return { kind: 'invalid' };
    // UNVERIFIED: the error for another account's system profile ARN; access denied is the likely answer.
    if (profileArn[2] !== accountId) return { kind: 'other-account' };
    return resolveProfile(profileArn[3]!, accountId, region);
  }
  const model = findModel(identifier);
  if (model) return { kind: 'foundation-model', model };
  return resolveProfile(identifier, accountId, region);
}

function resolveProfile(profileId: string, accountId: string, region: string): Resolution {
  const dot = profileId.indexOf('.');
  const geo = profileId.slice(0, dot) as ProfileGeo;
  const model = dot > 0 ? findModel(profileId.slice(dot + 1)) : undefined;
  if (!model || !model.profiles.includes(geo) || (geo !== 'global' && geo !== geoOfRegion(region))) {
    return { kind: 'invalid' };
  }
  return {
    kind: 'inference-profile',
    model,
    profileId,
    profileArn: `arn:aws:bedrock:${region}:${accountId}:inference-profile/${profileId}`,
  };
}
