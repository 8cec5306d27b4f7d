import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ZodError } from "zod";
import type { ApiError } from "../../lib/shared/protocol";
import { zodFields } from "../../lib/shared/zod-fields";
import { conflictFromUniqueViolation, CorralError, type ErrorKind } from "../errors";
import { logger } from "../log";

const log = logger("http");

const STATUS: Record<ErrorKind, ContentfulStatusCode> = {
  invalid: 422,
  unauthenticated: 401,
  forbidden: 403,
  throttled: 429,
  "not-found": 404,
  conflict: 409,
  insufficient: 409,
  unavailable: 503,
  "too-large": 413,
  unsupported: 415,
};

export function errorResponse(raw: unknown, c: Context): Response {
  const err = conflictFromUniqueViolation(raw) ?? raw;
  if (err instanceof CorralError) {
    const body: ApiError = { error: { code: err.kind, message: err.message, fields: err.fields } };
    return c.json(body, STATUS[err.kind]);
  }
  if (err instanceof ZodError) {
    const body: ApiError = {
      error: { code: "invalid", message: "Some fields need attention.", fields: zodFields(err) },
    };
    return c.json(body, 422);
  }
  if (err instanceof SyntaxError) {
    return c.json(
      { error: { code: "bad-request", message: "The request body is not valid JSON." } } satisfies ApiError,
      400,
    );
  }
  log.error("unhandled error", { path: c.req.path, err: err instanceof Error ? err.stack : String(err) });
  return c.json(
    {
      error: { code: "internal", message: "Internal error in the host daemon; its log has the details." },
    } satisfies ApiError,
    500,
  );
}
