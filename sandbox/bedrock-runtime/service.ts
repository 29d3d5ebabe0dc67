import type { ServiceDefinition } from '../service';

/** STUB: being written. */
export const bedrockRuntimeService: ServiceDefinition = {
  name: 'bedrock-runtime',
  signingName: 'bedrock',
  actionPrefix: 'bedrock',
  rest: { routes: [] },
  operations: {},
  readOnly: new Set(),
};
