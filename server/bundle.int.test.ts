import fs from "node:fs";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { TestDaemon } from "./test-support/daemon-harness";

const projectRoot = path.resolve(import.meta.dirname, "..");
const daemon = new TestDaemon();
afterAll(() => daemon.cleanup());

it("the daemon runs from its bundle under plain node, no TypeScript loader, and answers", async () => {
  await daemon.start();
  const argv = fs.readFileSync(`/proc/${daemon.proc!.pid}/cmdline`, "utf8").split("\0").filter(Boolean);
  expect(argv.slice(1)).toEqual(["--enable-source-maps", path.join(projectRoot, "build", "daemon.mjs")]);
  const { status, body } = await daemon.api<Array<{ builtIn: boolean }>>("GET", "/api/images");
  expect(status).toBe(200);
  expect(body.some((i) => i.builtIn)).toBe(true);
});
