import fs from "node:fs";
import { Readable } from "node:stream";
import { bootNumberSchema, GUEST_ACTIONS, guestIdSchema, type HostView } from "../../lib/shared/protocol";
import { toBootView } from "../../lib/shared/views";
import { castOutput, parseCast } from "../boots/asciicast";
import { notFound } from "../errors";
import { hostCapacity } from "../host";
import { debianBuildUnavailable } from "../images/debian-build";
import { listImages } from "../images/image-library";
import { bootLogPath, guestPaths } from "../uml/paths";
import type { HttpDeps } from "./app";
import { jsonBody } from "./json-body";
import type { RouteTable } from "./route-table";

export function guestId(raw: string | undefined): string {
  const r = guestIdSchema.safeParse(raw);
  if (!r.success) throw notFound("No such guest.");
  return r.data;
}

function bootNumber(raw: string | undefined): number {
  const r = bootNumberSchema.safeParse(raw);
  if (!r.success) throw notFound("No such boot.");
  return r.data;
}

/** Guests, their boots and logs, the host and images: the spine's routes. */
export function addGuestRoutes(
  routes: RouteTable,
  { config, db, guests, catalog, consoles, kernelVersion }: HttpDeps,
): void {
  routes.add("GET", "/api/host", "host.read", (c) => {
    const cap = hostCapacity(config.umlTmpDir);
    const host: HostView = {
      kernelVersion,
      memoryTotalMiB: cap.memoryTotalMiB,
      guestMemoryMaxMiB: cap.guestMemoryMaxMiB,
      bridge: config.bridge && { name: config.bridge.name, cidr: config.bridge.cidr },
      debianBuildsUnavailable: debianBuildUnavailable(),
    };
    return c.json(host);
  });
  routes.add("GET", "/api/images", "host.read", async (c) => c.json(await listImages(db)));

  routes.add("GET", "/api/guests", "guests.list", async (c) => c.json(await catalog.list(c.get("actor")!)));
  routes.add(
    "POST",
    "/api/guests",
    "guest.create",
    async (c) => {
      const guest = await catalog.create(await jsonBody(c), c.get("actor")!);
      c.set("auditTarget", guest.id);
      return c.json(guest, 201);
    },
    () => "guest.create",
  );
  routes.add("GET", "/api/guests/:id", "guest.read", async (c) =>
    c.json(await catalog.get(guestId(c.req.param("id")))),
  );
  routes.add(
    "PATCH",
    "/api/guests/:id",
    "guest.edit",
    async (c) => c.json(await catalog.edit(guestId(c.req.param("id")), await jsonBody(c))),
    () => "guest.edit",
  );
  routes.add(
    "DELETE",
    "/api/guests/:id",
    "guest.delete",
    async (c) => {
      await catalog.remove(guestId(c.req.param("id")));
      return c.body(null, 204);
    },
    () => "guest.delete",
  );
  routes.add(
    "POST",
    "/api/guests/:id/:action{start|stop|force-off|reboot}",
    "guest.control",
    async (c) => {
      const action = GUEST_ACTIONS.find((a) => a === c.req.param("action"))!;
      return c.json(await guests.act(guestId(c.req.param("id")), action), 202);
    },
    (c) => `guest.${c.req.param("action")}`,
  );
  routes.add("GET", "/api/guests/:id/console", "guest.read", async (c) => {
    const id = guestId(c.req.param("id"));
    return c.json(consoles.peek(id)?.stats() ?? null);
  });
  routes.add("GET", "/api/guests/:id/boots", "guest.read", async (c) => {
    const boots = await db.boot.findMany({
      where: { guestId: guestId(c.req.param("id")) },
      orderBy: { number: "desc" },
    });
    return c.json(boots.map(toBootView));
  });
  routes.add("GET", "/api/guests/:id/boots/:n/log", "guest.read", async (c) => {
    const id = guestId(c.req.param("id"));
    const n = bootNumber(c.req.param("n"));
    const guest = await catalog.get(id);
    const boot = await db.boot.findUnique({ where: { guestId_number: { guestId: id, number: n } } });
    if (!boot) throw notFound(`Guest "${guest.name}" has no boot ${n}.`);
    const file = bootLogPath(guestPaths(config.dataDir, config.runDir, id), n);
    if (!fs.existsSync(file)) throw notFound(`The log of boot ${n} is missing from the data directory.`);
    const base = `${guest.name}-boot-${n}`;
    if (c.req.query("format") === "text") {
      const text = castOutput(parseCast(fs.readFileSync(file, "utf8")).events);
      c.header("Content-Disposition", `attachment; filename="${base}.txt"`);
      return c.body(text, 200, { "Content-Type": "text/plain; charset=utf-8" });
    }
    c.header("Content-Disposition", `${c.req.query("download") ? "attachment" : "inline"}; filename="${base}.cast"`);
    c.header("Cache-Control", "no-store");
    const stream = Readable.toWeb(fs.createReadStream(file)) as ReadableStream;
    return c.body(stream, 200, { "Content-Type": "application/x-asciicast" });
  });
}
