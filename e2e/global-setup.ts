import fs from "node:fs";
import path from "node:path";
import { request, type FullConfig } from "@playwright/test";

export const ADMIN = { username: "admin", password: "e2e-admin-password" };
export const ADMIN_STATE = path.join(path.dirname(new URL(import.meta.url).pathname), ".auth/admin.json");

/** Signs the test admin in once (the daemon created it from CORRAL_ADMIN_PASSWORD) and keeps the session. */
export default async function globalSetup(config: FullConfig): Promise<void> {
  const baseURL = config.projects[0].use.baseURL!;
  // The fleet's run (playwright.fleet.config.ts) keeps its own session.
  const state = (config.projects[0].use.storageState as string | undefined) ?? ADMIN_STATE;
  const ctx = await request.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL } });
  const res = await ctx.post("/api/auth/login", { data: ADMIN });
  if (!res.ok()) throw new Error(`e2e admin sign-in failed: ${res.status()} ${await res.text()}`);
  fs.mkdirSync(path.dirname(state), { recursive: true });
  await ctx.storageState({ path: state });
  await ctx.dispose();
}
