import type { AuditLog } from "../audit/audit-log";
import type { ApiTokens } from "../auth/api-tokens";
import type { UserService } from "../auth/user-service";
import type { Config } from "../config";
import type { ConsoleHub } from "../consoles/console-hub";
import type { Db } from "../db";
import type { DiskService } from "../disks/disk-service";
import type { EventBus } from "../events";
import type { GuestLifecycle } from "../guests/guest-lifecycle";
import type { GuestCatalog } from "../guests/guest-catalog";
import type { ThisHost } from "../hosts/guest-host";
import type { FleetPasses } from "../hosts/fleet-pass";
import type { HostRelay } from "../hosts/host-relay";
import type { GuestMigrations } from "../hosts/guest-migration";
import type { ImageBuilds } from "../images/image-builds";
import type { ImageCopier } from "../images/image-copier";
import type { ImageImporter } from "../images/image-import";

/** What the routes act through: the daemon's services, built once in server/index.ts. */
export interface HttpDeps {
  config: Config;
  db: Db;
  guests: GuestLifecycle;
  catalog: GuestCatalog;
  disks: DiskService;
  consoles: ConsoleHub;
  users: UserService;
  tokens: ApiTokens;
  audit: AuditLog;
  bus: EventBus;
  kernelVersion: string;
  /** This daemon's host: it acts only on the guests it runs (hosts/guest-host.ts). */
  here: ThisHost;
  importer: ImageImporter;
  builds: ImageBuilds;
  /** Copies images to this host from other hosts of the fleet. */
  copier: ImageCopier;
  /** Proves a request came through Corral's web server (relay-secret.ts). */
  relaySecret: string;
  /** Checks requests other hosts' daemons relay here; null without CORRAL_FLEET_SECRET. */
  fleet: FleetPasses | null;
  /** Sends requests about other hosts' guests to their daemons. */
  relay: HostRelay;
  /** Moves stopped guests to other hosts, and receives those moved here. */
  migrations: GuestMigrations;
}
