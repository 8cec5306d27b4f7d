import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestDaemon } from "../test-support/daemon-harness";

// A host that cannot run context guests (here: the admin turned them off, as a host without
// LXC would be) still runs UML guests, and says why a context guest cannot be made.
describe("a host without context guests", () => {
  const daemon = new TestDaemon({ CORRAL_CONTEXT_GUESTS: "off" });
  beforeAll(() => daemon.start());
  afterAll(() => daemon.cleanup());

  it("refuses a context guest with the reason, creates nothing, and still makes UML guests", async () => {
    const res = await daemon.api<{ error: { code: string; message: string } }>("POST", "/api/guests", {
      name: "ctx-none",
      kind: "context",
      network: "none",
      imageId: await daemon.defaultImageId(),
      memoryMiB: 64,
    });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/cannot run context guests.*CORRAL_CONTEXT_GUESTS=off/);
    const { body: list } = await daemon.api<unknown[]>("GET", "/api/guests");
    expect(list).toHaveLength(0);
    const uml = await daemon.createGuest("still-uml");
    expect(uml.kind).toBe("uml");
  });
});
