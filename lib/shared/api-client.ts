// The browser's way to the host daemon: every call goes to /api on the web server, which
// relays it. A call either succeeds with data or fails with a message a person can act on;
// there is no third outcome, so no caller can mistake a failed response for success.
import { daemonFetch } from "./daemon-fetch";
import { HELD_HEADER, HELD_IDLE_MS, HeldAnswerBroken, keepaliveFor, readHeldAnswer } from "./held-answer";
import type { ApiError } from "./protocol";

export type ApiResult<T> =
  | { ok: true; status: number; data: T }
  | { ok: false; status: number; code: string; message: string; fields: Record<string, string> };

export const UNREACHABLE_MESSAGE =
  "Cannot reach Corral: the web server or the host daemon behind it is unreachable. Check that both are running.";

interface RequestOptions {
  method?: "GET" | "POST" | "PATCH" | "DELETE";
  body?: unknown;
  /** Read the body as text (boot logs) instead of JSON. */
  as?: "json" | "text";
  signal?: AbortSignal;
  /** Extra request headers (the web server forwarding a session cookie to the daemon). */
  headers?: Record<string, string>;
  /** Long work (a migration, an evacuation): ask for a held answer (held-answer.ts), which no hop gives up on. */
  held?: boolean;
}

export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<ApiResult<T>> {
  const { method = "GET", body, as = "json", signal, held = false } = options;
  const headers = held ? { ...options.headers, [HELD_HEADER]: keepaliveFor(HELD_IDLE_MS) } : (options.headers ?? {});
  let res: Response;
  try {
    res = await daemonFetch(path, {
      method,
      signal,
      cache: "no-store",
      headers:
        body === undefined
          ? { accept: "application/json", ...headers }
          : { "content-type": "application/json", accept: "application/json", ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    if ((err as Error).name === "AbortError") throw err;
    return failure(0, "unreachable", UNREACHABLE_MESSAGE);
  }
  if (held)
    try {
      res = await readHeldAnswer(res, HELD_IDLE_MS);
    } catch (err) {
      if (!(err instanceof HeldAnswerBroken)) throw err;
      return failure(
        502,
        "broken",
        `The answer broke off before the work ended: ${err.message}. Reload to see where it stands, then try again if need be.`,
      );
    }
  if (!res.ok) return failureFrom(res);
  if (res.status === 204) return { ok: true, status: res.status, data: undefined as T };
  try {
    const data = as === "text" ? await res.text() : await res.json();
    return { ok: true, status: res.status, data: data as T };
  } catch {
    return failure(res.status, "bad-response", `The server answered ${res.status} but its response could not be read.`);
  }
}

async function failureFrom(res: Response): Promise<ApiResult<never>> {
  const text = await res.text().catch(() => "");
  try {
    const parsed = JSON.parse(text) as Partial<ApiError>;
    if (parsed.error?.message) {
      return failure(res.status, parsed.error.code ?? "error", parsed.error.message, parsed.error.fields ?? {});
    }
  } catch {
    // Not the daemon's JSON: a proxy or the web server itself answered.
  }
  const what = res.status >= 500 ? "The server failed" : "The request was refused";
  return failure(res.status, "http", `${what} (HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ""}).`);
}

function failure(status: number, code: string, message: string, fields: Record<string, string> = {}): ApiResult<never> {
  return { ok: false, status, code, message, fields };
}

export const apiGet = <T>(path: string, signal?: AbortSignal) => apiRequest<T>(path, { signal });
export const apiPost = <T>(path: string, body?: unknown) => apiRequest<T>(path, { method: "POST", body });
export const apiPatch = <T>(path: string, body: unknown) => apiRequest<T>(path, { method: "PATCH", body });
export const apiDelete = (path: string) => apiRequest<void>(path, { method: "DELETE" });

/** `/api/guests/<id>…` with the id encoded, as every guest URL must be. */
export function guestApiPath(guestId: string, ...rest: (string | number)[]): string {
  return ["/api/guests", encodeURIComponent(guestId), ...rest.map((p) => encodeURIComponent(String(p)))].join("/");
}
