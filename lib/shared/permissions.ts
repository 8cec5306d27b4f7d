// Who may do what: the one table both the host daemon (on every route and socket event)
// and the web (in its data reads and what it offers) consult. Hiding a button is a
// courtesy; the daemon's check is the rule.
export const ROLES = ["admin", "developer", "manager"] as const;
export type Role = (typeof ROLES)[number];

export const ACTIONS = {
  "host.read": "see host capacity and the image list",
  "images.delete": "delete images (developers: only unused images they committed)",
  "images.manage": "import, upload and build images",
  "guests.list": "list guests (developers see their own)",
  "guests.bulk": "start, stop, force off or delete many guests at once (developers: only their own)",
  "guest.create": "create guests",
  "guest.read": "see a guest, its boots, logs and snapshots",
  "guest.control": "start, stop, force off or reboot a guest",
  "guest.edit": "change a guest's memory",
  "guest.delete": "delete a guest",
  "guest.disk": "reset, snapshot, revert, clone or commit a guest's disk",
  "console.watch": "watch a guest's console",
  "console.type": "type into a guest's console, resize it, take control",
  "metrics.read": "see consolidation figures and live metrics",
  "users.manage": "create users, change roles, passwords and quotas",
  "audit.read": "read and verify the audit trail",
  "host.diagnose": "read the host daemon's diagnostics",
} as const;
export type Action = keyof typeof ACTIONS;

/**
 * For each action: the roles that may do it, and whether a developer may do it only to
 * guests they own. Admins may do everything; managers only look.
 */
const RULES: Record<Action, { roles: readonly Role[]; developerOwnOnly?: boolean }> = {
  "host.read": { roles: ["admin", "developer", "manager"] },
  // Which images a developer may delete is the image's business: see imageDeletableBy.
  "images.delete": { roles: ["admin", "developer"] },
  "images.manage": { roles: ["admin"] },
  "guests.list": { roles: ["admin", "developer", "manager"] },
  // Each guest of a bulk action is then checked as its own route checks it (guest.control, guest.delete).
  "guests.bulk": { roles: ["admin", "developer"] },
  "guest.create": { roles: ["admin", "developer"] },
  "guest.read": { roles: ["admin", "developer", "manager"], developerOwnOnly: true },
  "guest.control": { roles: ["admin", "developer"], developerOwnOnly: true },
  "guest.edit": { roles: ["admin", "developer"], developerOwnOnly: true },
  "guest.delete": { roles: ["admin", "developer"], developerOwnOnly: true },
  "guest.disk": { roles: ["admin", "developer"], developerOwnOnly: true },
  "console.watch": { roles: ["admin", "developer", "manager"], developerOwnOnly: true },
  "console.type": { roles: ["admin", "developer"], developerOwnOnly: true },
  "metrics.read": { roles: ["admin", "manager"] },
  "users.manage": { roles: ["admin"] },
  "audit.read": { roles: ["admin"] },
  "host.diagnose": { roles: ["admin"] },
};

export interface Actor {
  id: string;
  role: Role;
}

/** Whether `actor` may do `action` (to `guest`, for guest actions). */
export function can(actor: Actor | null, action: Action, guest?: { ownerId: string | null }): boolean {
  if (!actor) return false;
  const rule = RULES[action];
  if (!rule.roles.includes(actor.role)) return false;
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

/** Guest actions that a developer may take on their own guests only. */
export function isGuestScoped(action: Action): boolean {
  return !!RULES[action].developerOwnOnly;
}

/** What a role sees in lists: everything, or only its own guests. */
export function guestListScope(actor: Actor): "all" | "own" {
  return actor.role === "developer" ? "own" : "all";
}
