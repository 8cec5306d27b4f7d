import { createGuestSchema, type CreateGuestInput } from "@/lib/shared/protocol";
import { zodFields } from "@/lib/shared/zod-fields";

export type FieldName =
  | "name"
  | "kind"
  | "imageId"
  | "memoryMiB"
  | "kernelArgs"
  | "network"
  | "forwards"
  | "rootPassword"
  | "authorizedKeys"
  | "hostId";
export type FieldErrors = Partial<Record<FieldName, string>>;

const FIELDS: readonly string[] = [
  "hostId",
  "name",
  "kind",
  "imageId",
  "memoryMiB",
  "kernelArgs",
  "network",
  "forwards",
  "rootPassword",
  "authorizedKeys",
] satisfies FieldName[];

/** Daemon field keys ("kernelArgs.2") mapped onto the inputs that show them. */
export function fieldOf(key: string): FieldName | null {
  const head = key.split(".")[0];
  return FIELDS.includes(head) ? (head as FieldName) : null;
}

/** The form's errors as the user types: the shared schema, plus this host's memory limit. */
export function validateDraft(input: CreateGuestInput, hostMaxMiB: number | null): FieldErrors {
  const errors: FieldErrors = {};
  const parsed = createGuestSchema.safeParse(input);
  if (!parsed.success) {
    for (const [key, message] of Object.entries(zodFields(parsed.error))) {
      const f = fieldOf(key);
      if (f) errors[f] ??= message;
    }
  }
  if (!errors.memoryMiB && hostMaxMiB !== null && input.memoryMiB > hostMaxMiB) {
    errors.memoryMiB = `This host can give one guest at most ${hostMaxMiB} MiB.`;
  }
  return errors;
}

/** The daemon's refusal split into the fields it names and what is left for the whole form. */
export function splitRefusal(
  message: string,
  fields: Record<string, string>,
): { fields: FieldErrors; form: string | null } {
  const byField: FieldErrors = {};
  const leftover: string[] = [];
  for (const [key, text] of Object.entries(fields)) {
    const f = fieldOf(key);
    if (f) byField[f] ??= text;
    else leftover.push(text);
  }
  const anyField = Object.keys(byField).length > 0;
  return { fields: byField, form: anyField && leftover.length === 0 ? null : [message, ...leftover].join(" ") };
}
