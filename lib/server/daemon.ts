import "server-only";
import { webEnv } from "./env";

/** Where the web server reaches the host daemon's HTTP API (server side only). */
export function daemonUrl(): string {
  return webEnv().daemonUrl;
}

/**
 * Where the browser reaches the daemon's socket.io: the same host the page came from, on
 * the daemon's port, unless CORRAL_DAEMON_PUBLIC_URL says otherwise (e.g. behind a proxy).
 */
export function publicDaemonUrl(requestHost: string | null, forwardedProto: string | null): string {
  const env = webEnv();
  if (env.daemonPublicUrl) return env.daemonPublicUrl;
  const host = (requestHost ?? "localhost").replace(/:\d+$/, "");
  const proto = forwardedProto === "https" ? "https" : "http";
  return `${proto}://${host}:${env.daemonPort}`;
}
