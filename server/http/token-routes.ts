import { BODY_BOUNDS } from "../../lib/shared/protocol/limits";
import type { HttpDeps } from "./deps";
import { jsonBody, jsonUpTo } from "./request-body";
import type { RouteTable } from "./route-table";

/** A person's own API tokens (server/auth/api-tokens.ts). */
export function addTokenRoutes(routes: RouteTable, { tokens }: HttpDeps): void {
  routes.add("GET", "/api/account/tokens", "signed-in", async (c) => c.json(await tokens.list(c.get("actor")!)));
  routes.add(
    "POST",
    "/api/account/tokens",
    "account.manage",
    async (c) => {
      const created = await tokens.create(c.get("actor")!, await jsonBody(c));
      c.set("auditTarget", created.token.id);
      return c.json(created, 201);
    },
    { body: jsonUpTo(BODY_BOUNDS.form), audit: "token.create" },
  );
  routes.add(
    "DELETE",
    "/api/account/tokens/:id",
    "account.manage",
    async (c) => {
      await tokens.revoke(c.get("actor")!, c.req.param("id")!);
      return c.body(null, 204);
    },
    { audit: "token.revoke" },
  );
}
