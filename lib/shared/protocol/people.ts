// People: usernames, roles, login and passwords, users and quotas, and the audit log.
import { z } from "zod";

export const usernameSchema = z
  .string()
  .regex(
    /^[a-z][a-z0-9_.-]{1,31}$/,
    "Use 2–32 characters: lower-case letters, digits, '.', '_' and '-', starting with a letter.",
  );
export const passwordSchema = z.string().min(10, "Use at least 10 characters.").max(200, "Use at most 200 characters.");
export const roleSchema = z.enum(["admin", "developer", "manager"], { error: "Choose admin, developer or manager." });

export const loginSchema = z.strictObject({
  username: z.string().min(1, "Enter your username.").max(64),
  password: z.string().min(1, "Enter your password.").max(200),
});
export const changePasswordSchema = z.strictObject({
  currentPassword: z.string().min(1).max(200),
  newPassword: passwordSchema,
});

const quotaNumber = (max: number) => z.number().int().min(0).max(max).nullable();
export const quotaSchema = z.strictObject({
  maxGuests: quotaNumber(10_000).optional(),
  maxMemoryMiB: quotaNumber(10_000_000).optional(),
  maxDiskMiB: quotaNumber(100_000_000).optional(),
});
export const createUserSchema = z.strictObject({
  username: usernameSchema,
  displayName: z.string().trim().min(1).max(64).optional(),
  role: roleSchema,
  /** Omit to have a password generated; it is returned once. */
  password: passwordSchema.optional(),
  quota: quotaSchema.optional(),
});
export const updateUserSchema = z.strictObject({
  displayName: z.string().trim().min(1).max(64).nullable().optional(),
  role: roleSchema.optional(),
  disabled: z.boolean().optional(),
  quota: quotaSchema.optional(),
});
export const resetPasswordSchema = z.strictObject({ password: passwordSchema.optional() });

export interface QuotaView {
  maxGuests: number;
  maxMemoryMiB: number;
  maxDiskMiB: number;
}
export interface UsageView {
  guests: number;
  memoryMiB: number;
  /** Allocated on disk: the guests' changes and snapshots, and the images this person committed. */
  diskMiB: number;
  /** Images this person committed from their guests (counted in diskMiB). */
  images: number;
}
export interface UserView {
  id: string;
  username: string;
  displayName: string | null;
  role: "admin" | "developer" | "manager";
  disabled: boolean;
  createdAt: string;
  /** Developers only: the limits in force (site defaults where not set). */
  quota: QuotaView | null;
  usage: UsageView;
}
export interface MeView {
  user: UserView;
}

export const AUDIT_OUTCOMES = ["ok", "denied", "failed"] as const;
export const auditQuerySchema = z.strictObject({
  actor: z.string().max(64).optional(),
  action: z.string().max(64).optional(),
  outcome: z.enum(AUDIT_OUTCOMES).optional(),
  since: z.iso.datetime().optional(),
  until: z.iso.datetime().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export interface AuditEntryView {
  id: number;
  at: string;
  actor: string | null;
  ip: string | null;
  action: string;
  target: string | null;
  outcome: (typeof AUDIT_OUTCOMES)[number];
  detail: string | null;
  /** The host whose daemon recorded it: the one that did what it says. */
  host: string | null;
}
export interface AuditVerifyView {
  ok: boolean;
  entries: number;
  /** The first entry whose hash does not follow from its predecessor. */
  brokenAt: number | null;
  reason: string | null;
}
