// The CLI's pure parts: exit codes, option values, tables, where the connection comes from,
// and completion of commands and options (names from the daemon are in the integration test).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { complete } from "./commands/completion";
import { configPath, normalizeUrl, resolveConnection, writeStoredLogin } from "./config";
import { CliError, EXIT, exitCodeForStatus } from "./exit-codes";
import { buildProgram } from "./main";
import { renderTable } from "./output";
import { parseForward } from "./values";

describe("corral's pure parts", () => {
  it("maps the daemon's statuses to exit codes", () => {
    expect([0, 401, 403, 404, 409, 422, 413, 500, 503].map(exitCodeForStatus)).toEqual([
      EXIT.unreachable,
      EXIT.auth,
      EXIT.auth,
      EXIT.notFound,
      EXIT.conflict,
      EXIT.usage,
      EXIT.usage,
      EXIT.error,
      EXIT.error,
    ]);
  });

  it("reads port forwards as ssh -L does (host port first)", () => {
    expect(parseForward("8022:22")).toEqual({ protocol: "tcp", hostPort: 8022, guestPort: 22 });
    expect(parseForward("udp:5353:53")).toEqual({ protocol: "udp", hostPort: 5353, guestPort: 53 });
    expect(() => parseForward("22")).toThrow(CliError);
  });

  it("aligns tables, numbers to the right, a dash for nothing", () => {
    const text = renderTable(
      [
        { n: "a", v: 5 },
        { n: "long-name", v: null },
      ],
      [
        { header: "name", value: (r) => r.n },
        { header: "size", value: (r) => r.v, right: true },
      ],
    );
    expect(text).toBe("NAME       SIZE\na             5\nlong-name     -\n");
  });

  it("takes the URL from --url, CORRAL_URL, then the login, and a stored token only for its own URL", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "corral-cli-unit-"));
    try {
      const env = { XDG_CONFIG_HOME: dir } as unknown as NodeJS.ProcessEnv;
      expect(resolveConnection(undefined, env)).toMatchObject({ url: "http://127.0.0.1:4001", secret: null });
      writeStoredLogin({ url: "http://h:1", username: "a", tokenId: "t", secret: "corral_s" }, env);
      expect(fs.statSync(configPath(env)).mode & 0o777).toBe(0o600);
      expect(resolveConnection(undefined, env)).toMatchObject({
        url: "http://h:1",
        secret: "corral_s",
        source: "file",
      });
      expect(resolveConnection("http://other:2", env)).toMatchObject({ secret: null, source: "none" });
      expect(resolveConnection(undefined, { ...env, CORRAL_TOKEN: "corral_e" })).toMatchObject({
        secret: "corral_e",
        source: "env",
      });
      expect(() => normalizeUrl("ftp://x")).toThrow(/http/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("completes subcommands and options from the command tree", async () => {
    const program = buildProgram();
    const cmd = new Command();
    expect((await complete(program, ["gu"], cmd)).sort()).toEqual(["guests"]);
    expect((await complete(program, ["guests", "re"], cmd)).sort()).toEqual(["reboot", "reset", "revert"]);
    expect(await complete(program, ["guests", "start", "--w"], cmd)).toEqual(["--wait"]);
    expect(await complete(program, ["__c"], cmd)).toEqual([]);
  });
});
