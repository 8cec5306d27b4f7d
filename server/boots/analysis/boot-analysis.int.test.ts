// Boot analysis through a real daemon and real busybox guests: each boot analysed and stored
// as it becomes ready and as it ends, a failure injected into the guest's init shows in the
// analysis, the comparison and the guest's health, the route answers per role, and an
// analysis left by an older parser is made again when read.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ANALYSIS_VERSION, type BootEntry } from "../../../lib/shared/boot-analysis";
import type { BootAnalysisView, GuestStateEvent, GuestView } from "../../../lib/shared/protocol";
import { TestDaemon, waitFor } from "../../test-support/daemon-harness";
import { RecorderConsole, stopGuest } from "./record-console";

const daemon = new TestDaemon();
const BUSYBOX_PROMPT = /[#$] (?:\x1b\[[0-9;?]*[A-Za-z])*$/;
const MISSING = "/etc/init.d/S50sshd";
let guest: GuestView;

const analysisPath = (n: number, query = "") => `/api/guests/${guest.id}/boots/${n}/analysis${query}`;

/** The analysis once the daemon has stored it complete (the boot ended and was analysed). */
async function storedAnalysis(n: number): Promise<BootAnalysisView> {
  return waitFor(
    `boot ${n}'s stored analysis`,
    async () => {
      const r = await daemon.api<BootAnalysisView>("GET", analysisPath(n));
      return r.status === 200 && !r.body.partial && r.body.analyzedAt ? r.body : null;
    },
    120_000,
  );
}

beforeAll(async () => {
  await daemon.start();
  guest = await daemon.createGuest("bb-analysis", { network: "none" });
});

afterAll(async () => {
  await daemon.cleanup();
});

describe("boot analysis of a real guest", () => {
  it("analyses a clean boot, and one whose init could not run a script", async () => {
    await daemon.startGuest(guest.id);
    const con = await RecorderConsole.attach(daemon, guest.id);
    // busybox init runs every sysinit entry; one naming a script that is not there fails.
    await con.run(`echo '::sysinit:${MISSING}' >> /etc/inittab; sync`, BUSYBOX_PROMPT);
    await stopGuest(daemon, guest);
    const first = await storedAnalysis(1);
    expect(first.analysis.problems).toEqual([]);
    expect(first.analysis.entries.map((e) => e.kind)).toEqual(
      expect.arrayContaining(["kernel-start", "root-mounted", "init-started", "ready", "prompt", "shutdown"]),
    );
    expect(first.comparison).toMatchObject({ baselineBoots: 0, hasFailures: false, regressed: false });
    expect(first.boot.health).toMatchObject({ hasFailures: false, regressed: false, problems: 0 });

    // Browsers are told the health once it is stored.
    const watcher = await daemon.socket();
    await watcher.emitWithAck("guests:watch");
    const heard: GuestStateEvent[] = [];
    watcher.on("guest:state", (e) => void heard.push(e));
    await daemon.startGuest(guest.id);
    // Analysed at readiness, before the boot ends: the guest is marked while it runs.
    const running = await waitFor(
      "the running guest's health",
      async () => {
        const g = await daemon.guest(guest.id);
        return g.lastBoot?.number === 2 && g.lastBoot.health ? g : null;
      },
      120_000,
    );
    expect(running.state).toBe("running");
    expect(running.lastBoot!.health).toMatchObject({ hasFailures: true, regressed: true });
    const told = await waitFor(
      "boot 2's health announced",
      () => heard.find((e) => e.id === guest.id && e.lastBoot?.number === 2 && e.lastBoot.health),
      120_000,
    );
    expect(told.state).toBe("running");
    expect(told.lastBoot!.health).toMatchObject({ hasFailures: true, regressed: true });
    watcher.disconnect();
    const live = await daemon.api<BootAnalysisView>("GET", analysisPath(2));
    expect(live.status).toBe(200);
    expect(live.body.partial).toBe(true);

    await stopGuest(daemon, guest);
    const second = await storedAnalysis(2);
    const failed = second.analysis.problems.find((p: BootEntry) => p.kind === "unit-failed")!;
    expect(failed).toMatchObject({ unit: MISSING, label: `can't run '${MISSING}': No such file or directory` });
    expect(second.analysis.failedUnits).toEqual([MISSING]);
    expect(second.comparison).toMatchObject({
      baselineBoots: 1,
      newFailures: [MISSING],
      hasFailures: true,
      regressed: true,
    });
    expect(second.comparison.summary).toContain(`new failure: ${MISSING}`);
    // Each boot's analyses (at readiness, at the end) left one row, the complete one.
    const db = daemon.openDb();
    try {
      const rows = await db.bootAnalysis.findMany({
        where: { boot: { guestId: guest.id } },
        select: { complete: true },
      });
      expect(rows).toEqual([{ complete: true }, { complete: true }]);
    } finally {
      await db.$disconnect();
    }
    expect(second.boot.health).toMatchObject({
      hasFailures: true,
      regressed: true,
      summary: second.comparison.summary,
    });

    // The entry says where the replay finds it: that event of the recorded log printed the line.
    const log = await daemon.api<string>("GET", `/api/guests/${guest.id}/boots/2/log`);
    const events = log.body
      .split("\n")
      .slice(1)
      .filter(Boolean)
      .map((l) => JSON.parse(l) as [number, string, string]);
    expect(events[failed.event][0]).toBe(failed.at);
    const upTo = events.slice(0, failed.event + 1).map((e) => (e[1] === "o" ? e[2] : ""));
    expect(upTo.join("")).toContain(`can't run '${MISSING}'`);

    // The list marks the guest by its last boot.
    const list = await daemon.api<GuestView[]>("GET", "/api/guests");
    expect(list.body.find((g) => g.id === guest.id)!.lastBoot!.health).toMatchObject({ hasFailures: true });
  });

  it("answers with the problems only when asked, and refuses what it does not take", async () => {
    const problems = await daemon.api<BootAnalysisView>("GET", analysisPath(2, "?entries=problems"));
    expect(problems.status).toBe(200);
    expect(problems.body.analysis.entries).toEqual(problems.body.analysis.problems);
    const unknown = await daemon.api<{ error: { message: string } }>("GET", analysisPath(2, "?since=1"));
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.message).toMatch(/takes no query parameter "since"/);
    const bad = await daemon.api("GET", analysisPath(2, "?entries=some"));
    expect(bad.status).toBe(422);
    const none = await daemon.api<{ error: { message: string } }>("GET", analysisPath(99));
    expect(none.status).toBe(404);
    expect(none.body.error.message).toBe(`Guest "bb-analysis" has no boot 99.`);
  });

  it("lets whoever may read the boot's log read its analysis, and no one else", async () => {
    const manager = await daemon.userSession("ana-manager", "manager");
    const developer = await daemon.userSession("ana-dev", "developer");
    expect((await daemon.api("GET", analysisPath(2), undefined, { as: manager })).status).toBe(200);
    const foreign = await daemon.api<{ error: { message: string } }>("GET", analysisPath(2), undefined, {
      as: developer,
    });
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.message).toMatch(/No such guest/);
    expect((await daemon.api("GET", analysisPath(2), undefined, { as: null })).status).toBe(401);
  });

  it("analyses a boot again when its stored analysis is from an older parser", async () => {
    const db = daemon.openDb();
    try {
      const { id } = (await db.boot.findUnique({ where: { guestId_number: { guestId: guest.id, number: 2 } } }))!;
      await db.bootAnalysis.update({
        where: { bootId: id },
        data: {
          version: ANALYSIS_VERSION - 1,
          analysis: JSON.stringify({
            version: ANALYSIS_VERSION - 1,
            entries: [],
            problems: [],
            units: [],
            failedUnits: [],
          }),
          summary: "old",
        },
      });
      const again = await daemon.api<BootAnalysisView>("GET", analysisPath(2));
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ outdated: false, partial: false });
      expect(again.body.analysis.version).toBe(ANALYSIS_VERSION);
      expect(again.body.analysis.failedUnits).toEqual([MISSING]);
      const row = (await db.bootAnalysis.findUnique({
        where: { bootId: id },
        select: { version: true, summary: true },
      }))!;
      expect(row.version).toBe(ANALYSIS_VERSION);
      expect(row.summary).toBe(again.body.comparison.summary);
    } finally {
      await db.$disconnect();
    }
  });

  // systemd starts units beside the login prompt: one can fail after readiness was analysed.
  it("analyses a running boot again when a failure is printed after readiness", async () => {
    const late = await daemon.createGuest("bb-late-failure", { network: "none" });
    await daemon.startGuest(late.id);
    const clean = await waitFor(
      "the readiness analysis",
      async () => {
        const g = await daemon.guest(late.id);
        return g.state === "running" && g.lastBoot?.health ? g : null;
      },
      120_000,
    );
    expect(clean.lastBoot!.health).toMatchObject({ hasFailures: false, problems: 0 });
    const con = await RecorderConsole.attach(daemon, late.id);
    // busybox init's own words for a script it could not run; the typed line does not contain them.
    await con.run(
      `printf 'can%ct run %s: No such file or directory\\n' "'" "'/etc/init.d/late'"`,
      /can't run '\/etc\/init\.d\/late'/,
    );
    const marked = await waitFor(
      "the running boot's health to show the late failure",
      async () => {
        const g = await daemon.guest(late.id);
        return g.lastBoot?.health?.hasFailures ? g : null;
      },
      120_000,
    );
    expect(marked.state).toBe("running");
    expect(marked.lastBoot).toMatchObject({ number: 1, health: { hasFailures: true, problems: 1 } });
    const live = await daemon.api<BootAnalysisView>("GET", `/api/guests/${late.id}/boots/1/analysis`);
    expect(live.body.partial).toBe(true);
    expect(live.body.analysis.failedUnits).toEqual(["/etc/init.d/late"]);
    await stopGuest(daemon, late);
  });
});
