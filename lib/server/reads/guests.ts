// Guests as people see them — one read for the web's pages and the daemon's API, so both
// show a guest the same way and hide the same guests. Takes a database handle and the
// person reading; the stored strings are parsed once, in the views (lib/shared/views.ts).
import type { Actor } from "../../shared/permissions";
import { can, guestListScope } from "../../shared/permissions";
import type { NetworkSettings } from "../../shared/network";
import {
  guestIdSchema,
  type GuestFilter,
  type GuestKind,
  type GuestListQuery,
  type GuestPage,
  type GuestState,
  type GuestView,
} from "../../shared/protocol";
import type { Prisma } from "../../../generated/prisma/client";
import { parseGuestKind, parseGuestState } from "../../shared/stored";
import { guestViewInclude, toGuestView } from "../../shared/row-views";
import type { Db } from "../database";
import { withLastBoot } from "./last-boots";

export interface GuestReader {
  db: Db;
  /** The host's network settings, which a guest's addresses are shown with. */
  network: NetworkSettings;
}

/** The guests `actor` may see in lists: everyone's, or only their own. */
export function visibleGuestsWhere(actor: Actor): { ownerId?: string } {
  return guestListScope(actor) === "own" ? { ownerId: actor.id } : {};
}

export async function listGuests(reader: GuestReader, actor: Actor): Promise<GuestView[]> {
  return (await queryGuests(reader, actor, {})).guests;
}

/** The guests `actor` may see that `filter` matches, as a database condition. */
export function guestFilterWhere(actor: Actor, filter: GuestFilter): Prisma.GuestWhereInput {
  const { q, state, owner, image, kind, host } = filter;
  return {
    ...visibleGuestsWhere(actor),
    // Case-insensitive on both databases because names are lower-case only (guestNameSchema):
    // SQLite's LIKE folds case, PostgreSQL's does not, and `mode: "insensitive"` is PostgreSQL's alone.
    ...(q ? { name: { contains: q.toLowerCase() } } : {}),
    ...(state ? { state } : {}),
    ...(owner ? { owner: { username: owner } } : {}),
    ...(image ? { image: { name: image } } : {}),
    ...(kind ? { kind } : {}),
    ...(host ? { host: { name: host } } : {}),
  };
}

function guestOrder({ sort = "name", dir = "asc" }: GuestListQuery): Prisma.GuestOrderByWithRelationInput[] {
  const key: Prisma.GuestOrderByWithRelationInput =
    sort === "owner"
      ? { owner: { username: dir } }
      : sort === "image"
        ? { image: { name: dir } }
        : sort === "memory"
          ? { memoryMiB: dir }
          : sort === "created"
            ? { createdAt: dir }
            : sort === "state"
              ? { state: dir }
              : sort === "host"
                ? { host: { name: dir } }
                : { name: dir };
  // Names are unique: a stable order, so no guest is on two pages or none.
  return sort === "name" ? [key] : [key, { name: "asc" }];
}

/**
 * One page of the guests `actor` may see that the query matches, sorted, with how many match
 * in all. Without `per`, every match (the daemon's API as it was before paging).
 */
export async function queryGuests(
  { db, network }: GuestReader,
  actor: Actor,
  query: GuestListQuery,
): Promise<GuestPage> {
  const where = guestFilterWhere(actor, query);
  const per = query.per;
  const page = query.page ?? 1;
  const [rows, total] = await Promise.all([
    db.guest.findMany({
      where,
      orderBy: guestOrder(query),
      include: guestViewInclude,
      ...(per ? { skip: (page - 1) * per, take: per } : {}),
    }),
    per ? db.guest.count({ where }) : null,
  ]);
  return {
    guests: (await withLastBoot(db, rows)).map((row) => toGuestView(row, network)),
    total: total ?? rows.length,
    page,
    per: per ?? rows.length,
  };
}

/** What a list's filters offer: the owners (for those who see everyone's guests), images and hosts. */
export async function guestFilterChoices(
  db: Db,
  actor: Actor,
): Promise<{ owners: string[]; images: string[]; hosts: string[] }> {
  const everyone = guestListScope(actor) === "all";
  const [owners, images, hosts] = await Promise.all([
    everyone
      ? db.user.findMany({ where: { guests: { some: {} } }, select: { username: true }, orderBy: { username: "asc" } })
      : [],
    db.image.findMany({ select: { name: true }, orderBy: { name: "asc" } }),
    db.host.findMany({ select: { name: true }, orderBy: { name: "asc" } }),
  ]);
  return { owners: owners.map((o) => o.username), images: images.map((i) => i.name), hosts: hosts.map((h) => h.name) };
}

/**
 * The guest `rawId` names as `actor` may see it; null for a malformed id, a guest that does
 * not exist, and one they may not see alike — a developer learns nothing of others' guests.
 */
export async function findGuest(reader: GuestReader, actor: Actor, rawId: string): Promise<GuestView | null> {
  const id = guestIdSchema.safeParse(rawId);
  if (!id.success) return null;
  const view = await readGuest(reader, id.data);
  return view && can(actor, "guest.read", view) ? view : null;
}

/** A guest by id with no one's visibility applied: for callers that have authorized already. */
export async function readGuest({ db, network }: GuestReader, id: string): Promise<GuestView | null> {
  const row = await db.guest.findUnique({ where: { id }, include: guestViewInclude });
  return row ? toGuestView((await withLastBoot(db, [row]))[0], network) : null;
}

/** Every guest, in the few fields the consolidation report counts (it is for those who see all). */
export async function listGuestsForReport(
  db: Db,
  /** Only the guests of this host (undefined: of every host). */
  hostId?: string,
): Promise<Array<{ id: string; name: string; kind: GuestKind; state: GuestState; memoryMiB: number }>> {
  const rows = await db.guest.findMany({
    where: hostId === undefined ? {} : { hostId },
    orderBy: { name: "asc" },
    select: { id: true, name: true, kind: true, state: true, memoryMiB: true },
  });
  return rows.map((g) => ({ ...g, kind: parseGuestKind(g.kind), state: parseGuestState(g.state) }));
}
