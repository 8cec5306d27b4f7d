// The daemon's API document (OpenAPI 3.1, server/http/openapi.ts): where it is served, and
// the parts of it the web's API reference page reads.

export const OPENAPI_PATH = "/api/openapi.json";

/** A JSON Schema (2020-12) as zod's toJSONSchema writes it. */
export interface JsonSchemaView {
  type?: string | string[];
  properties?: Record<string, JsonSchemaView>;
  required?: string[];
  items?: JsonSchemaView;
  anyOf?: JsonSchemaView[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  additionalProperties?: boolean | JsonSchemaView;
  description?: string;
}

export interface ApiParameterView {
  name: string;
  in: "path" | "query";
  required: boolean;
  schema: JsonSchemaView;
}

export interface ApiOperationView {
  operationId: string;
  summary: string;
  tags: string[];
  "x-corral-permission": string;
  "x-corral-body-max-bytes": number;
  security: unknown[];
  parameters: ApiParameterView[];
  requestBody?: { description?: string; content: Record<string, { schema: JsonSchemaView }> };
}

export interface ApiDocumentView {
  openapi: string;
  info: { title: string; version: string; description: string };
  paths: Record<string, Record<string, ApiOperationView>>;
}
