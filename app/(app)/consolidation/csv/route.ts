import { consolidationReport, TABLE_COLUMNS, tableCells } from "@/lib/shared/consolidation";
import { csvStream } from "@/lib/shared/csv";
import { authorizeRequest } from "@/lib/server/current-user";
import { findTick, readCpuAverages, readTickSamples } from "@/lib/server/metric-queries";
import { sampleTimeSchema } from "@/lib/shared/protocol";
import { consolidationHost } from "@/lib/server/reads/fleet-consolidation";
import { listGuestsForReport } from "@/lib/server/reads/guests";
import { db } from "@/lib/server/web-db";

export const dynamic = "force-dynamic";

/**
 * The consolidation table as CSV, at the tick `?at=` names (the one the page showed when
 * the link was followed) or else the newest, of the host `?host=` names (in a fleet: the
 * page's; default, the page's default host). Raw ticks are kept an hour.
 */
export async function GET(req: Request): Promise<Response> {
  const user = await authorizeRequest("metrics.read");
  if (user instanceof Response) return user;
  const search = new URL(req.url).searchParams;
  const raw = search.get("at");
  const at = raw === null ? null : sampleTimeSchema.safeParse(raw);
  if (at && !at.success)
    return Response.json({ error: { code: "invalid", message: "`at` must be an ISO time." } }, { status: 422 });
  const shown = await consolidationHost(db, user, search.get("host"));
  if (shown === "unknown") {
    return Response.json(
      { error: { code: "not-found", message: "No such host: pick one from the consolidation page." } },
      { status: 404 },
    );
  }
  const host = await findTick(at?.success ? new Date(at.data) : undefined, shown.hostId);
  if (at && !host) {
    return Response.json(
      { error: { code: "not-found", message: "No sample at that time; samples are kept at full detail for an hour." } },
      { status: 404 },
    );
  }
  const [guests, latest, cpuAvg] = await Promise.all([
    listGuestsForReport(db, shown.fleet && shown.hostId ? shown.hostId : undefined),
    readTickSamples(host),
    readCpuAverages(host),
  ]);
  const report = consolidationReport(guests, latest, new Map(Object.entries(cpuAvg)), host);
  const csv = csvStream(
    (function* () {
      yield TABLE_COLUMNS.map((c) => c.key);
      for (const row of report.rows) yield tableCells(row);
    })(),
  );
  const stamp = (host?.at ?? new Date().toISOString()).slice(0, 19).replace(/:/g, "-");
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="corral-consolidation-${stamp}Z.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
