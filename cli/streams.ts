// Response bodies to stdout as they arrive, minding backpressure and a closed pipe
// (`corral boots log g | head` must end quietly).
import { once } from "node:events";

export async function pipeResponse(res: Response): Promise<void> {
  if (!res.body) return;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    if (!(await writeOut(chunk))) return;
  }
}

/** Writes to stdout; false once the reader has gone (EPIPE). */
export async function writeOut(data: Uint8Array | string): Promise<boolean> {
  if (process.stdout.destroyed) return false;
  if (process.stdout.write(data)) return true;
  const drained = once(process.stdout, "drain").then(() => true);
  const closed = once(process.stdout, "close").then(() => false);
  return Promise.race([drained, closed]);
}
