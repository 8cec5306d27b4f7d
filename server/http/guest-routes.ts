import fs from "node:fs";
import { pipeline, Readable } from "node:stream";
import { z } from "zod";
import { guestListScope, type Actor } from "../../lib/shared/permissions";
import { bootNumberSchema, GUEST_ACTIONS, guestIdSchema, type HostView, type ImageView } from "../../lib/shared/protocol";
import { BODY_BOUNDS } from "../../lib/shared/protocol/limits";
import { toBootView } from "../../lib/shared/views";
import { castTextStream } from "../boots/cast-text-stream";
import { bootLogPrunedMessage } from "../boots/boot-records";
import type { Db } from "../db";
import { NO_SUCH_GUEST, notFound } from "../errors";
import { hostCapacity } from "../host";
import { debianBuildUnavailable } from "../images/debian-build";
import { listImages } from "../images/image-library";
import { bootLogPath, guestPaths } from "../uml/paths";
import type { HttpDeps } from "./app";
import { jsonBody, jsonUpTo } from "./request-body";
import type { RouteTable } from "./route-table";

export function guestId(raw: string | undefined): string {
  const r = guestIdSchema.safeParse(raw);
  if (!r.success) throw notFound(NO_SUCH_GUEST);
  return r.data;
}

const bootLogQuerySchema = z.strictObject({
  format: z.enum(["cast", "text"]).optional(),
  download: z.enum(["0", "1"]).optional(),
});

/** The image list; a developer learns only how many of their own guests use each image. */
async function imagesFor(db: Db, actor: Actor): Promise<ImageView[]> {
  const images = await listImages(db);
  if (guestListScope(actor) === "all") return images;
  const own = await db.guest.groupBy({ by: ["imageId"], where: { ownerId: actor.id }, _count: { _all: true } });
  const counts = new Map(own.map((g) => [g.imageId, g._count._all]));
  return images.map((i) => ({ ...i, guestCount: counts.get(i.id) ?? 0 }));
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
  routes.add("GET", "/api/images", "host.read", async (c) => c.json(await imagesFor(db, c.get("actor")!)));

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
    { body: jsonUpTo(BODY_BOUNDS.guest), audit: "guest.create" },
  );
  routes.add("GET", "/api/guests/:id", "guest.read", async (c) =>
    c.json(await catalog.get(guestId(c.req.param("id")))),
  );
  routes.add(
    "PATCH",
    "/api/guests/:id",
    "guest.edit",
    async (c) => c.json(await catalog.edit(guestId(c.req.param("id")), await jsonBody(c))),
    { body: jsonUpTo(BODY_BOUNDS.guest), audit: "guest.edit" },
  );
  routes.add(
    "DELETE",
    "/api/guests/:id",
    "guest.delete",
    async (c) => {
      await catalog.remove(guestId(c.req.param("id")));
      return c.body(null, 204);
    },
    { audit: "guest.delete" },
  );
  routes.add(
    "POST",
    "/api/guests/:id/:action{start|stop|force-off|reboot}",
    "guest.control",
    async (c) => {
      const action = GUEST_ACTIONS.find((a) => a === c.req.param("action"))!;
      return c.json(await guests.act(guestId(c.req.param("id")), action), 202);
    },
    { audit: (c) => `guest.${c.req.param("action")}` },
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
  routes.add(
    "GET",
    "/api/guests/:id/boots/:n/log",
    "guest.read",
    async (c) => {
      const id = guestId(c.req.param("id"));
      const n = bootNumber(c.req.param("n"));
      const query = c.get("query") as z.infer<typeof bootLogQuerySchema>;
      const guest = await catalog.get(id);
      const boot = await db.boot.findUnique({ where: { guestId_number: { guestId: id, number: n } } });
      if (!boot) throw notFound(`Guest "${guest.name}" has no boot ${n}.`);
      if (boot.logPrunedAt) throw notFound(bootLogPrunedMessage(boot.logPrunedAt, config.bootLogs.guestMaxBytes));
      const file = bootLogPath(guestPaths(config.dataDir, config.runDir, id), n);
      const handle = await fs.promises.open(file, "r").catch(() => null);
      if (!handle) throw notFound(`The log of boot ${n} is missing from the data directory.`);
      // Streamed as it is read (a live boot's log is still growing), never read whole.
      const log = handle.createReadStream();
      const base = `${guest.name}-boot-${n}`;
      c.header("Cache-Control", "no-store");
      if (query.format === "text") {
        c.header("Content-Disposition", `attachment; filename="${base}.txt"`);
        // pipeline: a read error or a client gone ends both streams and closes the file.
        const text = Readable.toWeb(pipeline(log, castTextStream(), () => {})) as ReadableStream;
        return c.body(text, 200, { "Content-Type": "text/plain; charset=utf-8" });
      }
      c.header("Content-Disposition", `${query.download === "1" ? "attachment" : "inline"}; filename="${base}.cast"`);
      return c.body(Readable.toWeb(log) as ReadableStream, 200, { "Content-Type": "application/x-asciicast" });
    },
    { query: bootLogQuerySchema },
  );
}
