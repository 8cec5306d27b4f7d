// API tokens: a person's credentials for scripts and the `corral` command line, sent as
// `Authorization: Bearer corral_…` to the daemon's API and socket.io.
import { z } from "zod";

/** Every token's secret starts with this, so a leaked one is recognisable (secret scanners). */
export const TOKEN_PREFIX = "corral_";
/** How many tokens one person may hold at once. */
export const MAX_TOKENS_PER_PERSON = 50;

export const TOKEN_SCOPES = ["role", "read"] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

export const createTokenSchema = z.strictObject({
  name: z.string().trim().min(1, "Name the token (e.g. what script uses it).").max(64, "Use at most 64 characters."),
  scope: z.enum(TOKEN_SCOPES, {
    error: "Choose role (all your role allows) or read (only actions that change nothing).",
  }),
  /** When it stops working; null: never (until revoked). */
  expiresAt: z.iso
    .datetime({ offset: true, error: "Give the expiry as an ISO-8601 date and time, e.g. 2027-01-31T00:00:00Z." })
    .nullable()
    .refine((v) => v === null || Date.parse(v) > Date.now(), "Choose an expiry in the future."),
});
export type CreateTokenInput = z.infer<typeof createTokenSchema>;

export interface ApiTokenView {
  id: string;
  name: string;
  scope: TokenScope;
  expiresAt: string | null;
  createdAt: string;
  lastUsedAt: string | null;
}
export interface ApiTokenListView {
  tokens: ApiTokenView[];
}
export interface CreatedTokenView {
  token: ApiTokenView;
  /** Shown once: only its hash is stored. */
  secret: string;
}

/**
 * `corral login` and scripts: a name and password traded for a token in one request, so a
 * client that is not a browser never holds a session cookie (POST /api/auth/token).
 */
export const passwordTokenSchema = z.strictObject({
  username: z.string().min(1, "Enter your username.").max(64),
  password: z.string().min(1, "Enter your password.").max(200),
  ...createTokenSchema.shape,
});
