// The daemon's side of a held answer (lib/shared/held-answer.ts): headers at once, a newline
// every keep-alive interval while `work` runs, then its answer as one JSON line. A client
// gone meanwhile does not stop the work (a move half done must finish or undo itself).
import { HELD_TYPE, type HeldEnd } from "../../lib/shared/held-answer";

const MIN_MS = 50;
const MAX_MS = 60_000;

/** The keep-alive interval a request asks for with HELD_HEADER; null when it asks for none. */
export function heldKeepalive(header: string | undefined): number | null {
  if (header === undefined || !/^\d{1,6}$/.test(header)) return null;
  return Math.min(MAX_MS, Math.max(MIN_MS, Number(header)));
}

export function heldResponse(work: () => Promise<Response>, keepaliveMs: number): Response {
  const encoder = new TextEncoder();
  let timer: ReturnType<typeof setInterval> | undefined;
  let open = true;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (text: string) => {
        if (open) controller.enqueue(encoder.encode(text));
      };
      timer = setInterval(() => send("\n"), keepaliveMs);
      void work()
        .then(async (res): Promise<HeldEnd> => ({
          status: res.status,
          type: res.headers.get("content-type") ?? "application/json",
          text: await res.text(),
        }))
        .catch((err: Error): HeldEnd => ({
          status: 500,
          type: "application/json",
          text: JSON.stringify({ error: { code: "internal", message: `The work failed: ${err.message}` } }),
        }))
        .then((end) => {
          clearInterval(timer);
          send(`${JSON.stringify(end)}\n`);
          if (open) controller.close();
          open = false;
        });
    },
    cancel() {
      open = false;
      clearInterval(timer);
    },
  });
  return new Response(body, { status: 200, headers: { "content-type": HELD_TYPE, "cache-control": "no-store" } });
}
