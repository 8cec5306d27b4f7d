// Pure formatting for the web UI: no clock reads, no locale lookups, so server and browser
// render the same text and tests need no fake timers. Callers pass `now` explicitly.

const BYTE_UNITS = ["B", "KiB", "MiB", "GiB", "TiB"] as const;

/** 33554432 → "32 MiB"; 1536 → "1.5 KiB". Binary units, like the memory field. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return "—";
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${value} B`;
  const rounded = value < 10 ? Math.round(value * 10) / 10 : Math.round(value);
  return `${rounded} ${BYTE_UNITS[unit]}`;
}

/** 64 → "64 MiB"; 2048 → "2 GiB". */
export function formatMiB(mib: number): string {
  return formatBytes(mib * 1024 * 1024);
}

/**
 * A span of time, precise where it matters: "850 ms", "1.2 s", "14 s", "3 min 4 s",
 * "2 h 5 min", "3 d 4 h". Used for boot timings and durations.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 10) return `${(Math.floor(s * 10) / 10).toFixed(1)} s`;
  if (s < 60) return `${Math.floor(s)} s`;
  const totalSec = Math.floor(s);
  const min = Math.floor(totalSec / 60);
  if (min < 60) return pairOf(min, "min", totalSec % 60, "s");
  const h = Math.floor(min / 60);
  if (h < 24) return pairOf(h, "h", min % 60, "min");
  return pairOf(Math.floor(h / 24), "d", h % 24, "h");
}

function pairOf(big: number, bigUnit: string, small: number, smallUnit: string): string {
  return small === 0 ? `${big} ${bigUnit}` : `${big} ${bigUnit} ${small} ${smallUnit}`;
}

/** A ticking uptime: "42s", "3m 07s", "1h 02m 03s", "2d 03h 04m". */
export function formatUptime(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "—";
  const total = Math.floor(ms / 1000);
  const d = Math.floor(total / 86400);
  const h = Math.floor((total % 86400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, "0");
  if (d > 0) return `${d}d ${pad(h)}h ${pad(m)}m`;
  if (h > 0) return `${h}h ${pad(m)}m ${pad(s)}s`;
  if (m > 0) return `${m}m ${pad(s)}s`;
  return `${s}s`;
}

/**
 * How long ago `then` was, seen from `now`: "just now", "42 s ago", "5 min ago",
 * "3 h ago", "2 days ago"; beyond 30 days the UTC date. A little clock skew between the
 * daemon and the browser (a time slightly in the future) reads as "just now".
 */
export function formatRelativeTime(then: Date | string, now: Date | number): string {
  const t = typeof then === "string" ? Date.parse(then) : then.getTime();
  const n = typeof now === "number" ? now : now.getTime();
  if (!Number.isFinite(t)) return "—";
  const sec = Math.floor((n - t) / 1000);
  if (sec < 5) return "just now";
  if (sec < 60) return `${sec} s ago`;
  const min = Math.floor(sec / 60);
  if (min < 60) return `${min} min ago`;
  const h = Math.floor(min / 60);
  if (h < 24) return `${h} h ago`;
  const d = Math.floor(h / 24);
  if (d === 1) return "yesterday";
  if (d <= 30) return `${d} days ago`;
  return formatUtcDate(new Date(t));
}

/** "2026-11-29" in UTC. */
export function formatUtcDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** "2026-11-29 03:03:02 UTC": a stable absolute time for titles and server rendering. */
export function formatUtcTimestamp(iso: string | Date): string {
  const d = typeof iso === "string" ? new Date(iso) : iso;
  if (!Number.isFinite(d.getTime())) return "—";
  return `${d.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/** Milliseconds between two ISO times, or null when either is missing. */
export function msBetween(from: string | null | undefined, to: string | null | undefined): number | null {
  if (!from || !to) return null;
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isFinite(ms) ? ms : null;
}

/** "512fe08cae59…" — enough to tell images apart; show the full hash in a title. */
export function shortenHash(hash: string, length = 12): string {
  return hash.length > length ? `${hash.slice(0, length)}…` : hash;
}

/** "1 guest", "3 guests". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
