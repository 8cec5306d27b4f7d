import "server-only";
import { webEnv } from "./env";

/** The daemon's import settings as the web shows them (the same environment, the same defaults). */
export function imageSettings(): { importDir: string; uploadMaxBytes: number } {
  const { importDir, uploadMaxBytes } = webEnv();
  return { importDir, uploadMaxBytes };
}
