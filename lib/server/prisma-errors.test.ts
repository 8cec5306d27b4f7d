import { describe, expect, it } from "vitest";
import { FOREIGN_KEY_VIOLATION, isPrismaError, NOT_FOUND, UNIQUE_VIOLATION } from "./prisma-errors";

describe("isPrismaError", () => {
  it("matches an error by any of the codes it is asked about", () => {
    const gone = Object.assign(new Error("No record was found for an update."), { code: "P2025" });
    expect(isPrismaError(gone, NOT_FOUND)).toBe(true);
    expect(isPrismaError(gone, FOREIGN_KEY_VIOLATION, NOT_FOUND)).toBe(true);
    expect(isPrismaError(gone, UNIQUE_VIOLATION)).toBe(false);
  });

  it("is false for anything that is not a coded error", () => {
    expect(isPrismaError(new Error("P2025"), NOT_FOUND)).toBe(false);
    expect(isPrismaError(null, NOT_FOUND)).toBe(false);
    expect(isPrismaError("P2025", NOT_FOUND)).toBe(false);
    expect(isPrismaError({ code: 2025 }, NOT_FOUND)).toBe(false);
  });
});
