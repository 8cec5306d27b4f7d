// The CLI's way to the host daemon: the shared API client (lib/shared/api-client.ts, which
// retries an idempotent request once on a stale keep-alive socket) with the token attached,
// and every failure turned into a CliError that says what to do and carries its exit code.
import { apiRequest } from "../lib/shared/api-client";
import { daemonFetch } from "../lib/shared/daemon-fetch";
import type { Connection } from "./config";
import { CliError, EXIT, exitCodeForStatus } from "./exit-codes";

type Method = "GET" | "POST" | "PATCH" | "DELETE";

export class Api {
  constructor(readonly connection: Connection) {}

  get url(): string {
    return this.connection.url;
  }

  headers(): Record<string, string> {
    return this.connection.secret ? { authorization: `Bearer ${this.connection.secret}` } : {};
  }

  async request<T>(method: Method, path: string, body?: unknown, held = false): Promise<T> {
    const result = await apiRequest<T>(this.url + path, { method, body, headers: this.headers(), held });
    if (result.ok) return result.data;
    throw this.failure(result.status, result.message, result.fields);
  }

  get = <T>(path: string) => this.request<T>("GET", path);
  post = <T>(path: string, body?: unknown) => this.request<T>("POST", path, body ?? {});
  /** Long work: the daemon answers at once and says it goes on until it ends (lib/shared/held-answer.ts). */
  postLong = <T>(path: string, body?: unknown) => this.request<T>("POST", path, body ?? {}, true);
  patch = <T>(path: string, body: unknown) => this.request<T>("PATCH", path, body);
  delete = (path: string) => this.request<void>("DELETE", path);

  /** A response whose body the caller streams (boot logs, uploads); refused answers throw. */
  async raw(path: string, init: RequestInit = {}): Promise<Response> {
    let res: Response;
    try {
      res = await daemonFetch(this.url + path, { ...init, headers: { ...this.headers(), ...init.headers } });
    } catch (err) {
      if ((err as Error).name === "AbortError") throw err;
      throw this.failure(0, "");
    }
    if (res.ok) return res;
    const text = await res.text().catch(() => "");
    let message = `The daemon answered HTTP ${res.status}.`;
    let fields: Record<string, string> = {};
    try {
      const parsed = JSON.parse(text) as { error?: { message?: string; fields?: Record<string, string> } };
      message = parsed.error?.message ?? message;
      fields = parsed.error?.fields ?? {};
    } catch {}
    throw this.failure(res.status, message, fields);
  }

  /** The daemon's message, with what to do next where the status says it. */
  failure(status: number, message: string, fields: Record<string, string> = {}): CliError {
    const code = exitCodeForStatus(status);
    if (status === 0)
      return new CliError(
        `Cannot reach Corral at ${this.url}. Check that the host daemon runs there, or give its address with --url or CORRAL_URL.`,
        code,
      );
    if (status === 401) {
      const how =
        this.connection.source === "env"
          ? "CORRAL_TOKEN was refused (expired, revoked, or its person disabled): set a valid token."
          : "Run `corral login` to sign in.";
      return new CliError(`Not signed in to ${this.url}: ${message} ${how}`, code, fields);
    }
    return new CliError(message, code, fields);
  }
}

export const notFound = (message: string) => new CliError(message, EXIT.notFound);
