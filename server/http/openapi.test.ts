import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createHttpApp, type HttpDeps } from "./app";
import { openApiDocument, openApiPath } from "./openapi";

// The route table as the daemon builds it (no server needed to list routes).
const { routes } = createHttpApp(new Proxy({}, { get: () => ({}) }) as HttpDeps);
type Operation = {
  parameters: Array<{ name: string; in: string; required: boolean; schema: { enum?: string[] } }>;
  requestBody?: { content: Record<string, { schema: { required?: string[]; properties?: object } }> };
  security: unknown[];
  "x-corral-permission": string;
};
const doc = openApiDocument(routes, "test") as { openapi: string; paths: Record<string, Record<string, Operation>> };
const op = (method: string, path: string) => doc.paths[openApiPath(path).path]?.[method.toLowerCase()];

describe("the API document", () => {
  it("has every route in the route table, with its permission", () => {
    expect(doc.openapi).toBe("3.1.0");
    for (const r of routes) {
      const o = op(r.method, r.path);
      expect(o, `${r.method} ${r.path} is missing from the API document`).toBeDefined();
      expect(o["x-corral-permission"]).toBe(r.access);
    }
    const documented = Object.values(doc.paths).reduce((n, p) => n + Object.keys(p).length, 0);
    expect(documented).toBe(routes.length);
  });

  it("shows each JSON body as the schema the daemon validates it with", () => {
    for (const r of routes) {
      const body = op(r.method, r.path).requestBody;
      if (r.body.kind !== "json") continue;
      const { $schema: _, ...expected } = z.toJSONSchema(r.body.schema, { io: "input", unrepresentable: "any" });
      expect(body?.content["application/json"].schema, `${r.method} ${r.path}`).toEqual(expected);
    }
    const token = op("POST", "/api/account/tokens").requestBody!.content["application/json"].schema;
    expect(token.required).toEqual(["name", "scope", "expiresAt"]);
    expect(op("POST", "/api/images/upload").requestBody!.content).toHaveProperty(["application/octet-stream"]);
    expect(op("POST", "/api/auth/logout").requestBody).toBeUndefined();
  });

  it("names path and query parameters, and which routes need no sign-in", () => {
    const power = op("POST", "/api/guests/:id/:action{start|stop|force-off|reboot}");
    expect(power.parameters.find((p) => p.name === "action")!.schema.enum).toEqual([
      "start",
      "stop",
      "force-off",
      "reboot",
    ]);
    expect(power.parameters.find((p) => p.name === "id")).toMatchObject({ in: "path", required: true });
    const audit = op("GET", "/api/audit").parameters.filter((p) => p.in === "query");
    expect(audit.map((p) => p.name)).toEqual(["actor", "action", "outcome", "since", "until", "limit"]);
    expect(audit.every((p) => !p.required)).toBe(true);
    expect(op("POST", "/api/auth/login").security).toEqual([]);
    expect(op("GET", "/api/guests").security.length).toBeGreaterThan(0);
  });
});
