import fs from "node:fs";
import path from "node:path";

/** The init a container's root runs as /sbin/init, as far as stopping it goes. */
export type GuestInit = "systemd" | "other";

/**
 * Signals that ask a container's init to power off. Inside a pid namespace, init gets only the
 * signals it handles: busybox init powers off on SIGPWR and ignores SIGRTMIN+4; systemd powers
 * off on SIGRTMIN+4 and merely starts sigpwr.target on SIGPWR.
 */
export const HALT_SIGNAL: Record<GuestInit, string> = { systemd: "SIGRTMIN+4", other: "SIGPWR" };

const MAX_LINKS = 40;

/**
 * Where `file` leads inside a root made of overlay `layers` (upper first), following symbolic
 * links as the guest would see them (absolute targets start again at the root, never at the
 * host's). Null: missing, deleted by a whiteout in an upper layer, or a link loop.
 */
export async function resolveInLayers(layers: string[], file: string): Promise<string | null> {
  let rest = file.split("/").filter(Boolean);
  let done: string[] = [];
  let links = 0;
  while (rest.length) {
    const part = rest.shift()!;
    if (part === ".") continue;
    if (part === "..") {
      done.pop();
      continue;
    }
    const found = await lookup(layers, [...done, part].join("/"));
    if (!found) return null;
    if (found.stat.isSymbolicLink()) {
      if (++links > MAX_LINKS) return null;
      const target = await fs.promises.readlink(found.file);
      if (target.startsWith("/")) done = [];
      rest = [...target.split("/").filter(Boolean), ...rest];
      continue;
    }
    done.push(part);
  }
  return "/" + done.join("/");
}

/** The topmost layer's entry for `rel`; an overlay whiteout (a 0/0 character device) hides the ones below. */
async function lookup(layers: string[], rel: string): Promise<{ file: string; stat: fs.Stats } | null> {
  for (const layer of layers) {
    const file = path.join(layer, rel);
    const stat = await fs.promises.lstat(file).catch(() => null);
    if (!stat) continue;
    if (stat.isCharacterDevice() && stat.rdev === 0) return null;
    return { file, stat };
  }
  return null;
}

/** Which init the guest's root starts (the guest's own layer over its image). */
export async function detectGuestInit(layers: string[]): Promise<GuestInit> {
  const init = await resolveInLayers(layers, "/sbin/init");
  return init && path.basename(init) === "systemd" ? "systemd" : "other";
}
