/** A turn of the event loop: timers, I/O and incoming requests run before this resolves. */
export const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Paces a long run of synchronous work (procfs reads for every guest of a tick): `pause()`
 * gives the event loop a turn once `sliceMs` have passed since the last one. A promise that
 * is already resolved does not: its continuation runs as a microtask, before any I/O, so a
 * loop of awaits that never wait holds every request until the whole loop is done (a
 * metrics tick over 200 newly booted guests held the daemon for ~0.3 s in a boot storm).
 */
export class LoopSlices {
  private since = performance.now();

  constructor(private readonly sliceMs = 4) {}

  async pause(): Promise<void> {
    if (performance.now() - this.since < this.sliceMs) return;
    await yieldToLoop();
    this.since = performance.now();
  }
}
