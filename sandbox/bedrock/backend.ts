import type { LoggingConfig } from '@aws-sdk/client-bedrock';

/** Bedrock state of one account and region: the model invocation logging configuration. */
export class BedrockBackend {
  private config: LoggingConfig | undefined;

  constructor(
    readonly accountId: string,
    readonly region: string,
  ) {}

  get loggingConfig(): LoggingConfig | undefined {
    return this.config && structuredClone(this.config);
  }

  putLoggingConfig(config: LoggingConfig): void {
    this.config = structuredClone(config);
  }

  deleteLoggingConfig(): void {
    this.config = undefined;
  }
}
