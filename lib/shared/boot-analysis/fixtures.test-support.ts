// The recorded boots in fixtures/ (see fixtures/README.md), for the tests.
import fs from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { CastEvent } from "./cast-events";
import { forEachCastEvent } from "./cast-events";

export const FIXTURE_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures");

export const FIXTURES = [
  "busybox",
  "busybox-oom",
  "busybox-panic",
  "debian-first",
  "debian",
  "debian-failed-unit",
  "debian-power-loss",
  "debian-fsck",
  "debian-printk",
] as const;
export type FixtureName = (typeof FIXTURES)[number];

export interface Fixture {
  text: string;
  events: CastEvent[];
}

export async function loadFixture(name: FixtureName): Promise<Fixture> {
  const text = await fs.readFile(path.join(FIXTURE_DIR, `${name}.cast`), "utf8");
  const events: CastEvent[] = [];
  forEachCastEvent(text, (e) => events.push(e));
  return { text, events };
}

/** All output, as a replay's terminal received it. */
export function outputOf(events: readonly CastEvent[]): string {
  return events
    .filter((e) => e[1] === "o")
    .map((e) => e[2])
    .join("");
}

/** The same recording with every output event cut into pieces of 1–7 characters, same times. */
export function rechunk(events: readonly CastEvent[]): CastEvent[] {
  const out: CastEvent[] = [];
  let n = 0;
  for (const [t, code, data] of events) {
    if (code !== "o") {
      out.push([t, code, data]);
      continue;
    }
    for (let i = 0; i < data.length;) {
      const size = 1 + (n++ % 7);
      out.push([t, code, data.slice(i, i + size)]);
      i += size;
    }
  }
  return out;
}

/**
 * The recording with everything from the first event containing `marker` on delayed by
 * `seconds` (negative: earlier): as if whatever was running just then took that much longer.
 */
export function delayFrom(events: readonly CastEvent[], marker: string, seconds: number): CastEvent[] {
  const from = events.findIndex((e) => e[1] === "o" && e[2].includes(marker));
  if (from < 0) throw new Error(`no event contains ${JSON.stringify(marker)}`);
  return events.map(([t, code, data], i) => [i >= from ? Math.round((t + seconds) * 1e6) / 1e6 : t, code, data]);
}
