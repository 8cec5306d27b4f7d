// Which guests a list shows: search, filters, sort and page. One query for the web's pages
// (in their URL) and the daemon's GET /api/guests, applied in the read model
// (lib/server/reads/guest-list.ts); the same filter picks the guests of a bulk action.
import { z } from "zod";
export { GUEST_KINDS, type GuestKind } from "./kinds";
import { GUEST_STATES, POWER_ACTIONS, guestIdSchema, type GuestState, type GuestView } from "./guests";

import { GUEST_KINDS } from "./kinds";

export const GUEST_SORTS = ["name", "state", "host", "owner", "image", "memory", "created"] as const;
export type GuestSort = (typeof GUEST_SORTS)[number];

export const PAGE_SIZES = [25, 50, 100, 200] as const;
export const DEFAULT_PAGE_SIZE = 50;

const text = (what: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `${what} is at most ${max} characters.`)
    .transform((s) => s || undefined);

/** The filter alone: what a bulk action may name instead of ids. */
export const guestFilterSchema = z.strictObject({
  /** Part of the guest's name. */
  q: text("The search", 64).optional(),
  state: z.enum(GUEST_STATES, { error: `State is one of ${GUEST_STATES.join(", ")}.` }).optional(),
  /** The owner's username. */
  owner: text("The owner", 64).optional(),
  /** The image's name. */
  image: text("The image", 128).optional(),
  kind: z.enum(GUEST_KINDS, { error: `Kind is one of ${GUEST_KINDS.join(", ")}.` }).optional(),
  /** The name of the host that runs it. */
  host: text("The host", 128).optional(),
});
export type GuestFilter = z.output<typeof guestFilterSchema>;

const wholeNumber = (what: string, min: number, max: number) =>
  z.coerce
    .number({ error: `${what} is a whole number.` })
    .int(`${what} is a whole number.`)
    .min(min, `${what} is at least ${min}.`)
    .max(max, `${what} is at most ${max}.`);

/**
 * The list query, as URL parameters. Without `per` the daemon answers every guest that
 * matches (as it did before paging); the web's pages always page.
 */
export const guestListQuerySchema = guestFilterSchema.extend({
  sort: z.enum(GUEST_SORTS, { error: `Sort by one of ${GUEST_SORTS.join(", ")}.` }).optional(),
  dir: z.enum(["asc", "desc"], { error: "Direction is asc or desc." }).optional(),
  page: wholeNumber("The page", 1, 100_000).optional(),
  per: wholeNumber("The page size", 1, 500).optional(),
});
export type GuestListQuery = z.output<typeof guestListQuerySchema>;

/** One page of the list, and how many guests the filter matches in all. */
export interface GuestPage {
  guests: GuestView[];
  total: number;
  page: number;
  per: number;
}

/** The daemon's GET /api/guests answers the filtered count in this header (the body stays a list). */
export const TOTAL_HEADER = "X-Total-Count";

/**
 * The query from a page's URL, leniently: a person may edit it by hand, so a parameter that
 * does not fit is dropped (the API refuses it instead, naming it).
 */
export function parseGuestListParams(params: Record<string, string | string[] | undefined>): GuestListQuery {
  const shape = guestListQuerySchema.shape;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(shape) as Array<keyof typeof shape>) {
    const raw = params[key];
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value === undefined) continue;
    const r = shape[key].safeParse(value);
    if (r.success && r.data !== undefined) out[key] = r.data;
  }
  return out as GuestListQuery;
}

/** The query as URL parameters, leaving out what is default; `change` overrides (undefined removes). */
export function guestListSearch(query: GuestListQuery, change: Partial<GuestListQuery> = {}): string {
  const merged: Record<string, unknown> = { ...query, ...change };
  const params = new URLSearchParams();
  for (const key of Object.keys(guestListQuerySchema.shape)) {
    const v = merged[key];
    if (v === undefined || v === "" || (key === "page" && v === 1)) continue;
    params.set(key, String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : "";
}

export function filterOf(query: GuestListQuery): GuestFilter {
  const { q, state, owner, image, kind, host } = query;
  return { q, state, owner, image, kind, host };
}

export const BULK_ACTIONS = [...POWER_ACTIONS.filter((a) => a !== "reboot"), "delete"] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];
/** The most guests one bulk action takes. */
export const BULK_MAX = 500;

export const bulkRequestSchema = z.union(
  [
    z.strictObject({
      action: z.enum(BULK_ACTIONS),
      ids: z
        .array(guestIdSchema)
        .min(1, "Choose at least one guest.")
        .max(BULK_MAX, `At most ${BULK_MAX} guests at once.`)
        .refine((ids) => new Set(ids).size === ids.length, "Each guest may appear once."),
    }),
    z.strictObject({ action: z.enum(BULK_ACTIONS), filter: guestFilterSchema }),
  ],
  // One message for the whole union: name the action when that is what is wrong.
  {
    error: (issue) => {
      const action = (issue.input as { action?: unknown } | null)?.action;
      return typeof action === "string" && !(BULK_ACTIONS as readonly string[]).includes(action)
        ? `The action is one of ${BULK_ACTIONS.join(", ")}.`
        : "Send { action, ids } or { action, filter }.";
    },
  },
);
export type BulkRequest = z.input<typeof bulkRequestSchema>;

/** What happened to one guest of a bulk action: done, or refused with the reason a person reads. */
export type BulkResult =
  | { id: string; name: string; ok: true; state: GuestState | null }
  | { id: string; name: string | null; ok: false; code: string; message: string };

export interface BulkResponse {
  action: BulkAction;
  results: BulkResult[];
  succeeded: number;
  refused: number;
}
