import fs from "node:fs";
import { pipeline, Readable } from "node:stream";
import type { Context } from "hono";
import { z } from "zod";
import { readBootAnalysis } from "../../lib/server/reads/boot-analyses";
import { listBoots } from "../../lib/server/reads/boots";
import { NO_BOOT_ANALYSIS } from "../../lib/shared/protocol";
import { daemonAnalysisReader } from "../boots/boot-analyst";
import { castTextStream } from "../boots/cast-text-stream";
import { bootLogPrunedMessage } from "../boots/boot-records";
import { notFound } from "../errors";
import { bootLogPath, guestPaths } from "../uml/paths";
import type { HttpDeps } from "./deps";
import { bootNumber, guestId } from "./params";
import type { AppEnv } from "./request-context";
import type { RouteTable } from "./route-table";

const bootLogQuerySchema = z.strictObject({
  format: z.enum(["cast", "text"]).optional(),
  download: z.enum(["0", "1"]).optional(),
});

const bootAnalysisQuerySchema = z.strictObject({
  /** problems: leave out the entries that are not problems (scripts that only check for trouble). */
  entries: z.enum(["all", "problems"]).optional(),
});

/** A guest's boots and each boot's log, streamed (a live boot's log is still growing). */
export function addBootRoutes(routes: RouteTable, { config, db, catalog }: HttpDeps): void {
  /** The guest and boot `:id`/`:n` name; 404 naming the guest when it never had that boot. */
  const requireBoot = async (c: Context<AppEnv>) => {
    const id = guestId(c.req.param("id"));
    const n = bootNumber(c.req.param("n"));
    const guest = await catalog.get(id);
    const boot = await db.boot.findUnique({ where: { guestId_number: { guestId: id, number: n } } });
    if (!boot) throw notFound(`Guest "${guest.name}" has no boot ${n}.`);
    return { id, n, guest, boot };
  };
  routes.add("GET", "/api/guests/:id/boots", "guest.read", async (c) => {
    return c.json(await listBoots(db, guestId(c.req.param("id"))));
  });
  routes.add(
    "GET",
    "/api/guests/:id/boots/:n/log",
    "guest.read",
    async (c) => {
      const { id, n, guest, boot } = await requireBoot(c);
      const query = c.get("query") as z.infer<typeof bootLogQuerySchema>;
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
    // Another host's guest: its logs are on that host's disk, and its daemon serves them.
    { query: bootLogQuerySchema, onHost: true },
  );
  const analyses = daemonAnalysisReader(config, db);
  routes.add(
    "GET",
    "/api/guests/:id/boots/:n/analysis",
    "guest.read",
    async (c) => {
      const { id, n } = await requireBoot(c);
      const query = c.get("query") as z.infer<typeof bootAnalysisQuerySchema>;
      const view = await readBootAnalysis(analyses, id, n);
      if (!view) throw notFound(NO_BOOT_ANALYSIS);
      if (query.entries === "problems") view.analysis.entries = view.analysis.problems;
      return c.json(view);
    },
    { query: bootAnalysisQuerySchema, onHost: true },
  );
}
