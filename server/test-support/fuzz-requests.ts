// Generated bad input for every route of the daemon's route table and every socket event of
// its event table (fast-check). Each generated request is bad in at least one way the daemon
// checks before it acts — a query it does not take, a made-up id, a body over its bound, of
// the wrong type or shape, a made-up session, a foreign Origin, headers too large — with
// noise on top, so a correct daemon answers every one with a 4xx and changes nothing.
// Shared by the fuzz suite (server/http/fuzz.int.test.ts) and bench/daemon-bounds.ts.
import fc from "fast-check";
import { NO_OPTIONS_MAX_BYTES } from "../http/request-body";
import type { RouteSpec } from "../http/route-table";
import { rawRequest, type RawResult } from "./raw-http";

export interface FuzzTargets {
  /** A stopped guest, an image, a user: real ids, used when the params are not the bad part. */
  guestId: string;
  imageId: string;
  userId: string;
  /** A valid session (the admin's) and Corral's own origin. */
  cookie: string;
  origin: string;
}

export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** Bytes of padding in one more header (added when sent, so a failure's report stays short). */
  headerPadding?: number;
  /** What makes it bad (for a failure's report). */
  bad: string[];
}

/** Sends a generated request as it is, framing and all. */
export function sendFuzzRequest(port: number, { headerPadding, ...req }: FuzzRequest): Promise<RawResult> {
  const headers = headerPadding ? { ...req.headers, "x-fuzz-padding": "p".repeat(headerPadding) } : req.headers;
  return rawRequest({ port, method: req.method, path: req.path, headers, body: req.body });
}

type Flaw = "query" | "params" | "body" | "session" | "origin" | "header-size";

const word = fc.string({ minLength: 1, maxLength: 24 });
const FOREIGN_KEY = "x-fuzz-"; // no schema has such a field, so every strict schema refuses it

const parses = (s: string) => {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
};
const isPlainObject = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);

/** A JSON body no strict schema takes: not an object, or an object with a field none has. */
const wrongShape = fc.oneof(
  fc.jsonValue().filter((v) => !isPlainObject(v)),
  fc
    .record({ base: fc.dictionary(word, fc.jsonValue(), { maxKeys: 4 }), key: word, value: fc.jsonValue() })
    .map(({ base, key, value }) => ({ ...base, [FOREIGN_KEY + key]: value })),
);

const notJsonTypes = fc.constantFrom(
  "text/plain",
  "text/plain; charset=utf-8",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/xml",
  "application/octet-stream",
  "",
);

/** A body the route refuses, with its content type ("" for none). */
function badBody(route: RouteSpec, maxBytes: number): fc.Arbitrary<{ type: string; body: string; what: string }> {
  const overBound = fc.constant({
    type: route.body.kind === "stream" ? "application/octet-stream" : "application/json",
    body: " ".repeat(maxBytes + 1),
    what: `${maxBytes + 1} bytes`,
  });
  if (route.body.kind === "stream") return overBound;
  if (route.body.kind === "none")
    // Anything but nothing or {} (spaces aside), whatever its type, or more than the bound.
    return fc.oneof(
      fc
        .record({
          type: fc.constantFrom("application/json", "text/plain", ""),
          body: fc
            .string({ minLength: 1, maxLength: 300 })
            .filter((b) => b.trim() !== "" && !/^\{\s*\}$/.test(b.trim())),
        })
        .map((b) => ({ ...b, what: "options where none are taken" })),
      overBound,
    );
  return fc.oneof(
    fc
      .record({ type: notJsonTypes, body: fc.string({ minLength: 1, maxLength: 300 }) })
      .map((b) => ({ ...b, what: `Content-Type "${b.type}"` })),
    fc
      .string({ minLength: 1, maxLength: 300 })
      .filter((s) => s.trim() !== "" && !parses(s))
      .map((body) => ({ type: "application/json", body, what: "not JSON" })),
    wrongShape.map((v) => ({ type: "application/json", body: JSON.stringify(v), what: "the wrong shape" })),
    overBound,
  );
}

/**
 * A route's body bound. The upload's is the daemon's CORRAL_UPLOAD_MAX_MIB, which a route
 * table built without the daemon's configuration (as tests build it) does not know.
 */
export function bodyBound(route: RouteSpec, uploadMaxBytes: number): number {
  return route.body.kind === "none"
    ? NO_OPTIONS_MAX_BYTES
    : route.body.kind === "stream"
      ? uploadMaxBytes
      : route.body.maxBytes;
}

/** A route's path with every parameter naming nothing (an alternation takes its first choice). */
export function madeUpPath(path: string): string {
  return path.replace(/:(\w+)(\{([^}]*)\})?/g, (_m, _name, _re, alternatives?: string) =>
    alternatives ? alternatives.split("|")[0] : "nosuchthing",
  );
}

const madeUpParam = fc
  .string({ minLength: 1, maxLength: 60, unit: fc.constantFrom(..."abcxyz019-_.~%/ é☃") })
  .filter((s) => s !== "." && s !== "..");

/** Fills the path: real ids unless the params are the bad part; boot 1 and snapshots never exist. */
function fillPath(route: RouteSpec, t: FuzzTargets, madeUp: string | null): string {
  return route.path.replace(/:(\w+)(\{([^}]*)\})?/g, (_m, name: string, _re, alternatives?: string) => {
    if (alternatives) return alternatives.split("|")[0];
    if (madeUp !== null) return encodeURIComponent(madeUp);
    if (name === "n") return "1";
    if (name !== "id") return "nosuchthing";
    if (route.path.startsWith("/api/guests/")) return t.guestId;
    if (route.path.startsWith("/api/users/")) return t.userId;
    if (route.path === "/api/images/:id") return t.imageId;
    return "nosuchthing";
  });
}

export function badRequests(route: RouteSpec, t: FuzzTargets, maxBytes: number): fc.Arbitrary<FuzzRequest> {
  const flaws: Flaw[] = ["query", "body", "header-size"];
  if (route.path.includes(":")) flaws.push("params");
  if (route.access !== "public") flaws.push("session");
  if (route.method !== "GET") flaws.push("origin");
  return fc
    .record({
      flaws: fc.subarray(flaws, { minLength: 1 }),
      query: fc.record({ extra: fc.dictionary(word, fc.string({ maxLength: 40 }), { maxKeys: 3 }), key: word }),
      param: madeUpParam,
      body: badBody(route, maxBytes),
      // A made-up session cookie, or a made-up API token (sent beside the real cookie: a bad
      // token must be refused, never passed over for the cookie).
      session: fc.oneof(
        fc.string({ minLength: 1, maxLength: 80 }).map((v) => ({ cookie: `corral_session=${encodeURIComponent(v)}` })),
        fc.constant({ cookie: "corral_session=" }),
        fc.string({ minLength: 1, maxLength: 80 }).map((v) => ({ cookie: `unrelated=${encodeURIComponent(v)}` })),
        fc
          .oneof(
            fc.base64String({ minLength: 4, maxLength: 60 }).map((v) => `corral_${v.replace(/=+$/, "")}`),
            fc.string({ minLength: 1, maxLength: 300, unit: fc.constantFrom(..."abcXYZ019_-.~+/") }),
          )
          .map((v) => ({ cookie: t.cookie, authorization: `Bearer ${v}` })),
      ),
      origin: fc.option(fc.webUrl({ withQueryParameters: false, withFragments: false }), { nil: null }),
      noise: fc.record(
        { "x-forwarded-for": fc.ipV4(), "user-agent": fc.string({ maxLength: 60 }), accept: word },
        { requiredKeys: [] },
      ),
    })
    .map(({ flaws, query, param, body, session, origin, noise }) => {
      const bad = new Set(flaws);
      let path = fillPath(route, t, bad.has("params") ? param : null);
      if (bad.has("query")) {
        const q = new URLSearchParams({ ...query.extra, [FOREIGN_KEY + query.key]: "1" });
        path += `?${q}`;
      }
      const headers: Record<string, string> = { ...noise };
      if (bad.has("session")) Object.assign(headers, session);
      else headers.cookie = t.cookie;
      if (!bad.has("origin")) headers.origin = t.origin;
      else if (origin !== null && origin !== t.origin) headers.origin = origin;
      const req: FuzzRequest = { method: route.method, path, headers, bad: [...bad] };
      if (bad.has("header-size")) req.headerPadding = 20_000;
      if (bad.has("body")) {
        req.body = body.body;
        if (body.type) headers["content-type"] = body.type;
        req.bad.push(body.what);
      }
      return req;
    });
}

/** Arguments a socket event refuses: no payload or a bad one, or a payload where none is taken. */
export function badSocketArgs(takesPayload: boolean, guestId: string): fc.Arbitrary<unknown[]> {
  if (!takesPayload) return fc.array(fc.jsonValue(), { minLength: 1, maxLength: 3 });
  return fc.oneof(
    fc.constant([] as unknown[]),
    fc
      .jsonValue()
      .map((v) => [v])
      .filter(([v]) => !isPlainObject(v)),
    wrongShape.map((v) => [isPlainObject(v) ? { guestId, ...(v as object) } : v]),
    fc.tuple(fc.jsonValue(), fc.jsonValue()),
  );
}
