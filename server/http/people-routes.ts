import { deleteCookie, setCookie } from "hono/cookie";
import type { z } from "zod";
import {
  auditQuerySchema,
  changePasswordSchema,
  createUserSchema,
  loginSchema,
  resetPasswordSchema,
  updateUserSchema,
} from "../../lib/shared/protocol";
import { BODY_BOUNDS } from "../../lib/shared/protocol/limits";
import { SESSION_COOKIE } from "../../lib/server/session-token";
import { sessionIdFor } from "../../lib/server/session-token";
import type { HttpDeps } from "./deps";
import { jsonBody, jsonUpTo } from "./request-body";
import type { RouteTable } from "./route-table";

const form = (schema: z.ZodType) => ({ body: jsonUpTo(BODY_BOUNDS.form, schema) });

/** Sign-in and sessions, user administration and the audit trail. */
export function addPeopleRoutes(routes: RouteTable, { users, audit, bus }: HttpDeps): void {
  routes.add(
    "POST",
    "/api/auth/login",
    "public",
    async (c) => {
      const { token, expiresAt, user } = await users.login(await jsonBody(c), c.get("meta"));
      setCookie(c, SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: "Lax",
        path: "/",
        expires: expiresAt,
        secure: c.req.header("x-forwarded-proto") === "https" || new URL(c.req.url).protocol === "https:",
      });
      return c.json({ user });
    },
    form(loginSchema),
  );
  routes.add("POST", "/api/auth/logout", "signed-in", async (c) => {
    const token = c.get("token");
    await users.logout(c.get("actor")!, token, c.get("meta"));
    if (token) bus.emit("session:ended", { sessionId: sessionIdFor(token) });
    deleteCookie(c, SESSION_COOKIE, { path: "/" });
    return c.body(null, 204);
  });
  routes.add("GET", "/api/auth/me", "signed-in", async (c) => c.json({ user: await users.me(c.get("actor")!) }));
  routes.add(
    "POST",
    "/api/auth/password",
    "account.manage",
    async (c) => {
      await users.changeOwnPassword(c.get("actor")!, await jsonBody(c), c.get("meta"));
      return c.body(null, 204);
    },
    form(changePasswordSchema),
  );

  routes.add("GET", "/api/users", "users.read", async (c) => c.json(await users.list()));
  routes.add(
    "POST",
    "/api/users",
    "users.manage",
    async (c) => c.json(await users.create(c.get("actor")!, await jsonBody(c), c.get("meta")), 201),
    form(createUserSchema),
  );
  routes.add(
    "PATCH",
    "/api/users/:id",
    "users.manage",
    async (c) => c.json(await users.update(c.get("actor")!, c.req.param("id")!, await jsonBody(c), c.get("meta"))),
    form(updateUserSchema),
  );
  routes.add(
    "POST",
    "/api/users/:id/password",
    "users.manage",
    async (c) =>
      c.json(await users.resetPassword(c.get("actor")!, c.req.param("id")!, await jsonBody(c), c.get("meta"))),
    form(resetPasswordSchema),
  );

  routes.add(
    "GET",
    "/api/audit",
    "audit.read",
    async (c) => c.json(await audit.query(c.get("query") as z.infer<typeof auditQuerySchema>)),
    { query: auditQuerySchema },
  );
  routes.add("GET", "/api/audit/verify", "audit.read", async (c) => c.json(await audit.verify()));
}
