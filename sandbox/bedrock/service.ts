import type { ServiceDefinition } from '../service';

/** STUB: being written. */
export const bedrockService: ServiceDefinition = {
  name: 'bedrock',
  signingName: 'bedrock',
  actionPrefix: 'bedrock',
  rest: { routes: [] },
  operations: {},
  readOnly: new Set(),
};
