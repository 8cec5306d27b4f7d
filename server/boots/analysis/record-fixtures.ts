// `npm run boots:record-fixtures -- [--only busybox,oom,panic,debian,fsck,printk] [--debian-image FILE]`
// Re-records the boot analysis fixtures from real guests booted by a real host daemon (a
// throwaway data directory; everything it started is stopped and removed at the end, on
// Ctrl-C and on SIGTERM too). The Debian scenarios need a bookworm image: --debian-image
// imports one (e.g. from `npm run image:debian`), otherwise the daemon builds one (root, a
// few minutes). Writes lib/shared/boot-analysis/fixtures/<name>.cast.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { GuestView, ImageBuildView, ImageView } from "../../../lib/shared/protocol";
import { TestDaemon } from "../../test-support/daemon-harness";
import { waitFor } from "../../test-support/wait";
import { SCENARIOS, type RecorderContext } from "./record-scenarios";

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), "../../../lib/shared/boot-analysis/fixtures");
const USAGE = `usage: npm run boots:record-fixtures -- [--only ${Object.keys(SCENARIOS).join(",")}] [--debian-image FILE]`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { only: { type: "string" }, "debian-image": { type: "string" }, help: { type: "boolean" } },
  });
  if (values.help) return (console.log(USAGE), 0);
  const names = values.only ? values.only.split(",") : Object.keys(SCENARIOS);
  const unknown = names.filter((n) => !(n in SCENARIOS));
  if (unknown.length) return (console.error(`unknown scenario: ${unknown.join(", ")}\n${USAGE}`), 2);
  const debianImage = values["debian-image"] ? path.resolve(values["debian-image"]) : null;
  if (debianImage && !fs.existsSync(debianImage)) return (console.error(`no such file: ${debianImage}`), 2);

  const daemon = new TestDaemon({
    CORRAL_BOOT_TIMEOUT_SECONDS: "240",
    ...(debianImage ? { CORRAL_IMPORT_DIR: path.dirname(debianImage) } : {}),
  });
  let cleaning: Promise<void> | null = null;
  const cleanup = () => (cleaning ??= daemon.cleanup());
  const onSignal = (signal: NodeJS.Signals) => {
    console.error(`${signal}: stopping the guests and the daemon…`);
    void cleanup().then(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    await startDaemon(daemon);
    const needsDebian = names.some((n) => ["debian", "fsck", "printk"].includes(n));
    const ctx: RecorderContext = {
      daemon,
      debianImageId: needsDebian ? await debianImageId(daemon, debianImage) : null,
      save: (name, guest, boot) => saveBoot(daemon, name, guest, boot),
      say: (line) => console.log(line),
    };
    for (const name of names) {
      const t0 = Date.now();
      console.log(`== ${name}`);
      await SCENARIOS[name](ctx);
      console.log(`== ${name}: done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
    return 0;
  } catch (err) {
    console.error(`record-fixtures: ${(err as Error).stack}\n--- daemon log tail:\n${daemon.logText.slice(-4000)}`);
    return 1;
  } finally {
    await cleanup();
  }
}

/** The harness gives a daemon a minute to listen; on a host this busy it may need more. */
async function startDaemon(daemon: TestDaemon): Promise<void> {
  try {
    await daemon.start();
  } catch (err) {
    if (!daemon.proc || daemon.proc.exitCode !== null) throw err;
    console.log("the daemon is slow to start on this host; waiting longer…");
    await waitFor(
      "the daemon to listen",
      () =>
        fetch(`${daemon.url}/api/health`).then(
          (r) => r.ok,
          () => false,
        ),
      10 * 60_000,
    );
  }
}

async function debianImageId(daemon: TestDaemon, file: string | null): Promise<string> {
  if (file) {
    const res = await daemon.api<ImageView>("POST", "/api/images/import", {
      name: "bookworm",
      path: path.basename(file),
    });
    if (res.status !== 201) throw new Error(`import ${file}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id;
  }
  console.log("building Debian bookworm through the daemon (a few minutes)…");
  const r = await daemon.api<ImageBuildView>("POST", "/api/images/debian", {
    name: "bookworm",
    suite: "bookworm",
    sizeMiB: 1024,
  });
  if (r.status !== 202) throw new Error(`build: ${r.status} ${JSON.stringify(r.body)}`);
  const end = await waitFor(
    "the Debian build",
    async () => {
      const b = (await daemon.api<ImageBuildView>("GET", `/api/images/builds/${r.body.id}`)).body;
      return b.status === "running" ? null : b;
    },
    30 * 60_000,
  );
  if (end.status !== "succeeded" || !end.imageId) throw new Error(`the Debian build ${end.status}: ${end.error}`);
  return end.imageId;
}

async function saveBoot(daemon: TestDaemon, name: string, guest: GuestView, boot: number): Promise<void> {
  const res = await daemon.api<string>("GET", `/api/guests/${guest.id}/boots/${boot}/log`);
  if (res.status !== 200 || typeof res.body !== "string")
    throw new Error(`boot ${boot} of ${guest.name}: ${res.status}`);
  fs.mkdirSync(FIXTURES, { recursive: true });
  const file = path.join(FIXTURES, `${name}.cast`);
  fs.writeFileSync(file, res.body);
  console.log(`   ${path.relative(process.cwd(), file)}: ${res.body.length} bytes (boot ${boot} of ${guest.name})`);
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
