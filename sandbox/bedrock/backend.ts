/** Bedrock state of one account and region. STUB: being written. */
export class BedrockBackend {
  constructor(
    readonly accountId: string,
    readonly region: string,
  ) {}
}
