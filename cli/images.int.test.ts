// `corral` against a real daemon, as a script would run it: lists as JSON and tables, images
// uploaded, imported and built.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { ImageView } from "../lib/shared/protocol";
import { TestDaemon, waitFor } from "../server/test-support/daemon-harness";
import { EXIT } from "./exit-codes";
import { withAdmin, type CliUser } from "./test-support";

describe("corral images and lists (real daemon)", () => {
  const daemon = new TestDaemon();
  let admin: CliUser;

  withAdmin(daemon, (a) => (admin = a));

  it("hosts, images and guests list as JSON and as tables", async () => {
    const host = await admin.json(["hosts"]);
    expect(host).toMatchObject({ url: daemon.url, kernelVersion: expect.any(String) });
    const images = await admin.json<ImageView[]>(["images", "list"]);
    expect(images.some((i) => i.builtIn && i.name === "busybox")).toBe(true);
    const table = await admin.run(["images", "list"]);
    expect(table.stdout).toMatch(/^NAME\s+SIZE\s+GUESTS/);
    expect(table.stdout).toMatch(/busybox/);
  });

  it("images: upload from this machine and import from the host's import directory", async () => {
    const builtIn = (await daemon.api<ImageView[]>("GET", "/api/images")).body.find((i) => i.builtIn)!;
    const source = path.join(
      daemon.dataDir,
      "images",
      fs.readdirSync(path.join(daemon.dataDir, "images")).find((f) => f.endsWith(".img"))!,
    );
    const upload = await admin.json<ImageView>(["images", "upload", source, "--name", "cli-uploaded"]);
    expect(upload).toMatchObject({ name: "cli-uploaded", sha256: builtIn.sha256 });

    const importDir = path.join(daemon.dataDir, "import");
    fs.mkdirSync(importDir, { recursive: true });
    await fs.promises.copyFile(source, path.join(importDir, "copy.img"));
    const imported = await admin.json<ImageView>(["images", "import", "cli-imported", "copy.img"]);
    expect(imported.sha256).toBe(builtIn.sha256);
    const outside = await admin.run(["images", "import", "cli-bad", "../corral.db"]);
    expect(outside.code).toBe(EXIT.usage);
    // On a terminal the upload draws its progress bar.
    const bar = admin.spawnTerminal(["images", "upload", source, "--name", "cli-bar"]);
    try {
      await bar.waitForOutput(/Uploading cli-bar \[#{30}\] 100% 32 MiB \/ 32 MiB/);
      expect(await bar.exit()).toBe(0);
    } finally {
      bar.kill();
    }
    for (const name of ["cli-uploaded", "cli-imported", "cli-bar"]) await admin.json(["images", "delete", name]);
  });

  it.skipIf(process.getuid?.() !== 0)(
    "images build shows a Debian build's stages live and fails (exit 1) when it is cancelled",
    async () => {
      const socket = await daemon.socket();
      const stages: string[] = [];
      socket.on("image:build", (e) => e.stage && stages.push(e.stage));
      expect(await socket.emitWithAck("images:watch")).toEqual({ ok: true });
      const build = admin.run(["images", "build", "cli-deb", "--suite", "bookworm", "--size", "1024"]);
      // debootstrap has begun downloading: the CLI is watching the same events.
      await waitFor("the build to reach a stage", () => stages.length > 0, 5 * 60_000);
      const [running] = await admin.json<Array<{ id: string; status: string }>>(["images", "builds"]);
      expect(running.status).toBe("running");
      const cancelled = await admin.json<{ status: string }>(["images", "cancel-build", running.id]);
      expect(["running", "cancelled"]).toContain(cancelled.status);
      const done = await build;
      expect(done.code).toBe(EXIT.error);
      expect(done.stderr).toMatch(new RegExp(`Build ${running.id} of cli-deb started`));
      expect(done.stderr).toMatch(/\[build\] download/);
      expect(done.stderr).toMatch(/cancelled/);
      const log = await admin.run(["images", "build-log", running.id]);
      expect(log.code).toBe(0);
      expect(log.stdout.length).toBeGreaterThan(0);
    },
  );
});
