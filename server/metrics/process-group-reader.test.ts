import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { afterEach, describe, expect, it } from "vitest";
import { ProcessGroupReader } from "./host-reader";

// A real process group: a detached node process (its own group) that spawns `sleep`
// members into it on request and kills them on request.
const LEADER = `
const { spawn } = require("node:child_process");
const kids = new Map();
process.on("message", (m) => {
  if (m === "spawn") { const k = spawn("sleep", ["60"], { stdio: "ignore" }); kids.set(k.pid, k); process.send(k.pid); }
  else { kids.get(m).kill("SIGKILL"); kids.get(m).once("exit", () => process.send("killed")); }
});
process.send("ready");`;

let leader: ChildProcess | null = null;
afterEach(() => {
  if (leader?.pid) process.kill(-leader.pid, "SIGKILL");
  leader = null;
});

async function startGroup(): Promise<{ pgid: number; ask: (m: unknown) => Promise<unknown> }> {
  const proc = spawn(process.execPath, ["-e", LEADER], {
    detached: true,
    stdio: ["ignore", "ignore", "ignore", "ipc"],
  });
  leader = proc;
  await once(proc, "message");
  const ask = async (m: unknown) => {
    proc.send(m as string);
    return (await once(proc, "message"))[0];
  };
  return { pgid: proc.pid!, ask };
}

const pidsOf = async (r: ProcessGroupReader, pgid: number) =>
  ((await r.read(new Set([pgid]))).get(pgid) ?? []).map((p) => p.pid).sort();

describe("ProcessGroupReader", () => {
  it("finds a group's members by a full scan, drops one that exits at once, and finds a new one at the next full scan", async () => {
    const { pgid, ask } = await startGroup();
    const first = (await ask("spawn")) as number;
    const r = new ProcessGroupReader(3);
    expect(await pidsOf(r, pgid)).toEqual([pgid, first].sort()); // read 0: full scan

    const second = (await ask("spawn")) as number;
    expect(await ask(first)).toBe("killed");
    // Reads 1 and 2 re-read the members known: the one gone is dropped, the new one not yet seen.
    expect(await pidsOf(r, pgid)).toEqual([pgid]);
    expect(await pidsOf(r, pgid)).toEqual([pgid]);
    // Read 3 scans all of /proc again.
    expect(await pidsOf(r, pgid)).toEqual([pgid, second].sort());
  });

  it("scans at once for a group it has not seen, and reports no group once its processes are gone", async () => {
    const a = await startGroup();
    const r = new ProcessGroupReader(100);
    expect(await pidsOf(r, a.pgid)).toEqual([a.pgid]);
    const aLeader = leader!;
    const b = await startGroup();
    const groups = await r.read(new Set([a.pgid, b.pgid]));
    expect(groups.get(b.pgid)?.map((p) => p.pid)).toEqual([b.pgid]);

    aLeader.kill("SIGKILL");
    await once(aLeader, "exit");
    expect((await r.read(new Set([a.pgid, b.pgid]))).has(a.pgid)).toBe(false);
  });
});
