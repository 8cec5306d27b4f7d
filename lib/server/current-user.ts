import "server-only";
import { cookies, headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { can, type Action } from "../shared/permissions";
import { SESSION_COOKIE, sessionIdFor } from "./session-token";
import { loginPath, PATH_HEADER, signedInUser, type SignedInUser } from "../shared/session-user";
import { db } from "./web-db";

export type { SignedInUser } from "../shared/session-user";

/**
 * The signed-in user of this request, or null. The daemon creates and ends sessions; the
 * web only reads them, so an expired session or a disabled account is refused here too,
 * not just at the daemon. Cached per request: a page, its metadata and its layout share one lookup.
 */
export const currentUser = cache(async (): Promise<SignedInUser | null> => {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  if (!token) return null;
  const session = await db.session.findUnique({
    where: { id: sessionIdFor(token) },
    select: {
      expiresAt: true,
      user: { select: { id: true, username: true, displayName: true, role: true, disabled: true } },
    },
  });
  return signedInUser(session, new Date());
});

/**
 * The signed-in user, or a redirect to the sign-in page that comes back here. Every page
 * that reads the database calls this itself: a layout is not re-rendered on every
 * navigation, so a check there alone would not guard the page.
 */
export async function requireUser(): Promise<SignedInUser> {
  const user = await currentUser();
  if (!user) redirect(loginPath((await headers()).get(PATH_HEADER) ?? "/"));
  return user;
}

/** The signed-in user if they may `action`; otherwise the 403 page. */
export async function requireAllowed(action: Action): Promise<SignedInUser> {
  const user = await requireUser();
  if (!can(user, action)) forbidden();
  return user;
}

/** For route handlers: the user, or the 401/403 response to send instead. */
export async function authorizeRequest(action: Action): Promise<SignedInUser | Response> {
  const user = await currentUser();
  if (!user) return Response.json({ error: { code: "unauthenticated", message: "Sign in first." } }, { status: 401 });
  if (!can(user, action)) {
    return Response.json({ error: { code: "forbidden", message: "Your role may not see this." } }, { status: 403 });
  }
  return user;
}
