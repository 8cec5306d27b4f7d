import path from "node:path";
import { bundleEntry } from "../bundle";

/**
 * The keeper as one plain JavaScript file in the run directory, built from its sources when
 * the daemon starts it (server/bundle.ts). Run through tsx it doubled its memory and page
 * tables, and every kernel and slirp4netns it forks copies those page tables and faults its
 * pages back.
 */
export function bundleKeeper(projectRoot: string, runDir: string): Promise<string> {
  return bundleEntry(projectRoot, "server/keeper/main.ts", path.join(runDir, "keeper.mjs")).catch((err: Error) => {
    throw new Error(`the console keeper: ${err.message}`);
  });
}
