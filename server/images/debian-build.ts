import fs from "node:fs";
import path from "node:path";
import type { ImageBuildStage } from "../../lib/shared/protocol";
import { BuildCancelled, removeStaging, runStep } from "./build-process";
import { DEBIAN_BASE_PACKAGES } from "./debian-files";
import { configureDebianTree, SBIN_PATH, treeSizeKiB } from "./debian-tree";
import { countPackages, DebootstrapProgress, type StageProgress } from "./debootstrap-progress";

export interface DebianBuildSpec {
  name: string;
  suite: string;
  sizeMiB: number;
  packages: string[];
  /** Unset: debootstrap's default mirror. */
  mirror?: string;
}

export interface BuildHooks {
  /** Every line of output, for the log. */
  line(text: string): void;
  progress(p: StageProgress): void;
  signal: AbortSignal;
}

/** A build that failed for a reason a person can act on; the message says which. */
export class DebianBuildError extends Error {}

const which = (name: string) =>
  SBIN_PATH.split(":")
    .map((d) => path.join(d, name))
    .find((p) => fs.existsSync(p));

/** Why this host cannot build Debian images, or null when it can. */
export function debianBuildUnavailable(): string | null {
  if (process.getuid?.() !== 0) {
    return (
      "Building a Debian image needs root: debootstrap creates device nodes and runs package " +
      "scripts in a chroot. Run the host daemon (or npm run image:debian) as root."
    );
  }
  if (!which("debootstrap")) return "debootstrap is not installed. Install it with: apt-get install -y debootstrap";
  if (!which("mke2fs")) return "mke2fs is not installed. Install it with: apt-get install -y e2fsprogs";
  return null;
}

/**
 * debootstrap's argv: a minimal base (`--variant=minbase`) plus systemd as init, iproute2
 * and udev (systemd-networkd waits for udev to set up links), plus the extra packages.
 */
export function debootstrapArgv(spec: DebianBuildSpec, target: string): string[] {
  const include = [...new Set([...DEBIAN_BASE_PACKAGES, ...spec.packages])];
  const argv = ["--variant=minbase", `--include=${include.join(",")}`, "--components=main", spec.suite, target];
  return spec.mirror ? [...argv, spec.mirror] : argv;
}

/**
 * Builds a bootable Debian root filesystem at `dest`: debootstrap into `staging`, configure
 * it for UML (server/images/debian-tree.ts), then `mke2fs -d`. The file appears at `dest`
 * only when whole; on failure or cancellation nothing is left but what `hooks.line` logged
 * — the staging tree is unmounted and removed in every case.
 */
export async function buildDebianImage(
  spec: DebianBuildSpec,
  staging: string,
  dest: string,
  hooks: BuildHooks,
): Promise<void> {
  const unavailable = debianBuildUnavailable();
  if (unavailable) throw new DebianBuildError(unavailable);
  const partial = `${dest}.partial`;
  const stage = (s: ImageBuildStage, percent: number | null = null) => hooks.progress({ stage: s, percent });
  const cancelled = () => {
    if (hooks.signal.aborted) throw new BuildCancelled();
  };
  fs.mkdirSync(path.dirname(staging), { recursive: true });
  fs.mkdirSync(staging);
  try {
    stage("download");
    const tracker = new DebootstrapProgress();
    const recent: string[] = [];
    const argv = debootstrapArgv(spec, staging);
    hooks.line(`$ debootstrap ${argv.join(" ")}`);
    try {
      await runStep("debootstrap", argv, {
        signal: hooks.signal,
        onLine: (l) => {
          recent.push(l);
          if (recent.length > 40) recent.shift();
          if (tracker.current === "download" && l.startsWith("I: Chosen extractor")) {
            // Everything is fetched by now, each package listed in debpaths.
            tracker.setPackageCount(countPackages(readOr(path.join(staging, "debootstrap/debpaths"))));
          }
          const p = tracker.feed(l);
          if (p) hooks.progress(p);
          hooks.line(l);
        },
      });
    } catch (err) {
      if (err instanceof BuildCancelled) throw err;
      const detail = readOr(path.join(staging, "debootstrap/debootstrap.log")).split("\n").slice(-40);
      if (detail.length > 1) hooks.line("--- the end of debootstrap.log ---");
      for (const l of detail) hooks.line(l);
      const why = lastProblem([...recent, ...detail]) ?? "see the build log";
      throw new DebianBuildError(`${(err as Error).message}: ${why}`);
    }

    stage("configure", 100);
    cancelled();
    await configureDebianTree(staging, hooks.line);
    const neededMiB = Math.ceil((await treeSizeKiB(staging)) / 1024);
    hooks.line(`I: the system takes ${neededMiB} MiB`);
    // ext4's own metadata (inode tables, journal) needs room beyond the files.
    const minimum = Math.ceil(neededMiB * 1.15 + 64);
    if (spec.sizeMiB < minimum) {
      throw new DebianBuildError(
        `${spec.sizeMiB} MiB is too small: the system takes ${neededMiB} MiB; choose at least ${minimum} MiB.`,
      );
    }

    stage("filesystem");
    cancelled();
    fs.rmSync(partial, { force: true });
    const label = spec.name.slice(0, 16);
    const mkfs = ["-F", "-t", "ext4", "-L", label, "-d", staging, partial, `${spec.sizeMiB}M`];
    hooks.line(`$ mke2fs ${mkfs.join(" ")}`);
    await runStep("mke2fs", mkfs, { signal: hooks.signal, onLine: hooks.line });
    fs.chmodSync(partial, 0o444);
    try {
      fs.linkSync(partial, dest); // never replaces an existing file
    } catch {
      throw new DebianBuildError(`A file named ${path.basename(dest)} is already in the images directory.`);
    }
    stage("filesystem", 100);
  } finally {
    fs.rmSync(partial, { force: true });
    if (!removeStaging(staging)) {
      hooks.line(`E: ${staging} still has filesystems mounted inside; it was left in place, unmount them by hand`);
    }
  }
}

function readOr(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

/** debootstrap's own words for what went wrong: its last E: or W: line. */
function lastProblem(lines: string[]): string | null {
  const hit = [...lines].reverse().find((l) => /^(E|W): /.test(l) && !/See .*debootstrap\.log/.test(l));
  return hit ? hit.slice(3) : null;
}
