import fs from "node:fs";
import { Readable } from "node:stream";
import { Hono } from "hono";
import { bootNumberSchema, GUEST_ACTIONS, guestIdSchema, type HostView } from "../../lib/protocol";
import type { Config } from "../config";
import type { Db } from "../db";
import { invalid, notFound } from "../errors";
import { castOutput, parseCast } from "../boots/asciicast";
import { toBootView } from "../../lib/views";
import type { GuestService } from "../guests/guest-service";
import { hostCapacity } from "../host";
import { listImages } from "../images/image-library";
import { bootLogPath, guestPaths } from "../uml/paths";
import { errorResponse } from "./errors";
import { addDiskRoutes } from "./disk-routes";
import type { DiskService } from "../disks/disk-service";

export interface HttpDeps {
  config: Config;
  db: Db;
  guests: GuestService;
  disks: DiskService;
  kernelVersion: string;
}

function guestId(raw: string): string {
  const r = guestIdSchema.safeParse(raw);
  if (!r.success) throw notFound("No such guest.");
  return r.data;
}

function bootNumber(raw: string): number {
  const r = bootNumberSchema.safeParse(raw);
  if (!r.success) throw notFound("No such boot.");
  return r.data;
}

/** The daemon's JSON API. Validation and status codes only; the work is in the services. */
export function createHttpApp({ config, db, guests, disks, kernelVersion }: HttpDeps): Hono {
  const app = new Hono();
  app.onError(errorResponse);
  app.notFound((c) =>
    c.json({ error: { code: "not-found", message: `No API route ${c.req.method} ${c.req.path}.` } }, 404),
  );

  app.get("/api/health", (c) => c.json({ ok: true }));

  app.get("/api/host", (c) => {
    const cap = hostCapacity(config.umlTmpDir);
    const host: HostView = {
      kernelVersion,
      memoryTotalMiB: cap.memoryTotalMiB,
      guestMemoryMaxMiB: cap.guestMemoryMaxMiB,
    };
    return c.json(host);
  });

  app.get("/api/images", async (c) => c.json(await listImages(db)));

  app.get("/api/guests", async (c) => c.json(await guests.list()));

  app.post("/api/guests", async (c) => {
    const body = await c.req.json().catch(() => {
      throw invalid("The request body is not valid JSON.");
    });
    return c.json(await guests.create(body), 201);
  });

  app.get("/api/guests/:id", async (c) => c.json(await guests.get(guestId(c.req.param("id")))));

  app.delete("/api/guests/:id", async (c) => {
    await guests.remove(guestId(c.req.param("id")));
    return c.body(null, 204);
  });

  addDiskRoutes(app, disks, db);

  app.post("/api/guests/:id/:action", async (c) => {
    const id = guestId(c.req.param("id"));
    const action = GUEST_ACTIONS.find((a) => a === c.req.param("action"));
    if (!action) throw notFound(`Unknown action "${c.req.param("action")}". Use one of: ${GUEST_ACTIONS.join(", ")}.`);
    return c.json(await guests.act(id, action), 202);
  });

  app.get("/api/guests/:id/boots", async (c) => {
    const id = guestId(c.req.param("id"));
    await guests.get(id);
    const boots = await db.boot.findMany({ where: { guestId: id }, orderBy: { number: "desc" } });
    return c.json(boots.map(toBootView));
  });

  app.get("/api/guests/:id/boots/:n/log", async (c) => {
    const id = guestId(c.req.param("id"));
    const n = bootNumber(c.req.param("n"));
    const guest = await guests.get(id);
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

  return app;
}
