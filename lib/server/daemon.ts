import "server-only";

/** Where the web server reaches the host daemon's HTTP API (server side only). */
export function daemonUrl(): string {
  return process.env.CORRAL_DAEMON_URL || `http://127.0.0.1:${process.env.CORRAL_DAEMON_PORT || 4001}`;
}

/**
 * Where the browser reaches the daemon's socket.io: the same host the page came from, on
 * the daemon's port, unless CORRAL_DAEMON_PUBLIC_URL says otherwise (e.g. behind a proxy).
 */
export function publicDaemonUrl(requestHost: string | null, forwardedProto: string | null): string {
  if (process.env.CORRAL_DAEMON_PUBLIC_URL) return process.env.CORRAL_DAEMON_PUBLIC_URL;
  const host = (requestHost ?? "localhost").replace(/:\d+$/, "");
  const proto = forwardedProto === "https" ? "https" : "http";
  return `${proto}://${host}:${process.env.CORRAL_DAEMON_PORT || 4001}`;
}
