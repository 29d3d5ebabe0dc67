import { consoleTest } from '../../../fixtures/console';
import { labTest } from '../../../fixtures/lab';
import { definition } from './definition';
import { LabReader } from './reader';

/** This lab's `test`, its checks and its console checks: the framework's, with this lab's reader. */
const lab = labTest(
  definition,
  ({ aws, settings, preflight }) => new LabReader(aws, settings, preflight.accountId ?? ''),
);

export const { test, check, preflightTest } = lab;
export const { test: consolePageTest, consoleCheck } = consoleTest(lab);
export { expect, note } from '../../../fixtures/lab';
