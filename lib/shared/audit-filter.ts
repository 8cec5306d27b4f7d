// The audit page's filter, between its URL (a plain GET form) and the daemon's query.
import { auditQuerySchema } from "./protocol";

export const AUDIT_FILTER_KEYS = ["actor", "action", "outcome", "since", "until"] as const;
export type AuditFilter = Partial<Record<(typeof AUDIT_FILTER_KEYS)[number], string>>;

const MINUTE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;

/** A `datetime-local` value, read as UTC (the page says so), as the ISO time the daemon takes. */
export function utcFromLocalInput(value: string): string {
  return MINUTE.test(value) ? `${value.length === 16 ? `${value}:00` : value}Z` : value;
}

/** An ISO time back into a `datetime-local` value in UTC, to refill the form. */
export function localInputFromUtc(iso: string | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  return Number.isFinite(d.getTime()) ? d.toISOString().slice(0, 16) : "";
}

/**
 * The filter from the page's search parameters: blanks dropped, times made ISO. Returns
 * the daemon's query string, or the first problem in words.
 */
export function auditQueryFrom(
  params: Record<string, string | string[] | undefined>,
): { ok: true; filter: AuditFilter; query: string } | { ok: false; filter: AuditFilter; message: string } {
  const filter: AuditFilter = {};
  for (const key of AUDIT_FILTER_KEYS) {
    const raw = params[key];
    const value = typeof raw === "string" ? raw.trim() : "";
    if (value) filter[key] = key === "since" || key === "until" ? utcFromLocalInput(value) : value;
  }
  const parsed = auditQuerySchema.safeParse(filter);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, filter, message: `${String(issue?.path[0] ?? "filter")}: ${issue?.message ?? "invalid"}` };
  }
  if (parsed.data.since && parsed.data.until && parsed.data.since > parsed.data.until) {
    return { ok: false, filter, message: "“Since” is after “until”." };
  }
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(parsed.data)) if (v !== undefined) search.set(k, String(v));
  return { ok: true, filter, query: search.toString() };
}
