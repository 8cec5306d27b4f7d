import { HOST_COLUMNS, hostCells } from "@/lib/shared/fleet-consolidation";
import { csvStream } from "@/lib/shared/csv";
import { authorizeRequest } from "@/lib/server/current-user";
import { readFleetConsolidation } from "@/lib/server/reads/fleet-consolidation";
import { db } from "@/lib/server/web-db";

export const dynamic = "force-dynamic";

/** The fleet's hosts table as CSV: one row per host, each at its own newest sample. */
export async function GET(): Promise<Response> {
  const user = await authorizeRequest("metrics.read");
  if (user instanceof Response) return user;
  const rows = await readFleetConsolidation(db, user);
  const csv = csvStream(
    (function* () {
      yield HOST_COLUMNS.map((c) => c.key);
      for (const row of rows) yield hostCells(row);
    })(),
  );
  const stamp = new Date().toISOString().slice(0, 19).replace(/:/g, "-");
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="corral-hosts-${stamp}Z.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
