// Slows down password guessing, per account and per address: after FREE failures in a row,
// each further attempt must wait 2^(n−FREE) seconds (capped) since the last failure. A
// success clears the account's record. In memory: a daemon restart forgets it, which costs
// an attacker a restart they cannot cause.
const FREE = 3;
const MAX_WAIT_S = 300;
const FORGET_AFTER_MS = 15 * 60_000;

interface Record {
  failures: number;
  last: number;
}

export class LoginThrottle {
  private readonly records = new Map<string, Record>();

  constructor(private readonly now: () => number = Date.now) {}

  private waitFor(key: string): number {
    const r = this.records.get(key);
    if (!r) return 0;
    if (this.now() - r.last > FORGET_AFTER_MS) {
      this.records.delete(key);
      return 0;
    }
    if (r.failures < FREE) return 0;
    const wait = Math.min(MAX_WAIT_S, 2 ** (r.failures - FREE)) * 1000;
    return Math.max(0, r.last + wait - this.now());
  }

  /** Milliseconds before another attempt for this account from this address is allowed. */
  retryAfterMs(account: string, address: string): number {
    return Math.max(this.waitFor(`u:${account}`), this.waitFor(`a:${address}`));
  }

  failed(account: string, address: string): void {
    for (const key of [`u:${account}`, `a:${address}`]) {
      const r = this.records.get(key) ?? { failures: 0, last: 0 };
      r.failures++;
      r.last = this.now();
      this.records.set(key, r);
    }
  }

  succeeded(account: string): void {
    this.records.delete(`u:${account}`);
  }
}
