// The permission matrix both credentials are checked against (permissions.int.test.ts):
// who may reach each route and socket event, and how to probe a route harmlessly.
export type Who = "admin" | "manager" | "devOwn" | "devForeign";
export const WHO: Who[] = ["admin", "manager", "devOwn", "devForeign"];

// The policy, written out independently of lib/permissions.ts so a mistake there fails here.
const Y = true;
const N = false;
export const EXPECTED: Record<string, Record<Who, boolean>> = {
  public: { admin: Y, manager: Y, devOwn: Y, devForeign: Y },
  // Daemons only, asking for themselves (a daemon's fleet pass): no person, whatever their role.
  daemon: { admin: N, manager: N, devOwn: N, devForeign: N },
  "signed-in": { admin: Y, manager: Y, devOwn: Y, devForeign: Y },
  "host.read": { admin: Y, manager: Y, devOwn: Y, devForeign: Y },
  // Developers reach the route; which images they may delete (their own) is image-quota.int.test.ts's.
  "images.delete": { admin: Y, manager: N, devOwn: Y, devForeign: Y },
  "images.manage": { admin: Y, manager: N, devOwn: N, devForeign: N },
  "guests.list": { admin: Y, manager: Y, devOwn: Y, devForeign: Y },
  // Reaching the route; each guest is then checked on its own (guest-bulk.int.test.ts).
  "guests.bulk": { admin: Y, manager: N, devOwn: Y, devForeign: Y },
  "guest.create": { admin: Y, manager: N, devOwn: Y, devForeign: Y },
  "guest.read": { admin: Y, manager: Y, devOwn: Y, devForeign: N },
  "guest.control": { admin: Y, manager: N, devOwn: Y, devForeign: N },
  "guest.edit": { admin: Y, manager: N, devOwn: Y, devForeign: N },
  "guest.delete": { admin: Y, manager: N, devOwn: Y, devForeign: N },
  "guest.disk": { admin: Y, manager: N, devOwn: Y, devForeign: N },
  "guest.migrate": { admin: Y, manager: N, devOwn: N, devForeign: N },
  // Only another host's daemon, with a fleet pass (hosts/migration.int.test.ts): no one signed in.
  fleet: { admin: N, manager: N, devOwn: N, devForeign: N },
  "console.watch": { admin: Y, manager: Y, devOwn: Y, devForeign: N },
  "console.type": { admin: Y, manager: N, devOwn: Y, devForeign: N },
  "metrics.read": { admin: Y, manager: Y, devOwn: N, devForeign: N },
  "users.manage": { admin: Y, manager: N, devOwn: N, devForeign: N },
  "audit.read": { admin: Y, manager: N, devOwn: N, devForeign: N },
  "host.diagnose": { admin: Y, manager: N, devOwn: N, devForeign: N },
  "hosts.manage": { admin: Y, manager: N, devOwn: N, devForeign: N },
  "images.builds": { admin: Y, manager: N, devOwn: N, devForeign: N },
  "users.read": { admin: Y, manager: N, devOwn: N, devForeign: N },
  "account.manage": { admin: Y, manager: Y, devOwn: Y, devForeign: Y },
};

/**
 * What a read-only API token keeps of its person's permissions, written out independently
 * of lib/shared/permissions.ts: the actions that change nothing, and on routes only GET.
 */
const CHANGE_NOTHING = new Set([
  "signed-in",
  "host.read",
  "images.builds",
  "guests.list",
  "guest.read",
  "console.watch",
  "metrics.read",
  "users.read",
  "audit.read",
  "host.diagnose",
]);

/** Whether a person may do `access` with a credential of this kind (a route's method, or an event's "socket"). */
export function expectedAllowed(access: string, who: Who, credential: Credential, method: string): boolean {
  if (!EXPECTED[access][who]) return false;
  if (credential !== "read token" || access === "public") return true;
  return CHANGE_NOTHING.has(access) && (method === "GET" || method === "socket");
}

export const CREDENTIALS = ["cookie", "role token", "read token"] as const;
export type Credential = (typeof CREDENTIALS)[number];

/**
 * How to call each route so that an allowed call is harmless (it fails validation, finds
 * nothing, or is refused by the guest's state) while a refused one shows 401/403. A route
 * without a probe fails the test: a new route cannot slip by unchecked.
 */
export const PROBES: Record<
  string,
  { guest?: "running" | "stopped"; body?: unknown; params?: Record<string, string> }
> = {
  "POST /api/auth/login": { body: {} },
  "POST /api/auth/token": { body: {} },
  "POST /api/auth/logout": {},
  "GET /api/auth/me": {},
  "POST /api/auth/password": { body: {} },
  "GET /api/users": {},
  "POST /api/users": { body: {} },
  "PATCH /api/users/:id": { body: { role: "nobody" }, params: { id: "nosuchuser" } },
  "POST /api/users/:id/password": { body: { password: "short" }, params: { id: "nosuchuser" } },
  "GET /api/audit": {},
  "GET /api/audit/verify": {},
  "POST /api/guests/:id/reset": { guest: "stopped", body: { stopFirst: "yes" } },
  "POST /api/guests/:id/clone": { guest: "stopped", body: { name: "-" } },
  "POST /api/guests/:id/commit": { guest: "stopped", body: { imageName: "-" } },
  "GET /api/guests/:id/snapshots": { guest: "stopped" },
  "POST /api/guests/:id/snapshots": { guest: "stopped", body: { name: "Not A Name" } },
  "POST /api/guests/:id/snapshots/:sid/revert": { guest: "stopped", params: { sid: "nosuchsnapshot" } },
  "DELETE /api/guests/:id/snapshots/:sid": { guest: "stopped", params: { sid: "nosuchsnapshot" } },
  "DELETE /api/images/:id": { params: { id: "nosuchimage" } },
  "POST /api/images/import": { body: { name: "Not A Name", path: "../x" } },
  "POST /api/images/upload": { params: {}, body: "" },
  "POST /api/images/debian": { body: { name: "Not A Name" } },
  "POST /api/images/:id/copies": { params: { id: "nosuchimage" }, body: { hostId: "Not A Host" } },
  "GET /api/fleet/images/:id/file": { params: { id: "nosuchimage" } },
  "DELETE /api/fleet/image-files": { params: {} },
  "GET /api/images/builds": {},
  "GET /api/images/builds/:id": { params: { id: "nosuchbuild" } },
  "GET /api/images/builds/:id/log": { params: { id: "nosuchbuild" } },
  "POST /api/images/builds/:id/cancel": { params: { id: "nosuchbuild" } },
  "GET /api/host": {},
  "GET /api/hosts": {},
  "PATCH /api/hosts/:id": { body: { maintenance: "yes" }, params: { id: "nosuchhost" } },
  "POST /api/hosts/:id/evacuate": { params: { id: "nosuchhost" } },
  "POST /api/guests/:id/migrate": { guest: "running", body: { hostId: 5 } },
  // Refused before any guest is looked up, the same for every guest id: no guest needed.
  "GET /api/fleet/guests/:id/files": { params: { id: "nosuchguest0" } },
  "POST /api/fleet/guests/:id/receive": { body: {}, params: { id: "nosuchguest0" } },
  "DELETE /api/fleet/guests/:id/files": { params: { id: "nosuchguest0" } },
  "GET /api/host/event-loop": {},
  "POST /api/host/event-loop/reset": {},
  "GET /api/images": {},
  "GET /api/guests": {},
  "POST /api/guests/bulk": { body: { action: "start", ids: [] } },
  "POST /api/guests": { body: {} },
  "GET /api/guests/:id": { guest: "running" },
  "PATCH /api/guests/:id": { guest: "running", body: { memoryMiB: "lots" } },
  "DELETE /api/guests/:id": { guest: "running" },
  "POST /api/guests/:id/:action{start|stop|force-off|reboot}": { guest: "running", params: { action: "start" } },
  "GET /api/guests/:id/console": { guest: "running" },
  "GET /api/guests/:id/boots": { guest: "running" },
  "GET /api/guests/:id/boots/:n/log": { guest: "running", params: { n: "1" } },
  "GET /api/guests/:id/boots/:n/analysis": { guest: "running", params: { n: "1" } },
  "GET /api/account/tokens": {},
  "GET /api/openapi.json": {},
  "POST /api/account/tokens": { body: { name: "" } },
  "DELETE /api/account/tokens/:id": { params: { id: "nosuchtoken" } },
};

export function fill(path: string, params: Record<string, string>): string {
  return path.replace(/:(\w+)(\{[^}]*\})?/g, (_m, name) => encodeURIComponent(params[name]));
}
