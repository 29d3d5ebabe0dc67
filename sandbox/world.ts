import { CredentialStore } from './auth/credentials';
import { BedrockBackend } from './bedrock/backend';
import { CloudWatchBackend } from './cloudwatch/backend';
import { AuditLog, FaultTable, LATENCY_PROFILES, type LatencyProfile } from './conditions';
import { IamBackend } from './iam/backend';
import type { Journal } from './journal';
import { LogsBackend } from './logs/backend';
import { AccountState, RegionalState } from './state';

/**
 * Everything the sandbox holds. Services reach each other's state through it, as AWS services
 * reach each other: Bedrock writes into CloudWatch Logs, reads IAM roles and feeds metrics.
 */
export class World {
  readonly credentials = new CredentialStore();
  readonly audit = new AuditLog();
  readonly faults = new FaultTable();
  latency: LatencyProfile = LATENCY_PROFILES.none;
  /** Durable state: where every change is journaled (`--state-dir`); undefined keeps state in memory. */
  journal?: Journal;
  /** With a journal: how much of it one account's requests may take before its changes are refused. */
  accountStateLimitBytes = 2 ** 30;
  /** A Logs Insights query still running after this long ends `Timeout`, as AWS ends one after 60 minutes. */
  queryTimeoutMs = 60 * 60_000;

  readonly iam = new AccountState((accountId) => new IamBackend(accountId));
  /** Dashboards are global per account; metrics are kept per region inside. */
  readonly cloudwatch = new AccountState((accountId) => new CloudWatchBackend(accountId));
  readonly logs = new RegionalState(
    (accountId, region) => new LogsBackend(accountId, region, () => this.latency.logIngestionMs),
  );
  readonly bedrock = new RegionalState((accountId, region) => new BedrockBackend(accountId, region));

  reset(): void {
    this.journal?.restart();
    this.credentials.clear();
    this.audit.clear();
    this.faults.replace([]);
    this.iam.clear();
    this.cloudwatch.clear();
    this.logs.clear();
    this.bedrock.clear();
  }
}
