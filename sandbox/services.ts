import { bedrockService } from './bedrock/service';
import { bedrockRuntimeService } from './bedrock-runtime/service';
import { cloudWatchService } from './cloudwatch/service';
import { iamService } from './iam/service';
import { logsService } from './logs/service';
import type { ServiceDefinition } from './service';
import { stsService } from './sts/service';

/** Every service the sandbox serves. Bedrock and its runtime share a signing name; paths tell them apart. */
export const SERVICES: readonly ServiceDefinition[] = [
  logsService,
  cloudWatchService,
  bedrockService,
  bedrockRuntimeService,
  iamService,
  stsService,
];
