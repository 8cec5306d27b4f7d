// Typed errors the daemon raises; server/http/ maps each kind to a status code.
import type { z } from "zod";
import { zodFields } from "../lib/shared/zod-fields";

export type ErrorKind =
  | "invalid"
  | "unauthenticated"
  | "forbidden"
  | "not-found"
  | "conflict"
  | "insufficient"
  | "throttled"
  | "unavailable"
  | "too-large";

export class CorralError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = "CorralError";
  }
}

export const invalid = (message: string, fields?: Record<string, string>) =>
  new CorralError("invalid", message, fields);
export const notFound = (message: string) => new CorralError("not-found", message);
export const conflict = (message: string) => new CorralError("conflict", message);
export const insufficient = (message: string) => new CorralError("insufficient", message);
export const unavailable = (message: string) => new CorralError("unavailable", message);
export const unauthenticated = (message = "Sign in first.") => new CorralError("unauthenticated", message);
export const forbidden = (message: string) => new CorralError("forbidden", message);
export const tooLarge = (message: string) => new CorralError("too-large", message);
export const throttled = (message: string) => new CorralError("throttled", message);

/** A request body checked against its schema; `invalid` naming each field's problem when it fails. */
export function parseInput<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const r = schema.safeParse(body ?? {});
  if (!r.success) throw invalid("Some fields need attention.", zodFields(r.error));
  return r.data;
}
