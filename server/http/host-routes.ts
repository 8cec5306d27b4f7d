import type { HostView } from "../../lib/shared/protocol";
import { hostCapacity } from "../host";
import { debianBuildUnavailable } from "../images/debian-build";
import { listHosts } from "../../lib/server/reads/hosts";
import type { HttpDeps } from "./deps";
import type { RouteTable } from "./route-table";

/** What this host offers guests (its kernel, memory, networks and image builds), and the fleet's hosts. */
export function addHostRoutes(routes: RouteTable, { config, db, kernelVersion }: HttpDeps): void {
  routes.add("GET", "/api/host", "host.read", async (c) => {
    const cap = await hostCapacity(config.umlTmpDir);
    const host: HostView = {
      kernelVersion,
      memoryTotalMiB: cap.memoryTotalMiB,
      guestMemoryMaxMiB: cap.guestMemoryMaxMiB,
      bridge: config.bridge && { name: config.bridge.name, cidr: config.bridge.cidr },
      debianBuildsUnavailable: debianBuildUnavailable(),
    };
    return c.json(host);
  });

  // Every host of the fleet, as each daemon registered it and last heartbeat.
  routes.add("GET", "/api/hosts", "host.read", async (c) => c.json(await listHosts(db)));
}
