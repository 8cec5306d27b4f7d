import "server-only";
import path from "node:path";
import { dataDirectory } from "./database-url";

/** The daemon's import settings as the web shows them (the same environment, the same defaults). */
export function imageSettings(): { importDir: string; uploadMaxBytes: number } {
  const mib = Number(process.env.CORRAL_UPLOAD_MAX_MIB || 4096);
  return {
    importDir: process.env.CORRAL_IMPORT_DIR || path.join(/*turbopackIgnore: true*/ dataDirectory(), "import"),
    uploadMaxBytes: (Number.isFinite(mib) && mib > 0 ? mib : 4096) * 1024 * 1024,
  };
}
