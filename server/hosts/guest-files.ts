// A guest's directory as it travels between hosts (hosts/guest-migration.ts): the manifest
// (every directory and regular file, and its size) that the receiving host checks what it got
// against, and the tar stream itself (tar, its own process, argv arrays). The files' contents
// are checked by digests (file-digests.ts) computed on both ends. `--sparse` keeps a COW
// file's holes holes on the way and on the other side.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { z } from "zod";

const relPath = z
  .string()
  .max(400)
  .regex(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/, "not a plain relative path")
  .refine((p) => !p.split("/").some((s) => s === "." || s === ".."), "not a plain relative path");

export const manifestSchema = z.strictObject({
  /** What the files occupy on the sender's disk (holes not counted): the room they need. */
  allocated: z.number().int().min(0),
  dirs: z.array(relPath).max(10_000),
  files: z.array(z.strictObject({ path: relPath, size: z.number().int().min(0) })).max(100_000),
});
export type Manifest = z.infer<typeof manifestSchema>;

/**
 * The directories and regular files under `dir` (relative, sorted), and the bytes they occupy
 * on disk; none under the top-level names in `leave`.
 */
export async function listGuestFiles(
  dir: string,
  leave: readonly string[] = [],
): Promise<{ dirs: string[]; files: Manifest["files"]; allocated: number }> {
  const entries: fs.Dirent[] = [];
  for (const e of await fs.promises.readdir(dir, { withFileTypes: true })) {
    if (leave.includes(e.name)) continue;
    entries.push(e);
    if (e.isDirectory())
      entries.push(...(await fs.promises.readdir(path.join(dir, e.name), { recursive: true, withFileTypes: true })));
  }
  const dirs: string[] = [];
  const files: Manifest["files"] = [];
  let allocated = 0;
  for (const e of entries) {
    const rel = path.relative(dir, path.join(e.parentPath ?? e.path, e.name));
    if (e.isDirectory()) dirs.push(rel);
    else if (e.isFile()) {
      const st = await fs.promises.stat(path.join(dir, rel));
      files.push({ path: rel, size: st.size });
      allocated += st.blocks * 512;
    }
    // Anything else (a socket a kernel left) is no part of the guest and stays behind.
  }
  return { dirs: dirs.sort(), files: files.sort((x, y) => (x.path < y.path ? -1 : 1)), allocated };
}

/** The manifest of the guest directory `dir`, without the top-level names in `leave`. */
export async function buildManifest(dir: string, leave: readonly string[] = []): Promise<Manifest> {
  return listGuestFiles(dir, leave);
}

/**
 * What `got` (a manifest of the received copy) lacks or has different from `want`, in a
 * sentence; null when they agree file for file.
 */
export function manifestMismatch(want: Manifest, got: Manifest): string | null {
  const have = new Map(got.files.map((f) => [f.path, f]));
  for (const f of want.files) {
    const g = have.get(f.path);
    if (!g) return `${f.path} did not arrive`;
    if (g.size !== f.size) return `${f.path} arrived with ${g.size} bytes, not ${f.size}`;
    have.delete(f.path);
  }
  const extra = [...have.keys()][0];
  return extra ? `${extra} arrived but was not sent` : null;
}

/**
 * A tar stream of `manifest`'s entries under `dir` (no recursion: exactly the listed ones),
 * counting bytes through `onBytes`. Destroying the stream (the receiver went away) kills tar;
 * tar failing ends the stream with an error, so the receiver never takes it for whole.
 */
export function tarGuestFiles(dir: string, manifest: Manifest, onBytes: (n: number) => void): Readable {
  const names = [...manifest.dirs, ...manifest.files.map((f) => f.path)];
  const tar = spawn("tar", ["-c", "--sparse", "--no-recursion", "-f", "-", "-C", dir, "--null", "-T", "-"], {
    stdio: ["pipe", "pipe", "pipe"],
  });
  tar.stdin.end(names.map((n) => `${n}\0`).join(""));
  let stderr = "";
  tar.stderr.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      onBytes(chunk.length);
      done(null, chunk);
    },
  });
  tar.stdout.pipe(counter);
  tar.on("exit", (code, signal) => {
    if (code !== 0 && !counter.destroyed)
      counter.destroy(new Error(`tar exited ${code ?? signal}: ${stderr.trim() || "no message"}`));
  });
  tar.on("error", (err) => counter.destroy(err));
  counter.on("close", () => {
    if (tar.exitCode === null && tar.signalCode === null) tar.kill("SIGKILL");
  });
  return counter;
}

/** Unpacks a tar stream into `dir` (which exists); resolves once tar has exited cleanly. */
export function untarInto(dir: string, body: Readable): Promise<void> {
  return new Promise((resolve, reject) => {
    const tar = spawn("tar", ["-x", "--sparse", "--no-same-owner", "-f", "-", "-C", dir], {
      stdio: ["pipe", "ignore", "pipe"],
    });
    let stderr = "";
    let failure: Error | null = null;
    tar.stderr.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    body.on("error", (err) => {
      failure ??= new Error(`the stream broke off: ${err.message}`);
      tar.kill("SIGKILL");
    });
    tar.stdin.on("error", () => {}); // tar gone early: its exit says why
    body.pipe(tar.stdin);
    tar.on("error", reject);
    tar.on("exit", (code, signal) => {
      if (failure) reject(failure);
      else if (code === 0) resolve();
      else reject(new Error(`tar exited ${code ?? signal}: ${stderr.trim() || "no message"}`));
    });
  });
}
