import type { ServiceDefinition } from '../service';

/** STUB: being written. */
export const iamService: ServiceDefinition = {
  name: 'iam',
  signingName: 'iam',
  actionPrefix: 'iam',
  query: { xmlNamespace: 'https://iam.amazonaws.com/doc/2010-05-08/' },
  operations: {},
  readOnly: new Set(),
};
