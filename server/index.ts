import fs from "node:fs";
import path from "node:path";
import type { Server as HttpServer } from "node:http";
import { serve } from "@hono/node-server";
import { ConfigError, loadConfig } from "./config";
import { dbProvider, openDatabase } from "./db";
import { databaseUrl } from "../lib/server/database-url";
import { EventBus } from "./events";
import { createHttpApp } from "./http/app";
import { answerClientErrors } from "./http/client-errors";
import { writeRelaySecret } from "./http/relay-secret";
import { attachRealtime } from "./realtime/socket-server";
import { ConsoleHub } from "./consoles/console-hub";
import { lastBootOutput } from "./boots/boot-replay";
import { GuestLifecycle } from "./guests/guest-lifecycle";
import { UmlDriver } from "./uml/uml-driver";
import { LxcDriver } from "./lxc/lxc-driver";
import { KindedDriver } from "./drivers/kinded-driver";
import { parseGuestKind } from "../lib/shared/stored";
import { GuestCatalog } from "./guests/guest-catalog";
import { AuditLog } from "./audit/audit-log";
import { UserService } from "./auth/user-service";
import { ApiTokens } from "./auth/api-tokens";
import { DiskService } from "./disks/disk-service";
import { GuestStore } from "./guests/guest-store";
import { reconcileGuests } from "./guests/reconcile";
import { claimUnhostedGuests } from "./hosts/guest-host";
import { ensureDefaultImage, imagesDir, sha256File } from "./images/image-library";
import { adoptLocalImages, forgetVanishedCopies } from "./images/image-copies";
import { ImageCopier } from "./images/image-copier";
import { fetchDefaultImage } from "./images/default-image-fetch";
import { ImageBuilds } from "./images/image-builds";
import { ImageImporter, prepareImageDirs } from "./images/image-import";
import { KeeperClient } from "./keeper/keeper-client";
import { kernelVersion } from "./kernel-version";
import { logger, setLogLevel } from "./log";
import { MetricsService } from "./metrics/metrics-service";
import { claimUnhostedSamples } from "./metrics/metrics-store";
import { corralVersion, HostRegistry } from "./hosts/host-registry";
import { FleetEvents } from "./hosts/fleet-events";
import { FleetPasses } from "./hosts/fleet-pass";
import { HostRelay } from "./hosts/host-relay";
import { GuestMigrations } from "./hosts/guest-migration";
import { discardIncoming } from "./hosts/guest-receive";
import { migrateDatabase } from "./migrate";
import { BridgeNetwork } from "./network/bridge";

const log = logger("daemon");

async function main(): Promise<void> {
  const config = loadConfig();
  setLogLevel(config.logLevel);
  fs.mkdirSync(config.dataDir, { recursive: true });
  fs.mkdirSync(config.runDir, { recursive: true, mode: 0o700 });

  const version = await kernelVersion(config.umlBinary);
  log.info("starting", { dataDir: config.dataDir, kernel: `${config.umlBinary} (${version})` });
  const url = databaseUrl();
  const applied = await migrateDatabase(config.projectRoot, config.dataDir, url);
  if (applied.length) log.info("database migrated", { applied });
  const db = openDatabase(url);
  // WAL lets the web read while the daemon writes; the setting persists in the file.
  if (dbProvider(db) === "sqlite") await db.$queryRawUnsafe("PRAGMA journal_mode=WAL");
  const hosts = new HostRegistry(config, db, { kernel: version, version: await corralVersion(config.projectRoot) });
  const here = await hosts.register();
  // Heartbeats from registration on: a start-up that takes a while (the built-in image, the
  // keeper) must not show this host as unreachable to the rest of the fleet.
  hosts.start();
  const claimed = await claimUnhostedGuests(db, here);
  if (claimed) log.info("claimed guests for this host", { host: here.name, guests: claimed });
  const samples = await claimUnhostedSamples(db, here.id);
  if (samples) log.info("claimed metric samples for this host", { host: here.name, samples });
  prepareImageDirs(config);

  const bus = new EventBus();
  // Daemons of a fleet trust each other's relayed requests by this secret only (hosts/fleet-pass.ts).
  const fleet = config.fleetSecret ? new FleetPasses(config.fleetSecret, here) : null;
  const fleetEvents = dbProvider(db) === "postgresql" ? new FleetEvents(url, here, bus) : null;
  await fleetEvents?.start();
  const copier = new ImageCopier(config, db, here, fleet, (e) => bus.emit("image:copy", e));
  await copier.recover();
  await forgetVanishedCopies(db, here);
  // Image files already here (a single host from before copies were recorded) are this host's copies.
  await adoptLocalImages(db, here, imagesDir(config.dataDir), sha256File);
  // Fetched from a host that has it, when the fleet's row exists: never built over it.
  const stopDefaultFetch =
    (await ensureDefaultImage(db, config.dataDir, here)) === "fetch" ? await fetchDefaultImage(db, copier) : () => {};
  const builds = new ImageBuilds(config, db, (e) => bus.emit("image:build", e));
  builds.recover();
  const audit = new AuditLog(db, path.join(config.dataDir, "audit-head.json"), here.name);
  const users = new UserService(config, db, audit, bus);
  await users.ensureInitialAdmin();
  const tokens = new ApiTokens(db, audit, bus);
  const store = new GuestStore(db, bus);
  const contexts = new LxcDriver(config);
  if (!contexts.support.available) log.info("context guests unavailable", { reason: contexts.support.reason });
  await hosts.offerContextGuests(contexts.unavailableReason() === null);
  const driver = new KindedDriver({ uml: new UmlDriver(config), context: contexts }, async (id) => {
    const row = await db.guest.findUnique({ where: { id }, select: { kind: true } });
    return parseGuestKind(row?.kind ?? "uml");
  });
  const keeper = new KeeperClient(config.runDir, config.projectRoot, path.join(config.dataDir, "keeper.log"));
  // Wired to the keeper before it connects: what its kernels print reaches their consoles directly.
  const consoles = new ConsoleHub(
    keeper,
    (id) => lastBootOutput(db, config.dataDir, config.runDir, id),
    config.consoleRingChars,
  );
  const kept = await keeper.connect();
  log.info("console keeper attached", { pid: kept.pid, guests: kept.guests.length });
  await reconcileGuests(config, db, store, driver, here, new Set(kept.guests.map((g) => g.guestId)));
  const catalog = new GuestCatalog(config, db, store, consoles, bus, here, () => contexts.unavailableReason(), copier);
  const bridge = config.bridge ? new BridgeNetwork(config, db, config.bridge) : null;
  await bridge?.start();
  const guests = new GuestLifecycle({ config, db, bus, store, consoles, keeper, catalog, bridge, driver, here });
  await guests.adopt(kept.guests);
  // What happened while no daemon was attached, applied in order now that runners exist.
  await keeper.request("replay", {});
  const metrics = new MetricsService(config, db, bus, driver.metrics, here);

  const disks = new DiskService(config, db, store, guests, catalog, driver);
  const relay = new HostRelay(db, here, fleet, config.fleetHost.answerMs);
  await discardIncoming(config);
  const { app } = createHttpApp({
    config,
    db,
    guests,
    catalog,
    disks,
    consoles,
    users,
    tokens,
    audit,
    bus,
    kernelVersion: version,
    here,
    importer: new ImageImporter(config, db),
    builds,
    copier,
    relaySecret: await writeRelaySecret(config.dataDir),
    fleet,
    relay,
    migrations: new GuestMigrations({ config, db, store, relay, here, bus, contexts }),
  });
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }) as HttpServer;
  answerClientErrors(server);
  // Idle keep-alive connections outlive their clients' own idle timeout (fetch: 4 s), so a
  // client never reuses a socket this side has just closed. Headers must time out later still.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const io = attachRealtime(server, { config, db, bus, consoles, audit, tokens, here, fleet, fleetEvents });
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  log.info(`listening on http://${config.host}:${config.port}`);
  metrics.start();

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: shutting down; running guests stay up under the console keeper`);
    io.close();
    await metrics.stop();
    await hosts.stop();
    await fleetEvents?.stop();
    await builds.stop();
    stopDefaultFetch();
    copier.stop();
    guests.detach();
    // Bridged guests keep their leases (12 h) while dnsmasq is down; the next daemon restarts it.
    await bridge?.stop();
    await contexts.close().catch((err) => log.warn("could not unmount context images", { err: String(err) }));
    server.close();
    // What closing sockets recorded (console detaches) is written before the database closes;
    // a database that does not let go in time is left to end with the process.
    await audit.flush();
    await Promise.race([db.$disconnect(), new Promise((r) => setTimeout(r, 5000).unref())]);
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((err) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`corral daemon: ${err.message}\n`);
    process.exit(2);
  }
  log.error("failed to start", { err: err instanceof Error ? err.stack : String(err) });
  process.exit(1);
});
