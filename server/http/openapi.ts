// The API document (OpenAPI 3.1), generated from the route table: each route's method,
// path, permission, query schema and body schema are the very ones the daemon checks
// requests against, so the document cannot drift from what the daemon does.
import { z } from "zod";
import { ACTIONS, type Action } from "../../lib/shared/permissions";
import { SESSION_COOKIE } from "../../lib/server/session-token";
import { TOKEN_PREFIX } from "../../lib/shared/protocol";

export { OPENAPI_PATH } from "../../lib/shared/protocol";
import { bodyMaxBytes, type BodyRule } from "./request-body";
import type { Access, RouteSpec } from "./route-table";

type JsonSchema = Record<string, unknown>;

/** What a client must send: the schema as input (defaults make a field optional). */
function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });
  return rest;
}

/** Hono's `/api/guests/:id/:action{start|stop}` as OpenAPI's `/api/guests/{id}/{action}`, with its parameters. */
export function openApiPath(path: string): { path: string; params: Array<{ name: string; values?: string[] }> } {
  const params: Array<{ name: string; values?: string[] }> = [];
  const converted = path.replace(/:(\w+)(\{([^}]*)\})?/g, (_m, name: string, _p, pattern?: string) => {
    params.push({ name, ...(pattern ? { values: pattern.split("|") } : {}) });
    return `{${name}}`;
  });
  return { path: converted, params };
}

export const describeAccess = (access: Access): string =>
  access === "daemon"
    ? "daemon: only another Corral daemon of the fleet, asking for itself with a fleet pass"
    : access === "fleet"
      ? "fleet: only another Corral host's daemon, with a fleet pass (moving a guest's files)"
      : access === "public"
        ? "anyone, signed in or not"
        : access === "signed-in"
          ? "anyone signed in"
          : `${access}: ${ACTIONS[access as Action]}`;

function requestBody(rule: BodyRule): object | undefined {
  if (rule.kind === "json")
    return { required: true, content: { "application/json": { schema: jsonSchemaOf(rule.schema) } } };
  if (rule.kind === "stream")
    return {
      required: true,
      description: `The file's bytes, at most ${rule.maxBytes} (${rule.setting}).`,
      content: {
        "application/octet-stream": { schema: { type: "string", contentMediaType: "application/octet-stream" } },
      },
    };
  return undefined; // nothing, or {}: see x-corral-body-max-bytes
}

function queryParameters(query: z.ZodType): object[] {
  const schema = jsonSchemaOf(query) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(schema.properties ?? {}).map(([name, s]) => ({
    name,
    in: "query",
    required: schema.required?.includes(name) ?? false,
    schema: s,
  }));
}

const ERROR = { $ref: "#/components/responses/Error" };

function operation(spec: RouteSpec): object {
  const { params } = openApiPath(spec.path);
  const body = requestBody(spec.body);
  return {
    operationId: `${spec.method.toLowerCase()}${openApiPath(spec.path)
      .path.replace(/^\/api/, "")
      .replace(/[{}]/g, "")
      .split(/[/-]/)
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
      .join("")}`,
    summary: describeAccess(spec.access).replace(/^[\w.-]+: /, ""),
    tags: [spec.path.split("/")[2]],
    "x-corral-permission": spec.access,
    "x-corral-body-max-bytes": bodyMaxBytes(spec.body),
    // A daemons-only route takes a fleet pass (x-corral-fleet), no person's credential.
    security: spec.access === "public" || spec.access === "daemon" ? [] : [{ bearer: [] }, { session: [] }],
    parameters: [
      ...params.map((p) => ({
        name: p.name,
        in: "path",
        required: true,
        schema: p.values ? { type: "string", enum: p.values } : { type: "string" },
      })),
      ...queryParameters(spec.query),
    ],
    ...(body ? { requestBody: body } : {}),
    responses: {
      "2XX": { description: "Done: the answer as JSON, a stream (logs), or nothing (204)." },
      "4XX": ERROR,
      "5XX": ERROR,
    },
  };
}

/** The OpenAPI 3.1 document for every route in the table. */
export function openApiDocument(routes: readonly RouteSpec[], version: string): object {
  const paths: Record<string, Record<string, object>> = {};
  for (const spec of routes) {
    const p = openApiPath(spec.path).path;
    (paths[p] ??= {})[spec.method.toLowerCase()] = operation(spec);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Corral host daemon API",
      version,
      description:
        "Every route needs a sign-in except where its security is empty: an API token " +
        `(Authorization: Bearer ${TOKEN_PREFIX}…, from Your account → API tokens) or the web's session cookie. ` +
        "x-corral-permission names the permission a route needs (lib/shared/permissions.ts); " +
        "a read-only token may use only GET routes whose permission changes nothing. " +
        "Requests with a cookie that change something must carry Corral's own Origin.",
    },
    paths,
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: `An API token, ${TOKEN_PREFIX}…` },
        session: { type: "apiKey", in: "cookie", name: SESSION_COOKIE },
      },
      responses: {
        Error: {
          description: "Refused or failed, with a message that says what to do.",
          content: { "application/json": { schema: jsonSchemaOf(API_ERROR) } },
        },
      },
    },
  };
}

const API_ERROR = z.strictObject({
  error: z.strictObject({
    code: z.string(),
    message: z.string(),
    fields: z.record(z.string(), z.string()).optional(),
  }),
});
