// A host joining a fleet whose built-in image another host built gets that very file
// (image-library.ts ensureDefaultImage says when). Until it has it, guests on the built-in
// image are not placed here; it tries again until a host that has it answers.
import type { Db } from "../db";
import { CorralError } from "../errors";
import { logger } from "../log";
import { DEFAULT_IMAGE_NAME } from "./default-image";
import type { ImageCopier } from "./image-copier";

const log = logger("images");
export const FETCH_RETRY_MS = 30_000;

/** Fetches the built-in image to this host, trying again every `retryMs` while it fails; returns a stop. */
export async function fetchDefaultImage(db: Db, copier: ImageCopier, retryMs = FETCH_RETRY_MS): Promise<() => void> {
  const image = await db.image.findUniqueOrThrow({ where: { name: DEFAULT_IMAGE_NAME }, select: { id: true } });
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const attempt = async (): Promise<void> => {
    let why: string;
    try {
      const end = await (await copier.start(image.id)).done;
      if (end.state === "ready") return;
      why = end.error ?? "it failed";
    } catch (err) {
      // Here already, or on its way (an admin asked): nothing left for this to do.
      if (err instanceof CorralError && err.kind === "conflict" && /already/.test(err.message)) return;
      why = err instanceof Error ? err.message : String(err);
    }
    log.warn(
      `the built-in image "${DEFAULT_IMAGE_NAME}" is not on this host yet: guests on it are not placed here until it is ` +
        `copied (trying again in ${retryMs / 1000} s)`,
      { why },
    );
    if (!stopped) timer = setTimeout(() => void attempt(), retryMs).unref();
  };
  await attempt();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
