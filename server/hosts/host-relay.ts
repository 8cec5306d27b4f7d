// Reads that need a file on another host's disk (a boot's log) are passed to that host's
// daemon with the reader's own credentials — the fleet shares one database, so the same
// session or token signs them in there and that daemon authorizes them itself. Only GET.
import type { Context } from "hono";
import type { Db } from "../db";
import { unavailable } from "../errors";
import type { AppEnv } from "../http/request-context";
import { findGuestPlace, type ThisHost } from "./guest-host";

/** How long the other daemon has to start answering (the body then streams as it comes). */
const ANSWER_MS = 30_000;
const PASSED_BACK = ["content-type", "content-disposition", "cache-control"];

/**
 * The other host's answer to this same GET when another host runs guest `id`; null when
 * this daemon runs it (or no daemon has claimed it yet).
 */
export async function relayGuestRead(c: Context<AppEnv>, db: Db, here: ThisHost, id: string): Promise<Response | null> {
  const guest = await findGuestPlace(db, id);
  if (!guest?.hostId || guest.hostId === here.id) return null;
  const host = await db.host.findUnique({ where: { id: guest.hostId }, select: { name: true, address: true } });
  if (!host) return null;
  const url = new URL(c.req.url);
  const headers: Record<string, string> = {};
  for (const name of ["authorization", "cookie"]) {
    const value = c.req.header(name);
    if (value) headers[name] = value;
  }
  let res: Response;
  try {
    res = await fetch(new URL(url.pathname + url.search, host.address), {
      headers,
      redirect: "error",
      signal: AbortSignal.timeout(ANSWER_MS),
    });
  } catch (err) {
    throw unavailable(
      `This guest runs on host ${host.name}, whose daemon did not answer (${(err as Error).message}); try again when it is reachable.`,
    );
  }
  const out = new Headers();
  for (const name of PASSED_BACK) {
    const value = res.headers.get(name);
    if (value) out.set(name, value);
  }
  return new Response(res.body, { status: res.status, headers: out });
}
