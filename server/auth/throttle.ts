// Slows down password guessing in a way a stranger cannot turn against a user (OWASP's
// authentication guidance): failures count per address, and per account from that
// address — never per account alone, or anyone could lock a known user out by failing
// her sign-in from a few addresses. After some failures in a row (3 for an account from
// one address; 10 for an address, which a whole office may share) each further attempt
// from there must wait 2^(n−free) seconds (capped) since the last failure. A success
// clears that account's record for that address. Guessing one account from many
// addresses is slowed by each address's own limit, and by argon2 and a 10-character
// minimum; every failure is in the audit trail.
// In memory: a daemon restart forgets it, which costs an attacker a restart they cannot cause.
const FREE = { pair: 3, address: 10 };
const MAX_WAIT_S = 300;
const FORGET_AFTER_MS = 15 * 60_000;
// Beyond this many records, stale ones are swept at the next failure: many addresses or
// made-up usernames cannot grow the table without bound.
const SWEEP_ABOVE = 10_000;

interface Record {
  failures: number;
  last: number;
  free: number;
}

export class LoginThrottle {
  private readonly records = new Map<string, Record>();

  constructor(private readonly now: () => number = Date.now) {}

  private keys(account: string, address: string): Array<[string, number]> {
    return [
      [`address\n${address}`, FREE.address],
      [`pair\n${account}\n${address}`, FREE.pair],
    ];
  }

  private waitFor(key: string): number {
    const r = this.records.get(key);
    if (!r) return 0;
    if (this.now() - r.last > FORGET_AFTER_MS) {
      this.records.delete(key);
      return 0;
    }
    if (r.failures < r.free) return 0;
    const wait = Math.min(MAX_WAIT_S, 2 ** (r.failures - r.free)) * 1000;
    return Math.max(0, r.last + wait - this.now());
  }

  /** Milliseconds before another attempt for this account from this address is allowed. */
  retryAfterMs(account: string, address: string): number {
    return Math.max(...this.keys(account, address).map(([key]) => this.waitFor(key)));
  }

  failed(account: string, address: string): void {
    if (this.records.size > SWEEP_ABOVE) this.sweep();
    for (const [key, free] of this.keys(account, address)) {
      const r = this.records.get(key) ?? { failures: 0, last: 0, free };
      r.failures++;
      r.last = this.now();
      this.records.set(key, r);
    }
  }

  succeeded(account: string, address: string): void {
    this.records.delete(this.keys(account, address)[1][0]);
  }

  private sweep(): void {
    for (const [key, r] of this.records) if (this.now() - r.last > FORGET_AFTER_MS) this.records.delete(key);
  }
}
