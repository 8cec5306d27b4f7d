import { editHostSchema, hostIdSchema, type HostView } from "../../lib/shared/protocol";
import { BODY_BOUNDS } from "../../lib/shared/protocol/limits";
import { listHosts } from "../../lib/server/reads/hosts";
import { notFound } from "../errors";
import { hostCapacity } from "../host";
import { debianBuildUnavailable } from "../images/debian-build";
import type { HttpDeps } from "./deps";
import { jsonBody, jsonUpTo } from "./request-body";
import type { RouteTable } from "./route-table";

const NO_SUCH_HOST = "No such host in the fleet; the Hosts page lists them.";

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
  routes.add("GET", "/api/hosts", "host.read", async (c) => c.json(await listHosts(db, { viewer: c.get("actor")! })));

  // Maintenance: the host takes no new guests; those it runs run on (moving them is an admin's job).
  routes.add(
    "PATCH",
    "/api/hosts/:id",
    "hosts.manage",
    async (c) => {
      const id = hostIdSchema.safeParse(c.req.param("id"));
      if (!id.success) throw notFound(NO_SUCH_HOST);
      const { maintenance } = (await jsonBody(c)) as { maintenance: boolean };
      const { count } = await db.host.updateMany({ where: { id: id.data }, data: { maintenance } });
      if (!count) throw notFound(NO_SUCH_HOST);
      c.set("auditDetail", maintenance ? "maintenance on" : "maintenance off");
      const host = (await listHosts(db, { viewer: c.get("actor")! })).find((h) => h.id === id.data)!;
      return c.json(host);
    },
    { body: jsonUpTo(BODY_BOUNDS.form, editHostSchema), audit: "host.maintenance" },
  );
}
