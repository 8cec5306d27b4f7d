// How guests, boots and snapshots read in a terminal.
import { formatBytes, formatDuration, formatMiB, formatUtcTimestamp, msBetween } from "../lib/shared/format";
import type { BootView, GuestView, SnapshotView } from "../lib/shared/protocol";
import { renderFields, renderTable } from "./output";

export function renderGuests(guests: GuestView[]): string {
  if (!guests.length) return "No guests. Create one with `corral guests create NAME`.\n";
  return renderTable(guests, [
    { header: "name", value: (g) => g.name },
    { header: "state", value: (g) => g.state },
    { header: "image", value: (g) => g.imageName },
    { header: "memory", value: (g) => formatMiB(g.memoryMiB), right: true },
    { header: "network", value: (g) => g.network.mode },
    { header: "owner", value: (g) => g.ownerName },
    { header: "boot", value: (g) => g.lastBoot?.number, right: true },
    { header: "id", value: (g) => g.id },
  ]);
}

export function renderGuest(g: GuestView): string {
  const forwards = g.network.forwards.map((f) => `${f.protocol}:${f.hostAddress}:${f.hostPort}→${f.guestPort}`);
  return renderFields([
    ["name", g.name],
    ["id", g.id],
    ["state", g.stateReason ? `${g.state} (${g.stateReason})` : g.state],
    ["image", g.imageName],
    ["memory", formatMiB(g.memoryMiB)],
    ["kernel args", g.kernelArgs.join(" ") || null],
    ["network", [g.network.mode, g.network.address].filter(Boolean).join(" ")],
    ["forwards", forwards.join(", ") || null],
    ["owner", g.ownerName],
    ["created", formatUtcTimestamp(g.createdAt)],
    ["last boot", g.lastBoot ? describeBoot(g.lastBoot) : null],
  ]);
}

export function describeBoot(b: BootView): string {
  const ready = msBetween(b.startedAt, b.readyAt);
  const parts = [`#${b.number} ${formatUtcTimestamp(b.startedAt)}`];
  if (ready !== null) parts.push(`ready in ${formatDuration(ready)}`);
  parts.push(b.endedAt ? (b.outcome ?? "ended") : "live");
  return parts.join(", ");
}

export function renderBoots(boots: BootView[]): string {
  if (!boots.length) return "No boots yet: the guest has never been started.\n";
  return renderTable(boots, [
    { header: "boot", value: (b) => b.number, right: true },
    { header: "started", value: (b) => formatUtcTimestamp(b.startedAt) },
    { header: "first output", value: (b) => fmtMs(msBetween(b.startedAt, b.firstOutputAt)), right: true },
    { header: "ready", value: (b) => fmtMs(msBetween(b.startedAt, b.readyAt)), right: true },
    { header: "lasted", value: (b) => fmtMs(msBetween(b.startedAt, b.endedAt)), right: true },
    { header: "outcome", value: (b) => (b.endedAt ? b.outcome : "live") },
    {
      header: "log",
      value: (b) => (b.logPrunedAt ? "removed" : formatBytes(b.logBytes) + (b.logTruncated ? " (truncated)" : "")),
    },
  ]);
}

export function renderSnapshots(snapshots: SnapshotView[]): string {
  if (!snapshots.length) return "No snapshots.\n";
  return renderTable(snapshots, [
    { header: "name", value: (s) => s.name },
    { header: "size", value: (s) => formatBytes(s.sizeBytes), right: true },
    { header: "taken", value: (s) => formatUtcTimestamp(s.createdAt) },
    { header: "id", value: (s) => s.id },
  ]);
}

const fmtMs = (ms: number | null) => (ms === null ? null : formatDuration(ms));
