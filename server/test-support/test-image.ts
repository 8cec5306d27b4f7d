import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * A minimal ext4 root whose /sbin/init is the given busybox shell script — for guests
 * that must misbehave (never become ready, exit at once) in tests. `files`: more files, by
 * path from the root (their folders are made).
 */
export function buildTestImage(file: string, initScript: string, files: Record<string, string> = {}): void {
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), "corral-testimg-"));
  try {
    for (const d of ["bin", "sbin", "proc", "dev", "tmp"]) fs.mkdirSync(path.join(staging, d));
    fs.copyFileSync("/bin/busybox", path.join(staging, "bin/busybox"));
    fs.chmodSync(path.join(staging, "bin/busybox"), 0o755);
    for (const applet of ["sh", "sleep", "echo", "mount"]) fs.symlinkSync("busybox", path.join(staging, "bin", applet));
    fs.writeFileSync(path.join(staging, "sbin/init"), `#!/bin/sh\n${initScript}\n`, { mode: 0o755 });
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(staging, name)), { recursive: true });
      fs.writeFileSync(path.join(staging, name), text);
    }
    execFileSync("/sbin/mke2fs", ["-q", "-F", "-t", "ext4", "-d", staging, file, "8M"]);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
