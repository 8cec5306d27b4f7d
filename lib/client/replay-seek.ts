// How a boot page's timeline tells the replay to go to a moment: the URL's `#t=<seconds>`
// (so a moment can be linked to) and an event on window (so clicking the same entry twice
// seeks twice, which a hash alone would not).
const SEEK_EVENT = "corral:replay-seek";

/** Seconds from `#t=12.34`; null for any other hash. */
export function replayMomentFromHash(hash: string): number | null {
  const m = /^#t=(\d+(?:\.\d+)?)$/.exec(hash);
  return m ? Number(m[1]) : null;
}

export function replayMomentHash(at: number): string {
  return `#t=${Math.round(at * 1000) / 1000}`;
}

/** Asks the replay on this page to show the moment `at` seconds into the boot. */
export function seekReplay(at: number): void {
  history.replaceState(null, "", replayMomentHash(at));
  window.dispatchEvent(new CustomEvent<number>(SEEK_EVENT, { detail: at }));
}

/** Calls `onSeek` for every seek asked for on this page; returns the unsubscribe. */
export function onReplaySeek(onSeek: (at: number) => void): () => void {
  const listener = (e: Event) => onSeek((e as CustomEvent<number>).detail);
  window.addEventListener(SEEK_EVENT, listener);
  return () => window.removeEventListener(SEEK_EVENT, listener);
}
