import { authorizeRequest } from "@/lib/server/current-user";
import { findTick, readCpuAverages } from "@/lib/server/metric-queries";
import { sampleTimeSchema } from "@/lib/shared/protocol";
import { consolidationHost } from "@/lib/server/reads/fleet-consolidation";
import { db } from "@/lib/server/web-db";

export const dynamic = "force-dynamic";

/**
 * Every guest's 10-minute CPU average at the tick `?at=` names, of the host `?host=` names
 * (default: the page's default host): what the live consolidation page fetches with each
 * new tick, so that it never holds every guest's samples.
 */
export async function GET(req: Request): Promise<Response> {
  const user = await authorizeRequest("metrics.read");
  if (user instanceof Response) return user;
  const search = new URL(req.url).searchParams;
  const at = sampleTimeSchema.safeParse(search.get("at"));
  if (!at.success)
    return Response.json({ error: { code: "invalid", message: "`at` must be an ISO time." } }, { status: 422 });
  const shown = await consolidationHost(db, user, search.get("host"));
  const host = shown === "unknown" ? null : await findTick(new Date(at.data), shown.hostId);
  if (!host) {
    return Response.json(
      {
        error: {
          code: "not-found",
          message:
            shown === "unknown"
              ? "No such host: pick one from the consolidation page."
              : "No sample at that time; samples are kept at full detail for an hour.",
        },
      },
      { status: 404 },
    );
  }
  return Response.json(await readCpuAverages(host), { headers: { "Cache-Control": "no-store" } });
}
