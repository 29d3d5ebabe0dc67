import type { ServiceDefinition } from '../service';

/** STUB: being written. */
export const cloudWatchService: ServiceDefinition = {
  name: 'monitoring',
  signingName: 'monitoring',
  actionPrefix: 'cloudwatch',
  json: { targetPrefix: 'GraniteServiceVersion20100801', version: '1.0', queryCompatible: true },
  query: { xmlNamespace: 'http://monitoring.amazonaws.com/doc/2010-08-01/' },
  operations: {},
  readOnly: new Set(),
};
