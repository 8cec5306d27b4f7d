// fetch() for clients of the host daemon (the web's relay and reads, tests, scripts).
//
// Hazard: a keep-alive socket can be closed by the server just as a client reuses it — the
// daemon keeps idle connections far longer than fetch does (server/index.ts), but a
// client whose event loop was blocked for a while can still pick a socket the daemon
// has just closed, and the request fails with "other side closed" (ECONNRESET, EPIPE)
// before the daemon saw any of it. An idempotent request without a streamed body is then
// safe to send once more on a fresh connection; anything else is reported as it is.
const IDEMPOTENT = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]);
const STALE_SOCKET = new Set(["UND_ERR_SOCKET", "ECONNRESET", "EPIPE", "UND_ERR_CLOSED"]);

export function isStaleSocketError(err: unknown): boolean {
  const cause = (err as { cause?: { code?: unknown } } | null)?.cause;
  return err instanceof TypeError && typeof cause?.code === "string" && STALE_SOCKET.has(cause.code);
}

export async function daemonFetch(input: string | URL, init: RequestInit = {}): Promise<Response> {
  try {
    return await fetch(input, init);
  } catch (err) {
    const method = (init.method ?? "GET").toUpperCase();
    const replayable = IDEMPOTENT.has(method) && !(init.body instanceof ReadableStream);
    if (!replayable || !isStaleSocketError(err) || init.signal?.aborted) throw err;
    return fetch(input, init);
  }
}
