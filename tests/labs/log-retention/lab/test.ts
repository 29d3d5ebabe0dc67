import { labTest } from '../../../../fixtures/lab';
import { definition } from './definition';
import { LogRetentionReader } from './reader';

/** This lab's `test` and checks: the framework's, with this lab's reader. */
export const { test, check, preflightTest } = labTest(definition, ({ aws }) => new LogRetentionReader(aws));
export { expect } from '../../../../fixtures/lab';
