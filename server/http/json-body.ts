import type { Context } from "hono";
import { invalid } from "../errors";

/** The request's JSON body; an empty body reads as {} (some actions take no options). */
export async function jsonBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw invalid("The request body is not valid JSON.");
  }
}
