// Bulk actions and the list query through a real daemon, with real busybox guests: each
// guest of a bulk action is authorized, acted on and audited as by its own route.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditEntryView, BulkResponse, GuestView } from "../../lib/shared/protocol";
import { BULK_MAX, TOTAL_HEADER } from "../../lib/shared/protocol";
import { TestDaemon } from "../test-support/daemon-harness";

describe("bulk actions and the list query (real daemon, real guests)", () => {
  const daemon = new TestDaemon();
  const as = {} as Record<"ann" | "bob" | "manager", string>;
  const ids = {} as Record<"a1" | "a2" | "b1", string>;

  beforeAll(async () => {
    await daemon.start();
    as.ann = await daemon.userSession("ann", "developer");
    as.bob = await daemon.userSession("bob", "developer");
    as.manager = await daemon.userSession("the-manager", "manager");
    const image = await daemon.defaultImageId();
    const create = async (name: string, cookie: string) =>
      (await daemon.api<GuestView>("POST", "/api/guests", { name, imageId: image, memoryMiB: 48 }, { as: cookie })).body
        .id;
    ids.a1 = await create("ann-one", as.ann);
    ids.a2 = await create("ann-two", as.ann);
    ids.b1 = await create("bob-one", as.bob);
  });
  afterAll(() => daemon.cleanup());

  const bulk = (body: unknown, cookie?: string) =>
    daemon.api<BulkResponse & { error?: { message: string } }>("POST", "/api/guests/bulk", body, { as: cookie });

  it("starts a developer's own guests and answers another's exactly as a made-up one", async () => {
    const r = await bulk({ action: "start", ids: [ids.a1, ids.b1, ids.a2, "nosuchguest0"] }, as.ann);
    expect(r.status).toBe(200);
    expect(r.body.succeeded).toBe(2);
    expect(r.body.refused).toBe(2);
    const [a1, b1, a2, madeUp] = r.body.results;
    expect(a1).toMatchObject({ id: ids.a1, name: "ann-one", ok: true });
    expect(a2).toMatchObject({ id: ids.a2, name: "ann-two", ok: true });
    // Bob's guest: no name, and the same code and message as an id that names nothing.
    expect(b1).toEqual({ ...madeUp, id: ids.b1 });
    expect(madeUp).toEqual({
      id: "nosuchguest0",
      name: null,
      ok: false,
      code: "not-found",
      message: expect.any(String),
    });
    await daemon.waitForState(ids.a1, "running");
    await daemon.waitForState(ids.a2, "running");
    expect((await daemon.guest(ids.b1)).state).toBe("stopped");

    // Audited per guest, as the single routes are: two starts, one denied attempt on Bob's.
    const audit = (await daemon.api<AuditEntryView[]>("GET", "/api/audit?limit=1000&actor=ann")).body;
    const starts = audit.filter((e) => e.action === "guest.start").map((e) => `${e.target}:${e.outcome}`);
    expect(starts.sort()).toEqual([`${ids.a1}:ok`, `${ids.a2}:ok`, `${ids.b1}:denied`].sort());
  });

  it("refuses one guest with its reason and goes on with the others", async () => {
    const r = await bulk({ action: "start", ids: [ids.a1, ids.b1] }); // the admin: a1 already runs
    expect(r.body.results[0]).toMatchObject({ id: ids.a1, ok: false, code: "conflict" });
    expect(r.body.results[0].ok === false && r.body.results[0].message).toMatch(/running/);
    expect(r.body.results[1]).toMatchObject({ id: ids.b1, name: "bob-one", ok: true });
    await daemon.waitForState(ids.b1, "running");
  });

  it("lists by the same query: filters, paging and the total in a header", async () => {
    const res = await fetch(`${daemon.url}/api/guests?state=running&sort=name&dir=desc&per=2`, {
      headers: { cookie: await daemon.admin() },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get(TOTAL_HEADER)).toBe("3");
    expect(((await res.json()) as GuestView[]).map((g) => g.name)).toEqual(["bob-one", "ann-two"]);
    const own = await daemon.api<GuestView[]>("GET", "/api/guests?owner=bob", undefined, { as: as.ann });
    expect(own.body).toEqual([]);
    for (const bad of ["?per=0", "?state=asleep", "?sort=ownerId", "?bogus=1", `?q=${"x".repeat(65)}`])
      expect((await daemon.api("GET", `/api/guests${bad}`)).status, bad).toBe(422);
  });

  it("acts on every guest a filter shows, as the person may see them", async () => {
    const r = await bulk({ action: "stop", filter: { state: "running" } }, as.ann);
    expect(r.body.results.map((x) => x.name).sort()).toEqual(["ann-one", "ann-two"]);
    expect(r.body.succeeded).toBe(2);
    await daemon.waitForState(ids.a1, "stopped");
    await daemon.waitForState(ids.a2, "stopped");
    expect((await daemon.guest(ids.b1)).state).toBe("running");
    const off = await bulk({ action: "force-off", filter: { q: "bob" } });
    expect(off.body).toMatchObject({ succeeded: 1, refused: 0 });
    await daemon.waitForState(ids.b1, "stopped");
  });

  it("lets managers do nothing, and refuses bad requests whole", async () => {
    const m = await bulk({ action: "stop", ids: [ids.a1] }, as.manager);
    expect(m.status).toBe(403);
    const bad: unknown[] = [
      { action: "explode", ids: [ids.a1] },
      { action: "reboot", ids: [ids.a1] },
      { action: "start", ids: [] },
      { action: "start", ids: [ids.a1, ids.a1] },
      { action: "start", ids: ["Not An Id"] },
      { action: "start", ids: [ids.a1], filter: {} },
      { action: "start", filter: { state: "asleep" } },
      { action: "start", ids: Array.from({ length: BULK_MAX + 1 }, (_, i) => `g${i}`) },
      [],
    ];
    for (const body of bad) expect((await bulk(body)).status, JSON.stringify(body).slice(0, 80)).toBe(422);
    const foreign = await daemon.api("POST", "/api/guests/bulk", { action: "start", ids: [ids.a1] }, { origin: null });
    expect(foreign.status).toBe(403);
    for (const id of Object.values(ids)) expect((await daemon.guest(id)).state).toBe("stopped");
  });

  it("deletes only what the person may delete, and says so per guest", async () => {
    const r = await bulk({ action: "delete", filter: {} }, as.ann);
    expect(r.body.results.map((x) => [x.name, x.ok])).toEqual([
      ["ann-one", true],
      ["ann-two", true],
    ]);
    const left = (await daemon.api<GuestView[]>("GET", "/api/guests")).body.map((g) => g.name);
    expect(left).toEqual(["bob-one"]);
  });
});
