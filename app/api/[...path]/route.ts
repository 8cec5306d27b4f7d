import { daemonUrl } from "@/lib/server/daemon";
import { daemonFetch } from "@/lib/shared/daemon-fetch";
import { imageSettings } from "@/lib/server/image-settings";
import { JSON_BODY_MAX, readBounded, UPLOAD_ROUTE } from "@/lib/shared/protocol/limits";
import { RELAY_HEADER } from "@/lib/shared/protocol/relay";
import { relaySecret } from "@/lib/server/relay-secret";

// Every /api request goes to the host daemon unchanged: it validates, authorizes and acts.
// This handler only relays, so the browser talks to one address — within a bound: a JSON
// body is read here up to the largest any route takes, an image upload streams through up
// to CORRAL_UPLOAD_MAX_MIB, and anything larger is refused before the daemon sees it.
export const dynamic = "force-dynamic";

// Not passed on: hop-by-hop headers, and the relay's proof, which only this relay may set.
const NOT_RELAYED = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "upgrade",
  "host",
  "content-length",
  RELAY_HEADER,
]);

class TooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super("request body over the relay's bound");
  }
}

/** fetch() reports a failed request body as a TypeError caused (perhaps indirectly) by it. */
function causedByTooLarge(err: unknown): boolean {
  for (let e = err; e; e = (e as { cause?: unknown }).cause) if (e instanceof TooLarge) return true;
  return false;
}

function refuse(status: number, code: string, message: string): Response {
  // The body was not read to its end: the browser's connection must not be reused.
  return Response.json({ error: { code, message } }, { status, headers: { connection: "close" } });
}

const mib = (n: number) => (n >= 1024 * 1024 ? `${Math.round(n / 1024 / 1024)} MiB` : `${n / 1024} KiB`);

/** Passes a body through, failing it (and so the daemon's request) once it passes `maxBytes`. */
function streamBounded(body: ReadableStream<Uint8Array>, maxBytes: number): ReadableStream<Uint8Array> {
  let size = 0;
  return body.pipeThrough(
    new TransformStream({
      transform(chunk, controller) {
        size += chunk.byteLength;
        if (size > maxBytes) controller.error(new TooLarge(maxBytes));
        else controller.enqueue(chunk);
      },
    }),
  );
}

async function relay(req: Request, { params }: { params: Promise<{ path: string[] }> }): Promise<Response> {
  const { path } = await params;
  const url = new URL(req.url);
  const apiPath = `/api/${path.map(encodeURIComponent).join("/")}`;
  const target = `${daemonUrl()}${apiPath}${url.search}`;
  const headers = new Headers();
  req.headers.forEach((v, k) => {
    if (!NOT_RELAYED.has(k)) headers.set(k, v);
  });
  // The daemon takes X-Forwarded-For (set by scripts/web-server.ts) only with this proof.
  const secret = await relaySecret();
  if (secret) headers.set(RELAY_HEADER, secret);

  const declared = Number(req.headers.get("content-length") ?? 0);
  const hasBody =
    req.method !== "GET" &&
    req.method !== "HEAD" &&
    req.body !== null &&
    (declared > 0 || req.headers.has("transfer-encoding"));
  const upload = apiPath === UPLOAD_ROUTE;
  const maxBytes = upload ? imageSettings().uploadMaxBytes : JSON_BODY_MAX;
  const tooLarge = () =>
    refuse(
      413,
      "too-large",
      upload
        ? `The file is too large: uploads are limited to ${mib(maxBytes)} (CORRAL_UPLOAD_MAX_MIB).`
        : `The request body is larger than Corral takes (at most ${mib(maxBytes)}).`,
    );
  if (declared > maxBytes) return tooLarge();
  try {
    let body: BodyInit | undefined;
    if (hasBody && upload)
      body = streamBounded(req.body!, maxBytes); // gigabytes: streamed, never buffered
    else if (hasBody) {
      const bytes = await readBounded(req.body!, maxBytes);
      if (!bytes) return tooLarge();
      body = bytes as BodyInit;
    }
    const res = await daemonFetch(target, {
      method: req.method,
      headers,
      body,
      redirect: "manual",
      signal: req.signal,
      ...(body instanceof ReadableStream ? { duplex: "half" } : {}),
    } as RequestInit);
    const out = new Headers(res.headers);
    out.delete("content-encoding");
    out.delete("content-length");
    return new Response(res.body, { status: res.status, headers: out });
  } catch (err) {
    if (causedByTooLarge(err)) return tooLarge();
    return Response.json(
      {
        error: {
          code: "unavailable",
          message: "The host daemon is not reachable. Is it running? (npm start runs both.)",
        },
      },
      { status: 502 },
    );
  }
}

export { relay as GET, relay as POST, relay as PUT, relay as PATCH, relay as DELETE };
