/** State kept per account, created on first use (as moto's backend dicts). */
export class AccountState<T> {
  private readonly byAccount = new Map<string, T>();
  constructor(private readonly create: (accountId: string) => T) {}

  get(accountId: string): T {
    let state = this.byAccount.get(accountId);
    if (!state) this.byAccount.set(accountId, (state = this.create(accountId)));
    return state;
  }

  clear(): void {
    this.byAccount.clear();
  }
}

/** State kept per account and region. */
export class RegionalState<T> {
  private readonly byKey = new Map<string, T>();
  constructor(private readonly create: (accountId: string, region: string) => T) {}

  get(accountId: string, region: string): T {
    const key = `${accountId}/${region}`;
    let state = this.byKey.get(key);
    if (!state) this.byKey.set(key, (state = this.create(accountId, region)));
    return state;
  }

  clear(): void {
    this.byKey.clear();
  }
}
