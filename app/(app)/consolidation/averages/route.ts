import { authorizeRequest } from "@/lib/server/current-user";
import { findTick, readCpuAverages } from "@/lib/server/metric-queries";
import { sampleTimeSchema } from "@/lib/shared/protocol";

export const dynamic = "force-dynamic";

/**
 * Every guest's 10-minute CPU average at the tick `?at=` names: what the live consolidation
 * page fetches with each new tick, so that it never holds every guest's samples.
 */
export async function GET(req: Request): Promise<Response> {
  const user = await authorizeRequest("metrics.read");
  if (user instanceof Response) return user;
  const at = sampleTimeSchema.safeParse(new URL(req.url).searchParams.get("at"));
  if (!at.success)
    return Response.json({ error: { code: "invalid", message: "`at` must be an ISO time." } }, { status: 422 });
  const host = await findTick(new Date(at.data));
  if (!host) {
    return Response.json(
      { error: { code: "not-found", message: "No sample at that time; samples are kept at full detail for an hour." } },
      { status: 404 },
    );
  }
  return Response.json(await readCpuAverages(host), { headers: { "Cache-Control": "no-store" } });
}
