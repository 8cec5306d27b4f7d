// Signing in to a test daemon as people and scripts do — the admin's session, other people's
// sessions, API tokens — and HTTP requests carrying them (TestDaemon, daemon-harness.ts, is one).
import { daemonFetch } from "../../lib/shared/daemon-fetch";
import { TOKEN_PREFIX } from "../../lib/shared/protocol";

export const ADMIN_PASSWORD = "test-admin-password";
/** The web origin the daemon trusts by default (CORRAL_WEB_PORT 3000). */
export const WEB_ORIGIN = "http://localhost:3000";

export interface ApiResult<T = unknown> {
  status: number;
  body: T;
}

/** A response as tests read it: its status, and its body as JSON (or as text when it is not). */
export async function apiResult<T>(res: Response): Promise<ApiResult<T>> {
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {}
  return { status: res.status, body: parsed as T };
}

/** An API token's secret, not a cookie (`corral_session=…`). */
export const isToken = (credential: string) => credential.startsWith(TOKEN_PREFIX) && !credential.includes("=");

/** Sessions, tokens and requests against the daemon at `url`. */
export abstract class DaemonSession {
  abstract get url(): string;

  private adminCookie: string | null = null;

  /** Signs in and returns the session cookie (`name=value`), or throws with the daemon's answer. */
  async login(username: string, password: string): Promise<string> {
    const res = await daemonFetch(`${this.url}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: WEB_ORIGIN },
      body: JSON.stringify({ username, password }),
    });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("corral_session="));
    if (res.status !== 200 || !cookie) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
    return cookie.split(";")[0];
  }

  /** The test admin's session (signed in once per daemon run). */
  async admin(): Promise<string> {
    this.adminCookie ??= await this.login("admin", ADMIN_PASSWORD);
    return this.adminCookie;
  }

  /** A new API token's secret, created with the given session cookie (default: the admin's). */
  async token(scope: "role" | "read", as?: string, expiresAt: string | null = null): Promise<string> {
    const name = `t-${scope}-${Math.random().toString(36).slice(2, 10)}`;
    const res = await this.api<{ secret: string }>("POST", "/api/account/tokens", { name, scope, expiresAt }, { as });
    if (res.status !== 201) throw new Error(`create token: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.secret;
  }

  /** Creates a user as the admin and returns their session cookie. */
  async userSession(username: string, role: "admin" | "developer" | "manager", quota?: object): Promise<string> {
    const password = `${username}-password-123`;
    const res = await this.api("POST", "/api/users", { username, role, password, quota });
    if (res.status !== 201) throw new Error(`create user ${username}: ${res.status} ${JSON.stringify(res.body)}`);
    return this.login(username, password);
  }

  /**
   * A request as a browser on Corral's own page would make it: the admin's session unless
   * `as` names another cookie (null: none), and Corral's Origin (null: none). An `as` that is
   * an API token (corral_…) is sent as a script would: `Authorization: Bearer`, no Origin.
   */
  async api<T = any>(
    method: string,
    p: string,
    body?: unknown,
    opts: { as?: string | null; origin?: string | null; signal?: AbortSignal } = {},
  ): Promise<ApiResult<T>> {
    const as = opts.as === undefined ? await this.admin() : opts.as;
    const bearer = !!as && isToken(as);
    const origin = opts.origin === undefined ? (bearer ? null : WEB_ORIGIN) : opts.origin;
    const headers: Record<string, string> = {};
    if (body !== undefined) headers["content-type"] = "application/json";
    if (as) headers[bearer ? "authorization" : "cookie"] = bearer ? `Bearer ${as}` : as;
    if (origin) headers.origin = origin;
    const res = await daemonFetch(this.url + p, {
      method,
      headers,
      signal: opts.signal,
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    return apiResult<T>(res);
  }
}
