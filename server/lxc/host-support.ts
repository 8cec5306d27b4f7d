import fs from "node:fs";
import path from "node:path";

/** Ids a context guest's root and its users map to on the host: one range per guest. */
export const RANGE_SIZE = 65536;

export interface SubordinateRange {
  start: number;
  count: number;
}

/** root's ranges in an /etc/subuid or /etc/subgid text (`name:start:count` lines). */
export function rootRanges(text: string): SubordinateRange[] {
  const ranges: SubordinateRange[] = [];
  for (const line of text.split("\n")) {
    const [who, start, count] = line.trim().split(":");
    if ((who === "root" || who === "0") && /^\d+$/.test(start ?? "") && /^\d+$/.test(count ?? "")) {
      ranges.push({ start: Number(start), count: Number(count) });
    }
  }
  return ranges;
}

/** The range both files give root (the first of each, intersected): guest slots are carved from it. */
export function sharedRange(subuid: string, subgid: string): SubordinateRange | null {
  const u = rootRanges(subuid)[0];
  const g = rootRanges(subgid)[0];
  if (!u || !g) return null;
  const start = Math.max(u.start, g.start);
  const end = Math.min(u.start + u.count, g.start + g.count);
  return end - start >= RANGE_SIZE ? { start, count: end - start } : null;
}

export type ContextSupport =
  { available: true; range: SubordinateRange; idmapHelper: string } | { available: false; reason: string };

const INSTALL_HINT =
  "Run scripts/setup.sh (or: apt-get install --no-install-recommends lxc uidmap, and give root a range " +
  'in /etc/subuid and /etc/subgid such as "root:100000:65536000").';

const readText = (file: string) => {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return "";
  }
};

const executable = (file: string) => {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * Whether this host can run context guests, and if not, why and what to install. Checked
 * once per daemon (the answer changes only when someone installs packages: restart it).
 */
export function probeContextSupport(projectRoot: string, binDir = "/usr/bin"): ContextSupport {
  if (process.getuid?.() !== 0) {
    return {
      available: false,
      reason: "Context guests need the host daemon to run as root (LXC with user namespaces).",
    };
  }
  for (const tool of ["lxc-start", "lxc-stop", "lxc-info", "newuidmap", "newgidmap"]) {
    if (!executable(path.join(binDir, tool))) {
      return { available: false, reason: `This host has no ${tool}, so it cannot run context guests. ${INSTALL_HINT}` };
    }
  }
  const range = sharedRange(readText("/etc/subuid"), readText("/etc/subgid"));
  if (!range) {
    return {
      available: false,
      reason: `root has no subordinate id range of at least ${RANGE_SIZE} ids in /etc/subuid and /etc/subgid. ${INSTALL_HINT}`,
    };
  }
  const idmapHelper = path.join(projectRoot, "build", "idmap-mount");
  if (!executable(idmapHelper)) {
    return { available: false, reason: `The helper ${idmapHelper} is not built. Run scripts/setup.sh (it needs gcc).` };
  }
  return { available: true, range, idmapHelper };
}
