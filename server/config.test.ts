import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config";

const load = (env: Record<string, string>) =>
  loadConfig({ NODE_ENV: "test", CORRAL_DATA_DIR: "/tmp/corral-config-test", ...env });

describe("boot log bounds in the configuration", () => {
  it("defaults to 16 MiB per boot and 64 MiB per guest, and takes fractions of a MiB", () => {
    expect(load({}).bootLogs).toEqual({ bootMaxBytes: 16 * 2 ** 20, guestMaxBytes: 64 * 2 ** 20 });
    expect(load({ CORRAL_BOOT_LOG_MAX_MIB: "0.0625", CORRAL_GUEST_LOGS_MAX_MIB: "0.25" }).bootLogs).toEqual({
      bootMaxBytes: 64 * 1024,
      guestMaxBytes: 256 * 1024,
    });
  });

  it.each([
    [{ CORRAL_BOOT_LOG_MAX_MIB: "lots" }, /CORRAL_BOOT_LOG_MAX_MIB: Invalid input: expected number/],
    [{ CORRAL_BOOT_LOG_MAX_MIB: "0.01" }, /CORRAL_BOOT_LOG_MAX_MIB: must be at least 0.0625 \(64 KiB\)/],
    [
      { CORRAL_BOOT_LOG_MAX_MIB: "32", CORRAL_GUEST_LOGS_MAX_MIB: "16" },
      /CORRAL_GUEST_LOGS_MAX_MIB: 16 is less than CORRAL_BOOT_LOG_MAX_MIB \(32\)/,
    ],
  ])("refuses %j, naming the variable", (env, message) => {
    expect(() => load(env)).toThrow(ConfigError);
    expect(() => load(env)).toThrow(message);
  });
});

describe("the database in the configuration", () => {
  it("takes a postgres:// URL, and refuses any other, naming the variable", () => {
    expect(() => load({ CORRAL_DATABASE_URL: "postgres://corral@127.0.0.1:5432/corral" })).not.toThrow();
    expect(() => load({ CORRAL_DATABASE_URL: "" })).not.toThrow(); // empty: unset, SQLite
    for (const url of ["file:/tmp/x.db", "mysql://db/corral", "postgres://"])
      expect(() => load({ CORRAL_DATABASE_URL: url })).toThrow(
        /CORRAL_DATABASE_URL: must be a postgres:\/\/ or postgresql:\/\/ URL/,
      );
  });
});

describe("the kernels' nice value in the configuration", () => {
  it("takes 0–19, and refuses anything else, naming the variable", () => {
    for (const nice of ["0", "5", "19"]) expect(() => load({ CORRAL_KERNEL_NICE: nice })).not.toThrow();
    for (const nice of ["-1", "20", "2.5", "low"])
      expect(() => load({ CORRAL_KERNEL_NICE: nice })).toThrow(/CORRAL_KERNEL_NICE: /);
  });
});
