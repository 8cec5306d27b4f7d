// Typed errors the daemon raises; server/http/ maps each kind to a status code.
import type { z } from "zod";
import { zodFields } from "../lib/shared/zod-fields";
import { isPrismaError, UNIQUE_VIOLATION } from "../lib/server/prisma-errors";

export type ErrorKind =
  | "invalid"
  | "unauthenticated"
  | "forbidden"
  | "not-found"
  | "conflict"
  | "insufficient"
  | "throttled"
  | "unavailable"
  | "too-large"
  | "unsupported";

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
/** Said the same way for a guest that does not exist and one this person may not see. */
export const NO_SUCH_GUEST = "No such guest. It may have been deleted.";
export const conflict = (message: string) => new CorralError("conflict", message);
export const insufficient = (message: string) => new CorralError("insufficient", message);
export const unavailable = (message: string) => new CorralError("unavailable", message);
export const unauthenticated = (message = "Sign in first.") => new CorralError("unauthenticated", message);
export const forbidden = (message: string) => new CorralError("forbidden", message);
export const tooLarge = (message: string) => new CorralError("too-large", message);
export const throttled = (message: string) => new CorralError("throttled", message);
export const unsupported = (message: string) => new CorralError("unsupported", message);

// What each unique constraint guards, as a person would name it.
const UNIQUE_NAMES: Record<string, string> = {
  "User.username": "A user with this username already exists. Choose another username.",
  "Guest.name": "A guest with this name already exists. Choose another name.",
  "Image.name": "An image with this name already exists. Choose another name.",
  "Image.path": "An image is already registered from this file.",
  "Snapshot.guestId,name": "This guest already has a snapshot with this name. Choose another name.",
  "PortForward.protocol,hostPort": "Another guest already forwards this host port. Choose another port.",
  "Guest.bridgeHost": "Another guest just took this bridge address. Try again.",
  "Boot.guestId,number": "Another boot of this guest was recorded at the same moment. Try again.",
};

/**
 * A database unique-constraint error (Prisma's P2002: two requests raced for one name) as
 * the conflict it is, naming what is taken; null for any other error. The driver adapters
 * report the columns under `driverAdapterError.cause.constraint`: better-sqlite3 as `fields`;
 * pg (7.x) as the unique index's `index` name, which Prisma writes `Model_field1_field2_key`
 * (Corral's fields are camelCase, so its parts are the fields).
 */
export function conflictFromUniqueViolation(err: unknown): CorralError | null {
  const e = err as {
    code?: unknown;
    meta?: {
      modelName?: unknown;
      target?: unknown;
      driverAdapterError?: { cause?: { constraint?: { fields?: unknown; index?: unknown } } };
    };
  } | null;
  if (!e || typeof e !== "object" || !isPrismaError(e, UNIQUE_VIOLATION)) return null;
  const model = typeof e.meta?.modelName === "string" ? e.meta.modelName : "record";
  const constraint = e.meta?.driverAdapterError?.cause?.constraint;
  const index = typeof constraint?.index === "string" ? constraint.index : "";
  const prefix = `${model}_`;
  const raw =
    constraint?.fields ??
    (index.startsWith(prefix) && index.endsWith("_key") ? index.slice(prefix.length, -4).split("_") : undefined) ??
    e.meta?.target;
  // PostgreSQL's adapter reads them from the error's detail, quoted where they have capitals ("guestId").
  const fields: string[] = (Array.isArray(raw) ? raw.map(String) : typeof raw === "string" ? [raw] : []).map((f) =>
    f.replace(/^"(.*)"$/, "$1"),
  );
  const known = UNIQUE_NAMES[`${model}.${fields.join(",")}`];
  const what = fields.length ? fields.join(" and ") : "name";
  return conflict(known ?? `Another ${model.toLowerCase()} already has this ${what}. Choose another.`);
}

/**
 * A request body checked against its schema; `invalid` naming each field's problem when it
 * fails. Only a body that is absent reads as {}: a JSON `null` is refused like any non-object.
 */
export function parseInput<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const r = schema.safeParse(body === undefined ? {} : body);
  if (r.success) return r.data;
  const whole = r.error.issues.find((i) => i.path.length === 0 && i.code === "invalid_type" && i.expected === "object");
  if (whole) throw invalid("The request body is a JSON object of fields, not a list or a single value.");
  throw invalid("Some fields need attention.", zodFields(r.error));
}
