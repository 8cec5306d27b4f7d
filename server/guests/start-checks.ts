import { checkQuota, type QuotaUser } from "../auth/quotas";
import type { Config } from "../config";
import type { Db } from "../db";
import { conflict, insufficient, unavailable } from "../errors";
import { dataDirFreeMiB } from "../host";
import { formatBytes } from "../../lib/shared/format";
import { COPY_COPYING, copyOn } from "../images/image-copies";
import { verifyImage } from "../images/image-library";
import type { BridgeNetwork } from "../network/bridge";
import { checkForwardsBindable } from "../network/forwards";
import { toLaunchGuest, type LaunchRow } from "./launch-guest";

const MIN_DATA_FREE_MIB = 64;

/**
 * What every kind of guest needs before it may start: its image intact, its owner within
 * quota, room for its disk changes and boot log, and its network. Refuses before anything is
 * written; the driver checks what only its kind needs after this.
 */
export async function checkStartable(
  { config, db, bridge }: { config: Config; db: Db; bridge: BridgeNetwork | null },
  guest: LaunchRow,
  /** The owner as the start read them, if it did (their quota): read here otherwise. */
  owner?: QuotaUser | null,
): Promise<void> {
  const arriving = guest.image.copies.find((c) => c.hostId === guest.hostId && c.state === COPY_COPYING);
  if (arriving)
    throw conflict(
      `The guest's image "${guest.image.name}" is still being copied to its host ` +
        `(${formatBytes(Number(arriving.copiedBytes))} of ${formatBytes(Number(arriving.sizeBytes))}). Start it once the copy is done.`,
    );
  await verifyImage(db, guest.image, copyOn(guest.image.copies, guest.hostId));
  // Disk is the one quota a running guest can grow by itself (its disk layer): checked here.
  await checkQuota(config, db, guest.ownerId, { diskMiB: 0 }, owner);
  const dataFree = await dataDirFreeMiB(config.dataDir);
  if (dataFree < MIN_DATA_FREE_MIB) {
    throw insufficient(
      `The data directory ${config.dataDir} has only ${dataFree} MiB free; a guest needs room for its disk ` +
        `changes and boot log. Free some space (delete snapshots or unused guests) and start it again.`,
    );
  }
  const launch = toLaunchGuest(guest);
  if (launch.network === "user") await checkForwardsBindable(config.forwardAddress, launch.forwards);
  if (launch.network === "bridge") {
    if (!bridge) {
      throw unavailable(
        "This guest is on the bridge, which is not enabled on this host now. Switch it to the user network, or ask an admin to enable the bridge (CORRAL_BRIDGE).",
      );
    }
    await bridge.sync();
  }
}
