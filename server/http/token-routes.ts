import { createTokenSchema, passwordTokenSchema } from "../../lib/shared/protocol";
import { BODY_BOUNDS } from "../../lib/shared/protocol/limits";
import { endSession, resolveSession } from "../auth/sessions";
import { parseInput } from "../errors";
import type { HttpDeps } from "./deps";
import { jsonBody, jsonUpTo } from "./request-body";
import type { RouteTable } from "./route-table";

/** A person's own API tokens (server/auth/api-tokens.ts). */
export function addTokenRoutes(routes: RouteTable, { tokens, users, db }: HttpDeps): void {
  // Sign-in for clients that are not browsers (the CLI): the same checks and throttling as
  // /api/auth/login, then a token; the session sign-in makes is ended before answering.
  routes.add(
    "POST",
    "/api/auth/token",
    "public",
    async (c) => {
      const { username, password, ...token } = parseInput(passwordTokenSchema, await jsonBody(c));
      const session = await users.login({ username, password }, c.get("meta"));
      try {
        const actor = (await resolveSession(db, session.token))!;
        c.set("actor", actor);
        const created = await tokens.create(actor, token);
        c.set("auditTarget", created.token.id);
        return c.json(created, 201);
      } finally {
        await endSession(db, session.token);
      }
    },
    { body: jsonUpTo(BODY_BOUNDS.form, passwordTokenSchema), audit: "token.create" },
  );
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
    { body: jsonUpTo(BODY_BOUNDS.form, createTokenSchema), audit: "token.create" },
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
