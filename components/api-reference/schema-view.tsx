import type { JsonSchemaView } from "@/lib/shared/protocol";

/** "string", "integer", "one of: string, null", "array of object". */
export function schemaType(s: JsonSchemaView): string {
  if (s.anyOf) return s.anyOf.map(schemaType).join(" or ");
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(" | ");
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.type === "array" && s.items) return `array of ${schemaType(s.items)}`;
  const type = Array.isArray(s.type) ? s.type.join(" or ") : (s.type ?? "any");
  return s.format ? `${type} (${s.format})` : type;
}

/** Bounds and defaults in words: "1–64 characters", "at most 16 items", "default "user"". */
export function schemaRules(s: JsonSchemaView): string[] {
  const rules: string[] = [];
  const range = (min: number | undefined, max: number | undefined, unit: string) => {
    if (min !== undefined && max !== undefined) rules.push(`${min}–${max}${unit}`);
    else if (min !== undefined) rules.push(`at least ${min}${unit}`);
    else if (max !== undefined) rules.push(`at most ${max}${unit}`);
  };
  range(s.minimum, s.maximum !== undefined && s.maximum < Number.MAX_SAFE_INTEGER ? s.maximum : undefined, "");
  range(s.minLength, s.maxLength, " characters");
  range(s.minItems, s.maxItems, " items");
  // A date-time's pattern only restates its format.
  if (s.pattern && !s.format) rules.push(`matches /${s.pattern}/`);
  if (s.default !== undefined) rules.push(`default ${JSON.stringify(s.default)}`);
  for (const alt of s.anyOf ?? []) rules.push(...schemaRules(alt));
  return rules;
}

/** An object's fields as a nested list; anything else as its type and rules. */
export function SchemaView({ schema }: { schema: JsonSchemaView }) {
  const fields = Object.entries(schema.properties ?? {});
  if (schema.type !== "object" || fields.length === 0)
    return (
      <p className="font-mono text-xs text-slate-700">
        {schemaType(schema)}
        {schema.type === "object" && " (no fields: send {} or nothing)"}
      </p>
    );
  return (
    <ul className="flex flex-col gap-1.5">
      {fields.map(([name, field]) => {
        const nested = field.type === "array" ? field.items : field;
        return (
          <li key={name} className="text-xs">
            <span className="font-mono font-medium text-slate-900">{name}</span>{" "}
            <span className="font-mono text-sky-800">{schemaType(field)}</span>{" "}
            {schema.required?.includes(name) ? (
              <span className="font-medium text-rose-700">required</span>
            ) : (
              <span className="text-slate-500">optional</span>
            )}
            {schemaRules(field).length > 0 && (
              <span className="text-slate-500"> · {schemaRules(field).join(" · ")}</span>
            )}
            {nested?.type === "object" && nested.properties && (
              <div className="mt-1.5 border-l-2 border-slate-200 pl-3">
                <SchemaView schema={nested} />
              </div>
            )}
          </li>
        );
      })}
    </ul>
  );
}
