// How large a request body may be. The daemon's route table gives every route one of these
// bounds (none at all unless the route says otherwise); the web's /api relay refuses
// anything over the largest before passing it on. Image uploads have their own bound,
// CORRAL_UPLOAD_MAX_MIB, and are streamed to disk.
const KIB = 1024;

export const BODY_BOUNDS = {
  /** Sign-in, people, names, snapshots, imports, Debian builds: a few short fields. */
  form: 8 * KIB,
  /** A guest's settings: up to 16 KiB of SSH keys, port forwards, a root password. */
  guest: 64 * KIB,
  /** A bulk action: up to BULK_MAX guest ids, or a filter. */
  bulk: 32 * KIB,
} as const;

/** The largest JSON body any route takes: what the web's relay lets through. */
export const JSON_BODY_MAX = Math.max(...Object.values(BODY_BOUNDS));

/** The one route whose body is a file, bounded by CORRAL_UPLOAD_MAX_MIB instead. */
export const UPLOAD_ROUTE = "/api/images/upload";

/** A request body is JSON when it says so: application/json or application/*+json. */
export function isJsonContentType(type: string | null | undefined): boolean {
  const media = (type ?? "").split(";")[0].trim().toLowerCase();
  return media === "application/json" || /^application\/[a-z0-9.+-]+\+json$/.test(media);
}

/**
 * A body read as it streams in, or null the moment it passes `maxBytes` (the rest is left
 * unread: the caller refuses the request and closes the connection).
 */
export async function readBounded(body: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array | null> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      // Not cancelled: that would tear the connection down under a client still sending,
      // which could then lose the answer. The server closes it after answering instead.
      reader.releaseLock();
      return null;
    }
    chunks.push(value);
  }
  const whole = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    whole.set(c, at);
    at += c.byteLength;
  }
  return whole;
}
