import "server-only";
import { cookies } from "next/headers";
import { apiRequest, type ApiResult } from "../shared/api-client";
import { daemonUrl } from "./daemon";
import { SESSION_COOKIE } from "./session-token";

/**
 * A read from the daemon's API on behalf of the signed-in person, for figures only the
 * daemon has (disk usage, the audit trail's filters): their session cookie goes along, so
 * the daemon applies the same rules it applies to the browser.
 */
export async function daemonGet<T>(path: string): Promise<ApiResult<T>> {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  return apiRequest<T>(`${daemonUrl()}${path}`, {
    headers: token ? { cookie: `${SESSION_COOKIE}=${token}` } : {},
  });
}
