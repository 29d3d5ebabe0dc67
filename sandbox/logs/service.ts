import type { ServiceDefinition } from '../service';

/** STUB: being written. */
export const logsService: ServiceDefinition = {
  name: 'logs',
  signingName: 'logs',
  actionPrefix: 'logs',
  json: { targetPrefix: 'Logs_20140328', version: '1.1' },
  operations: {},
  readOnly: new Set(),
};
