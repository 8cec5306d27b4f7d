// systemd shortens a status line wider than the console in the middle of the unit's name
// (`Failed to start corral-inj…ed.service - Injected failure.` on 80 columns), but prints
// some lines whole — `See 'systemctl status corral-injected.service' for details.` after a
// failure, and every name that fits. The analysis names each unit in full when the boot
// printed that name once, so boots on consoles of different widths compare.
import { roundSeconds } from "./boot-units";
import type { BootEntry, BootUnit } from "./types";

const SEE_STATUS = /^See '(?:systemctl|journalctl -xeu|journalctl -u) (?:status )?([^'\s]+)'/;
const ELLIPSIS = "…";

export class UnitNames {
  private readonly whole = new Set<string>();

  /** Learns the whole names a line shows: a `See 'systemctl status …'` hint, or a sign's unit. */
  seeLine(text: string): void {
    const m = SEE_STATUS.exec(text);
    if (m) this.learn(m[1]);
  }

  learn(name: string): void {
    if (!name.includes(ELLIPSIS) && this.whole.size < 10_000) this.whole.add(name);
  }

  /** The whole name a shortened one stands for, when exactly one name seen fits; else itself. */
  resolve(name: string): string {
    const cut = name.indexOf(ELLIPSIS);
    if (cut < 0) return name;
    const [head, tail] = [name.slice(0, cut), name.slice(cut + ELLIPSIS.length)];
    let found: string | null = null;
    for (const w of this.whole) {
      if (w.length > head.length + tail.length && w.startsWith(head) && w.endsWith(tail)) {
        if (found !== null) return name; // two fit: keep what the console said
        found = w;
      }
    }
    return found ?? name;
  }

  /** `text` with the shortened `name` written whole. */
  inText(text: string, name: string): string {
    const whole = this.resolve(name);
    return whole === name ? text : text.split(name).join(whole);
  }
}

/** The boot's units with shortened names written whole; a unit seen both ways is one. */
export function wholeUnits(units: BootUnit[], names: UnitNames): BootUnit[] {
  const byName = new Map<string, BootUnit>();
  for (const u of units) {
    const unit = names.resolve(u.unit);
    const seen = byName.get(unit);
    if (!seen) {
      byName.set(unit, { ...u, unit });
      continue;
    }
    seen.startingAt ??= u.startingAt;
    seen.description ??= u.description;
    if (u.result !== "pending") {
      seen.endedAt = u.endedAt;
      seen.result = u.result;
      if (u.cause) seen.cause = u.cause;
    }
    seen.durationSeconds =
      seen.endedAt !== null && seen.startingAt !== null
        ? roundSeconds(seen.endedAt - seen.startingAt)
        : seen.durationSeconds;
  }
  return [...byName.values()];
}

/** An entry naming a shortened unit, with the name written whole (its label too). */
export function wholeEntry(entry: BootEntry, names: UnitNames): BootEntry {
  if (!entry.unit || !entry.unit.includes(ELLIPSIS)) return entry;
  const unit = names.resolve(entry.unit);
  return unit === entry.unit ? entry : { ...entry, unit, label: names.inText(entry.label, entry.unit) };
}
