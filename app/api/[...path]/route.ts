import { daemonUrl } from "@/lib/server/daemon";
import { daemonFetch } from "@/lib/shared/daemon-fetch";

// Every /api request goes to the host daemon unchanged: it validates, authorizes and acts.
// This handler only relays, so the browser talks to one address.
export const dynamic = "force-dynamic";

const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "upgrade", "host", "content-length"]);

async function relay(req: Request, { params }: { params: Promise<{ path: string[] }> }): Promise<Response> {
  const { path } = await params;
  const url = new URL(req.url);
  const target = `${daemonUrl()}/api/${path.map(encodeURIComponent).join("/")}${url.search}`;
  const headers = new Headers();
  req.headers.forEach((v, k) => {
    if (!HOP_BY_HOP.has(k)) headers.set(k, v);
  });
  try {
    // Bodies stream through, never buffered here: an image upload can be gigabytes.
    const hasBody = req.method !== "GET" && req.method !== "HEAD" && req.body !== null;
    const res = await daemonFetch(target, {
      method: req.method,
      headers,
      body: hasBody ? req.body : undefined,
      redirect: "manual",
      signal: req.signal,
      ...(hasBody ? { duplex: "half" } : {}),
    } as RequestInit);
    const out = new Headers(res.headers);
    out.delete("content-encoding");
    out.delete("content-length");
    return new Response(res.body, { status: res.status, headers: out });
  } catch {
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
