import type { World } from '../world';

/** CloudWatch Logs state of one account and region. STUB: being written. */
export class LogsBackend {
  constructor(
    readonly accountId: string,
    readonly region: string,
    readonly world: World,
  ) {}
}
