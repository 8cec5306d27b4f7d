// Who may do what: the one table both the host daemon (on every route and socket event)
// and the web (in its data reads and what it offers) consult. Hiding a button is a
// courtesy; the daemon's check is the rule.
export const ROLES = ["admin", "developer", "manager"] as const;
export type Role = (typeof ROLES)[number];

export const ACTIONS = {
  "host.read": "see host capacity and the image list",
  "images.delete": "delete images (developers: only unused images they committed)",
  "images.manage": "import, upload, build and copy images to hosts",
  "images.builds": "follow image builds and read their logs",
  "guests.list": "list guests (developers see their own)",
  "guests.bulk": "start, stop, force off or delete many guests at once (developers: only their own)",
  "guest.create": "create guests",
  "guest.read": "see a guest, its boots, logs and snapshots",
  "guest.control": "start, stop, force off or reboot a guest",
  "guest.edit": "change a guest's memory",
  "guest.delete": "delete a guest",
  "guest.disk": "reset, snapshot, revert, clone or commit a guest's disk",
  "guest.migrate": "move a stopped guest to another host",
  "console.watch": "watch a guest's console",
  "console.type": "type into a guest's console, resize it, take control",
  "metrics.read": "see consolidation figures and live metrics",
  "users.read": "see the users, their roles and quotas",
  "users.manage": "create users, change roles, passwords and quotas",
  "audit.read": "read and verify the audit trail",
  "host.diagnose": "read the host daemon's diagnostics",
  "hosts.manage": "put a host in maintenance or take it out of it, and evacuate it",
  "account.manage": "change your own password and API tokens",
} as const;
export type Action = keyof typeof ACTIONS;

/**
 * For each action: the roles that may do it, whether a developer may do it only to guests
 * they own, and whether it changes anything — a read-only API token may do only the
 * actions that change nothing. Admins may do everything; managers only look.
 */
const RULES: Record<Action, { roles: readonly Role[]; developerOwnOnly?: boolean; changes: boolean }> = {
  "host.read": { roles: ["admin", "developer", "manager"], changes: false },
  // Which images a developer may delete is the image's business: see imageDeletableBy.
  "images.delete": { roles: ["admin", "developer"], changes: true },
  "images.manage": { roles: ["admin"], changes: true },
  "images.builds": { roles: ["admin"], changes: false },
  "guests.list": { roles: ["admin", "developer", "manager"], changes: false },
  // Each guest of a bulk action is then checked as its own route checks it (guest.control, guest.delete).
  "guests.bulk": { roles: ["admin", "developer"], changes: true },
  "guest.create": { roles: ["admin", "developer"], changes: true },
  "guest.read": { roles: ["admin", "developer", "manager"], developerOwnOnly: true, changes: false },
  "guest.control": { roles: ["admin", "developer"], developerOwnOnly: true, changes: true },
  "guest.edit": { roles: ["admin", "developer"], developerOwnOnly: true, changes: true },
  "guest.delete": { roles: ["admin", "developer"], developerOwnOnly: true, changes: true },
  "guest.disk": { roles: ["admin", "developer"], developerOwnOnly: true, changes: true },
  // Admins only; guest-scoped so the route finds the guest and acts on its own host.
  "guest.migrate": { roles: ["admin"], developerOwnOnly: true, changes: true },
  "console.watch": { roles: ["admin", "developer", "manager"], developerOwnOnly: true, changes: false },
  "console.type": { roles: ["admin", "developer"], developerOwnOnly: true, changes: true },
  "metrics.read": { roles: ["admin", "manager"], changes: false },
  "users.read": { roles: ["admin"], changes: false },
  "users.manage": { roles: ["admin"], changes: true },
  "audit.read": { roles: ["admin"], changes: false },
  // Resetting the event-loop histogram starts a new measurement: still nothing a guest or person owns.
  "host.diagnose": { roles: ["admin"], changes: false },
  "hosts.manage": { roles: ["admin"], changes: true },
  "account.manage": { roles: ["admin", "developer", "manager"], changes: true },
};

export interface Actor {
  id: string;
  role: Role;
  /** Signed in with an API token of this scope: "read" narrows the role to what changes nothing. */
  scope?: "role" | "read";
}

/** Whether `actor` may do `action` (to `guest`, for guest actions). */
export function can(actor: Actor | null, action: Action, guest?: { ownerId: string | null }): boolean {
  if (!actor) return false;
  const rule = RULES[action];
  if (!rule.roles.includes(actor.role)) return false;
  if (actor.scope === "read" && rule.changes) return false;
  if (actor.role === "developer" && rule.developerOwnOnly) return !!guest && guest.ownerId === actor.id;
  return true;
}

/**
 * Whether `actor` may delete this image (if unused and not built in): admins any, a
 * developer only the images they committed themselves.
 */
export function imageDeletableBy(actor: Actor | null, image: { ownerId: string | null }): boolean {
  if (!can(actor, "images.delete")) return false;
  return actor!.role === "admin" || (image.ownerId !== null && image.ownerId === actor!.id);
}

/** Whether the action changes anything (what a read-only token may not do). */
export function actionChanges(action: Action): boolean {
  return RULES[action].changes;
}

/** Guest actions that a developer may take on their own guests only. */
export function isGuestScoped(action: Action): boolean {
  return !!RULES[action].developerOwnOnly;
}

/** What a role sees in lists: everything, or only its own guests. */
export function guestListScope(actor: Actor): "all" | "own" {
  return actor.role === "developer" ? "own" : "all";
}
