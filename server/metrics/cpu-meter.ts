/**
 * Turns cumulative CPU counters into rates, in % of one core. Each key (a guest, the host)
 * remembers its last reading; a new `origin` (the kernel's pid, so a restarted guest is a
 * new series) starts over. The first reading of a series is averaged over its lifetime,
 * so a guest has a figure from its first sample on.
 */
export class CpuMeter {
  private readonly last = new Map<string, { origin: number; ticks: number; atS: number }>();

  constructor(private readonly ticksPerSecond: number) {}

  /**
   * `ticks`: CPU ticks used so far; `atS`: now, and `sinceS`: when counting began, both in
   * seconds on one clock.
   */
  rate(key: string, origin: number, ticks: number, atS: number, sinceS: number): number {
    const prev = this.last.get(key);
    this.last.set(key, { origin, ticks, atS });
    const [dTicks, dS] = prev && prev.origin === origin ? [ticks - prev.ticks, atS - prev.atS] : [ticks, atS - sinceS];
    if (!(dS > 0) || !(dTicks > 0)) return 0;
    return (dTicks / this.ticksPerSecond / dS) * 100;
  }

  /** Forgets every series not in `keys` (guests that stopped or were deleted). */
  retain(keys: ReadonlySet<string>): void {
    for (const k of this.last.keys()) if (!keys.has(k)) this.last.delete(k);
  }
}
