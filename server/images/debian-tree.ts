import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import {
  DEBIAN_DISABLE,
  DEBIAN_ENABLE,
  DEBIAN_FILES,
  DEBIAN_MASK,
  DEBIAN_REMOVE,
  DEBIAN_SYMLINKS,
} from "./debian-files";

const run = promisify(execFile);
export const SBIN_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
/** A clean environment for build tools: nothing of the daemon's (its secrets included) leaks in. */
export const toolEnv = (extra: Record<string, string> = {}) =>
  ({ PATH: SBIN_PATH, LANG: "C.UTF-8", ...extra }) as unknown as NodeJS.ProcessEnv;

/**
 * Turns debootstrap's tree into a UML guest's root: fstab on /dev/ubda, the console getty,
 * Ctrl-Alt-Del powers off, the seed service, a fresh machine id per guest, root locked
 * until a seed sets its password, and nothing of the build host left behind.
 */
export async function configureDebianTree(root: string, say: (line: string) => void): Promise<void> {
  for (const rel of DEBIAN_REMOVE) removeGlob(root, rel);
  for (const [rel, { mode, text }] of Object.entries(DEBIAN_FILES)) {
    const file = path.join(root, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.rmSync(file, { force: true });
    fs.writeFileSync(file, text, { mode });
    fs.chmodSync(file, mode);
  }
  for (const [rel, target] of Object.entries(DEBIAN_SYMLINKS)) {
    const link = path.join(root, rel);
    fs.rmSync(link, { force: true });
    fs.symlinkSync(target, link);
  }
  lockRootPassword(root);
  // The tree's own systemctl, offline (--root=/ inside the chroot: no running systemd is
  // asked), so each unit is enabled the way its own [Install] section says.
  const systemctl = async (...args: string[]) => {
    say(`I: systemctl ${args.join(" ")}`);
    await run("chroot", [root, "systemctl", "--root=/", "--quiet", ...args], { env: toolEnv() });
  };
  await systemctl("enable", ...DEBIAN_ENABLE);
  await systemctl("disable", ...DEBIAN_DISABLE);
  await systemctl("mask", ...DEBIAN_MASK);
}

/** root's password field becomes `*`: no password works until the seed sets one. */
function lockRootPassword(root: string): void {
  const shadow = path.join(root, "etc/shadow");
  const lines = fs.readFileSync(shadow, "utf8").split("\n");
  const out = lines.map((l) => (l.startsWith("root:") ? l.replace(/^root:[^:]*:/, "root:*:") : l));
  fs.writeFileSync(shadow, out.join("\n"));
}

/** Removes `rel` under `root`, where the last segment may hold `*` wildcards. */
function removeGlob(root: string, rel: string): void {
  const dir = path.join(root, path.dirname(rel));
  const base = path.basename(rel);
  if (!base.includes("*")) {
    fs.rmSync(path.join(root, rel), { recursive: true, force: true });
    return;
  }
  if (!fs.existsSync(dir)) return;
  const re = new RegExp(`^${base.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`);
  for (const f of fs.readdirSync(dir)) if (re.test(f)) fs.rmSync(path.join(dir, f), { recursive: true, force: true });
}

/** Kilobytes the tree takes on disk (du counts blocks, as the filesystem will). */
export async function treeSizeKiB(root: string): Promise<number> {
  const { stdout } = await run("du", ["-s", "-x", "-k", root], { env: toolEnv() });
  return Number(stdout.split(/\s/)[0]);
}
