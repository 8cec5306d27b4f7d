// Long work (moving a guest, evacuating a host) answered over one request without holding
// the answer back. A client that sends HELD_HEADER (the keep-alive interval it wants, in ms)
// to a route that takes it gets headers at once and a newline every interval while the work
// goes on, then one JSON line: the status, type and text the route would have answered.
//
// Why: every hop between a person and the daemon doing the work gives up on an answer that
// is slow to start — fetch's undici waits 300 s for headers and 300 s between bytes, browsers
// have their own limits, the web's relay is a fetch too. Bytes flowing keep each of them
// waiting, and a daemon that dies halfway ends the stream without the last line, which
// readHeldAnswer reports as a failure: the caller still learns that the work did not end well.
export const HELD_HEADER = "corral-held-answer";
export const HELD_TYPE = "application/vnd.corral.held+x-ndjson";
/** A person's client: how long it waits without a byte before it gives up on the daemon. */
export const HELD_IDLE_MS = 60_000;

export interface HeldEnd {
  status: number;
  type: string;
  text: string;
}

/** The keep-alive interval to ask for, so that `idleMs` without a byte means the other end is gone. */
export const keepaliveFor = (idleMs: number) => String(Math.max(50, Math.floor(idleMs / 4)));

/** Why a held answer ended without its last line (the daemon died, or stopped sending). */
export class HeldAnswerBroken extends Error {}

/**
 * The answer `res` stands for: itself unless it is a held one, else a Response made of its
 * last line once it comes. Throws HeldAnswerBroken when the stream ends without that line or
 * sends nothing for `idleMs`.
 */
export async function readHeldAnswer(res: Response, idleMs: number): Promise<Response> {
  if (!res.headers.get("content-type")?.startsWith(HELD_TYPE) || !res.body) return res;
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let idle: ReturnType<typeof setTimeout> | undefined;
  let giveUp: (err: Error) => void = () => {};
  const quiet = new Promise<never>((_, reject) => (giveUp = reject));
  const rearm = () => {
    clearTimeout(idle);
    idle = setTimeout(() => giveUp(new HeldAnswerBroken(`nothing came for ${Math.round(idleMs / 1000)} s`)), idleMs);
  };
  rearm();
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), quiet]);
      if (done) break;
      rearm();
      text += decoder.decode(value, { stream: true });
    }
  } catch (err) {
    await reader.cancel().catch(() => {});
    if (err instanceof HeldAnswerBroken) throw err;
    throw new HeldAnswerBroken(`the answer broke off (${causeOf(err)})`);
  } finally {
    clearTimeout(idle);
  }
  const last = text.trim().split("\n").pop();
  let end: HeldEnd | null = null;
  try {
    end = last ? (JSON.parse(last) as HeldEnd) : null;
  } catch {}
  if (!end || typeof end.status !== "number")
    throw new HeldAnswerBroken("the answer ended before the work did (its daemon may have stopped)");
  return new Response(end.text, { status: end.status, headers: { "content-type": end.type } });
}

const causeOf = (err: unknown) => {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  return e.cause?.code ?? e.cause?.message ?? e.message;
};
