// Request bodies: each route's bound, checked from the headers before anything else and
// again while the body streams in, so no request can make the daemon hold more than its
// route allows. A body the daemon did not read to the end closes the connection.
import type { HttpBindings } from "@hono/node-server";
import type { Context, MiddlewareHandler } from "hono";
import type { z } from "zod";
import { isJsonContentType, readBounded } from "../../lib/shared/protocol/limits";
import { invalid, parseInput, tooLarge, unauthenticated, unsupported } from "../errors";
import { bodyDigest } from "../hosts/fleet-pass";
import { lingerThenClose } from "./linger";
import type { AppEnv } from "./request-context";

/**
 * What a route takes: no options, JSON up to a bound and checked against its schema (the
 * one the API document shows: openapi.ts), or a stream it reads itself (an upload, whose
 * refusal names the setting that bounds it).
 */
export type BodyRule =
  | { kind: "none" }
  | { kind: "json"; maxBytes: number; schema: z.ZodType }
  | { kind: "stream"; maxBytes: number; setting: string };

export const NO_BODY: BodyRule = { kind: "none" };
export const jsonUpTo = (maxBytes: number, schema: z.ZodType): BodyRule => ({ kind: "json", maxBytes, schema });
export const streamUpTo = (maxBytes: number, setting: string): BodyRule => ({ kind: "stream", maxBytes, setting });

/** A route without options still takes an empty JSON object, as clients often send one. */
export const NO_OPTIONS_MAX_BYTES = 64;

/** The largest body a route reads (for "none": the bytes `{}` may take, spaces and all). */
export const bodyMaxBytes = (rule: BodyRule) => (rule.kind === "none" ? NO_OPTIONS_MAX_BYTES : rule.maxBytes);

export const describeBytes = (n: number) =>
  n >= 1024 * 1024 ? `${n / 1024 / 1024} MiB` : n >= 1024 ? `${n / 1024} KiB` : `${n} bytes`;

function declaredLength(c: Context): number | null {
  const raw = c.req.header("content-length");
  return raw === undefined ? null : Number(raw);
}

/** Whether the request says it carries a body (a length above zero, or chunks). */
export function bodyDeclared(c: Context): boolean {
  const length = declaredLength(c);
  return (length !== null && length > 0) || c.req.header("transfer-encoding") !== undefined;
}

const takesNoOptions = () => invalid("This request takes no options: send it without a body (or with {}).");

/**
 * Refuses, from the headers alone, a body over the route's bound (413) and a body that is
 * not JSON on a JSON route (415); a route without options also reads its few bytes here,
 * to refuse anything but {}. Runs before sign-in is checked: a stranger's huge body costs
 * the daemon nothing.
 */
export async function refuseUnfitBody(c: Context<AppEnv>, rule: BodyRule): Promise<void> {
  c.set("bodyRule", rule);
  const length = declaredLength(c);
  if (length !== null && length > bodyMaxBytes(rule)) throw overBound(rule);
  if (rule.kind === "stream" || !bodyDeclared(c)) return;
  const json = isJsonContentType(c.req.header("content-type"));
  const notJson = () => unsupported("Send the request body as JSON, with Content-Type: application/json.");
  if (rule.kind === "json") {
    if (!json) throw notJson();
    return; // read by the handler, within the bound
  }
  // A GET's body never reaches the Request here: a GET with a body is refused outright.
  if (!c.req.raw.body) throw overBound(rule);
  const text = (await readBody(c, NO_OPTIONS_MAX_BYTES)).toString("utf8").trim();
  if (!text) return; // chunks that added up to nothing
  if (!json) throw notJson();
  if (!/^\{\s*\}$/.test(text)) throw takesNoOptions();
}

const overBound = (rule: BodyRule | { kind: "json"; maxBytes: number }) =>
  tooLarge(
    rule.kind === "stream"
      ? `The file is too large: uploads are limited to ${describeBytes(rule.maxBytes)} (${rule.setting}).`
      : rule.kind === "none"
        ? "This request takes no options: send it without a body (or with {})."
        : `The request body is larger than this request takes (at most ${describeBytes(rule.maxBytes)}).`,
  );

/** The body, read as it streams in and refused (413) the moment it passes the route's bound. */
export async function readBody(c: Context<AppEnv>, maxBytes: number): Promise<Buffer> {
  const body = c.req.raw.body;
  const bytes = body ? await readBounded(body, maxBytes) : new Uint8Array(0);
  if (!bytes) throw overBound(c.get("bodyRule") ?? { kind: "json", maxBytes });
  c.set("bodyRead", true);
  // A relayed request's pass names its body: another body is not what the issuing host sent.
  const signed = c.get("fleetBody");
  if (signed !== undefined && bodyDigest(bytes) !== signed)
    throw unauthenticated(
      "Refused a request relayed from another Corral host: its body is not the one its fleet pass names.",
    );
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * The request's JSON body within the route's bound, checked against the route's schema
 * (422 naming each field's problem); an empty body reads as {} (actions without options).
 */
export async function jsonBody(c: Context<AppEnv>): Promise<unknown> {
  return (await jsonBodyAndBytes(c)).body;
}

/** jsonBody, with the bytes it was read from (to pass on to another host's daemon as they came). */
export async function jsonBodyAndBytes(c: Context<AppEnv>): Promise<{ body: unknown; bytes: Buffer }> {
  const rule = c.get("bodyRule");
  if (rule?.kind !== "json")
    throw new Error(`${c.req.method} ${c.req.path} reads a JSON body but its route takes none`);
  const bytes = await readBody(c, rule.maxBytes);
  const text = bytes.toString("utf8");
  let body: unknown = {};
  try {
    if (text.trim()) body = JSON.parse(text);
  } catch {
    throw invalid("The request body is not valid JSON.");
  }
  return { body: parseInput(rule.schema, body), bytes };
}

/**
 * A response to a request whose body was not read to the end (refused, or never needed)
 * closes the connection: otherwise Node would go on reading whatever the client sends.
 */
export function closeAfterUnreadBody(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    if (!bodyDeclared(c) || c.get("bodyRead")) return;
    // Node closes a connection whose response says so with socket.destroySoon(): make that
    // a lingering close, so a client still sending gets the answer.
    const socket = (c.env as Partial<HttpBindings> | undefined)?.incoming?.socket;
    if (socket) socket.destroySoon = () => lingerThenClose(socket);
    try {
      c.res.headers.set("Connection", "close");
    } catch {
      // Immutable headers (a response passed through as it came): copy it.
      c.res = new Response(c.res.body, c.res);
      c.res.headers.set("Connection", "close");
    }
  };
}
