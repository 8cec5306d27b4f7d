import { describe, expect, it } from "vitest";
import { conflictFromUniqueViolation } from "./errors";

// P2002 as each driver adapter reports it: SQLite names the columns bare, PostgreSQL as its
// error's detail quotes them (`Key ("guestId", name)=(…) already exists.`).
const violation = (modelName: string, fields: string[]) => ({
  code: "P2002",
  meta: { modelName, driverAdapterError: { cause: { constraint: { fields } } } },
});

describe("a unique-constraint violation as a conflict", () => {
  it("names what is taken, from either database's report", () => {
    const message = "This guest already has a snapshot with this name. Choose another name.";
    expect(conflictFromUniqueViolation(violation("Snapshot", ["guestId", "name"]))?.message).toBe(message);
    expect(conflictFromUniqueViolation(violation("Snapshot", ['"guestId"', "name"]))?.message).toBe(message);
    expect(conflictFromUniqueViolation(violation("Guest", ["name"]))?.message).toMatch(
      /guest with this name already exists/,
    );
    // PostgreSQL's adapter (7.x) names the unique index instead.
    const byIndex = (modelName: string, index: string) => ({
      code: "P2002",
      meta: { modelName, driverAdapterError: { cause: { constraint: { index } } } },
    });
    expect(conflictFromUniqueViolation(byIndex("Snapshot", "Snapshot_guestId_name_key"))?.message).toBe(message);
    expect(conflictFromUniqueViolation(byIndex("User", "User_username_key"))?.message).toMatch(/user.*username/i);
    expect(conflictFromUniqueViolation(byIndex("User", "some_other_index"))?.message).toMatch(/this name/);
  });

  it("is null for any other error", () => {
    expect(conflictFromUniqueViolation(new Error("boom"))).toBeNull();
    expect(conflictFromUniqueViolation({ code: "P2025" })).toBeNull();
  });
});
