import fs from "node:fs";
import { BRIDGE_HOSTS, guestAddressing, guestMac } from "../../lib/shared/network";
import type { GuestNetwork } from "../../lib/shared/protocol";
import type { Config } from "../config";
import type { Db } from "../db";
import { insufficient, invalid } from "../errors";
import type { Forward } from "./forwards";

/**
 * Which network a guest may have, checked before anything is written: the bridge only where
 * the admin enabled it, port forwards only on the user network (a bridged guest is reached
 * at its own address).
 */
export function checkNetworkChoice(config: Config, mode: GuestNetwork, forwards: Forward[] | undefined): void {
  if (mode === "bridge" && !config.bridge) {
    throw invalid("Bridge networking is not enabled on this host.", {
      network: "Choose user, or ask an admin to enable the bridge (CORRAL_BRIDGE, with the daemon running as root).",
    });
  }
  if (mode !== "user" && forwards?.length) {
    throw invalid("Port forwards are for the user network.", {
      forwards:
        mode === "none"
          ? "Choose the user network to forward ports."
          : "A bridged guest is reached at its own address; remove the forwards or choose the user network.",
    });
  }
}

/**
 * The lowest free host part on the bridge. Guests keep theirs while they stay bridged, so
 * their address and DHCP lease never change; the database's unique index is the backstop
 * against two requests taking the same one.
 */
export async function allocateBridgeHost(db: Db): Promise<number> {
  const rows = await db.guest.findMany({ where: { bridgeHost: { not: null } }, select: { bridgeHost: true } });
  const used = new Set(rows.map((r) => r.bridgeHost));
  for (let h = BRIDGE_HOSTS.first; h <= BRIDGE_HOSTS.last; h++) if (!used.has(h)) return h;
  throw insufficient(
    `The bridge has no free address (${used.size} bridged guests). Move a guest to the user network or delete one.`,
  );
}

/** dnsmasq's static leases (`--dhcp-hostsfile`): one `mac,address` line per bridged guest. */
export async function writeBridgeHosts(config: Config, db: Db, file: string): Promise<void> {
  const cidr = config.bridge?.cidr;
  if (!cidr) return;
  const rows = await db.guest.findMany({ where: { network: "bridge" }, select: { id: true, bridgeHost: true } });
  const lines = rows.flatMap((g) => {
    const a = guestAddressing("bridge", g.bridgeHost, cidr);
    return a ? [`${guestMac(g.id)},${a.address.split("/")[0]}`] : [];
  });
  fs.writeFileSync(`${file}.new`, lines.join("\n") + "\n");
  fs.renameSync(`${file}.new`, file);
}
