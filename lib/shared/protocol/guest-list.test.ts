import { describe, expect, it } from "vitest";
import { bulkRequestSchema, filterOf, guestListQuerySchema, guestListSearch, parseGuestListParams } from "./guest-list";

describe("the guest list query", () => {
  it("reads a page's URL leniently: what does not fit is dropped, the rest kept", () => {
    expect(
      parseGuestListParams({
        q: "  web ",
        state: "asleep",
        owner: ["ann", "bob"],
        per: "0",
        page: "3",
        sort: "memory",
      }),
    ).toEqual({ q: "web", owner: "ann", page: 3, sort: "memory" });
    expect(parseGuestListParams({ q: "", image: "  " })).toEqual({});
  });

  it("is refused whole by the API when a parameter does not fit", () => {
    expect(guestListQuerySchema.safeParse({ per: "20", page: "2" }).data).toEqual({ per: 20, page: 2 });
    for (const bad of [
      { per: "0" },
      { per: "501" },
      { page: "1.5" },
      { state: "asleep" },
      { sort: "id" },
      { extra: "1" },
    ])
      expect(guestListQuerySchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
  });

  it("writes the URL back without defaults, so a link says only what differs", () => {
    expect(guestListSearch({})).toBe("");
    expect(guestListSearch({ q: "web", page: 2 }, { page: 1 })).toBe("?q=web");
    expect(guestListSearch({ q: "web", state: "running" }, { state: undefined, sort: "name", dir: "desc" })).toBe(
      "?q=web&sort=name&dir=desc",
    );
    const round = { q: "a b&c", owner: "ann", per: 25, page: 4 };
    expect(parseGuestListParams(Object.fromEntries(new URLSearchParams(guestListSearch(round))))).toEqual(round);
  });

  it("filters and sorts by host: a name, trimmed and bounded, kept in the URL", () => {
    expect(parseGuestListParams({ host: "  rack-2 ", sort: "host" })).toEqual({ host: "rack-2", sort: "host" });
    expect(parseGuestListParams({ host: "   " })).toEqual({});
    expect(parseGuestListParams({ host: "h".repeat(129) })).toEqual({});
    expect(guestListQuerySchema.safeParse({ host: "rack-2" }).data).toEqual({ host: "rack-2" });
    expect(guestListQuerySchema.safeParse({ host: "h".repeat(129) }).success).toBe(false);
    expect(guestListSearch({ host: "rack 2", kind: "uml" })).toBe("?kind=uml&host=rack+2");
    expect(filterOf({ host: "rack-2", sort: "host", page: 2 })).toEqual({ host: "rack-2" });
    expect(bulkRequestSchema.safeParse({ action: "stop", filter: { host: "rack-2" } }).success).toBe(true);
  });

  it("takes a bulk action as ids or a filter, never both, bounded", () => {
    expect(bulkRequestSchema.safeParse({ action: "delete", ids: ["abc"] }).success).toBe(true);
    expect(bulkRequestSchema.safeParse({ action: "stop", filter: { state: "running" } }).success).toBe(true);
    expect(bulkRequestSchema.safeParse({ action: "stop", ids: ["abc"], filter: {} }).success).toBe(false);
    expect(bulkRequestSchema.safeParse({ action: "reboot", ids: ["abc"] }).success).toBe(false);
    expect(
      bulkRequestSchema.safeParse({ action: "start", ids: Array.from({ length: 501 }, (_, i) => `g${i}`) }).success,
    ).toBe(false);
  });

  it("names the action when that is what a bulk request got wrong", () => {
    const message = (input: unknown) => bulkRequestSchema.safeParse(input).error?.issues[0].message;
    expect(message({ action: "reboot", ids: ["abc"] })).toBe("The action is one of start, stop, force-off, delete.");
    expect(message({ action: "stop", ids: ["abc"], filter: {} })).toBe("Send { action, ids } or { action, filter }.");
    expect(message({ action: "stop" })).toBe("Send { action, ids } or { action, filter }.");
    expect(message("stop")).toBe("Send { action, ids } or { action, filter }.");
  });
});
