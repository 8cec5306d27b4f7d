// Path parameters, parsed the same way by every route: a malformed one is "not found", as
// a well-formed one that names nothing is.
import { bootNumberSchema, guestIdSchema } from "../../lib/shared/protocol";
import { NO_SUCH_GUEST, notFound } from "../errors";

export function guestId(raw: string | undefined): string {
  const r = guestIdSchema.safeParse(raw);
  if (!r.success) throw notFound(NO_SUCH_GUEST);
  return r.data;
}

export function bootNumber(raw: string | undefined): number {
  const r = bootNumberSchema.safeParse(raw);
  if (!r.success) throw notFound("No such boot.");
  return r.data;
}

export function snapshotId(raw: string | undefined): string {
  const r = guestIdSchema.safeParse(raw);
  if (!r.success) throw notFound("No such snapshot of this guest.");
  return r.data;
}
