import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseWebEnv, WebEnvError } from "./env";

describe("the web's environment", () => {
  it("has the daemon's defaults when nothing is set", () => {
    const env = parseWebEnv({});
    expect(env.daemonUrl).toBe("http://127.0.0.1:4001");
    expect(env.daemonPort).toBe(4001);
    expect(env.daemonPublicUrl).toBeNull();
    expect(env.webPort).toBe(3000);
    expect(env.databaseUrl).toBe("file:" + path.resolve("data", "corral.db"));
    expect(env.importDir).toBe(path.resolve("data", "import"));
    expect(env.uploadMaxBytes).toBe(4096 * 1024 * 1024);
    expect(env.network).toEqual({ bridgeCidr: "10.77.0.1/24", forwardAddress: "127.0.0.1" });
  });

  it("reads what is set, and treats an empty variable as unset", () => {
    const env = parseWebEnv({
      CORRAL_DAEMON_PORT: "4555",
      CORRAL_DAEMON_PUBLIC_URL: "https://corral.example/",
      CORRAL_DATA_DIR: "/srv/corral",
      CORRAL_IMPORT_DIR: "",
      CORRAL_UPLOAD_MAX_MIB: "10",
      CORRAL_BRIDGE_CIDR: "10.9.8.1/24",
      CORRAL_FORWARD_ADDRESS: "0.0.0.0",
    });
    expect(env.daemonUrl).toBe("http://127.0.0.1:4555");
    expect(env.daemonPublicUrl).toBe("https://corral.example/");
    expect(env.databaseUrl).toBe("file:/srv/corral/corral.db");
    expect(env.importDir).toBe("/srv/corral/import");
    expect(env.uploadMaxBytes).toBe(10 * 1024 * 1024);
    expect(env.network).toEqual({ bridgeCidr: "10.9.8.1/24", forwardAddress: "0.0.0.0" });
    expect(parseWebEnv({ CORRAL_DAEMON_URL: "http://daemon:4001" }).daemonUrl).toBe("http://daemon:4001");
    const fleet = "postgresql://corral@db.example:5432/corral";
    expect(parseWebEnv({ CORRAL_DATABASE_URL: fleet, CORRAL_DATA_DIR: "/srv/corral" }).databaseUrl).toBe(fleet);
  });

  it("refuses bad values, naming every one", () => {
    let caught: unknown;
    try {
      parseWebEnv({
        CORRAL_DAEMON_PORT: "70000",
        CORRAL_DAEMON_URL: "ftp://daemon",
        CORRAL_UPLOAD_MAX_MIB: "lots",
        CORRAL_BRIDGE_CIDR: "192.168.0.0/16",
        CORRAL_FORWARD_ADDRESS: "everywhere",
        CORRAL_IMPORT_DIR: "relative/dir",
        CORRAL_DATABASE_URL: "mysql://db/corral",
      });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(WebEnvError);
    const message = (caught as Error).message;
    for (const name of [
      "CORRAL_DAEMON_PORT",
      "CORRAL_DAEMON_URL",
      "CORRAL_UPLOAD_MAX_MIB",
      "CORRAL_BRIDGE_CIDR",
      "CORRAL_FORWARD_ADDRESS",
      "CORRAL_IMPORT_DIR",
      "CORRAL_DATABASE_URL",
    ]) {
      expect(message).toContain(name);
    }
  });
});
