// Turning option text into request values, checked with the same zod schemas the daemon
// uses, so a wrong value is refused with the daemon's words before anything is sent.
import fs from "node:fs";
import type { z } from "zod";
import type { PortForwardInput } from "../lib/shared/protocol";
import { zodFields } from "../lib/shared/zod-fields";
import { CliError, EXIT } from "./exit-codes";

export function checked<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new CliError(`The ${what} needs attention:`, EXIT.usage, zodFields(result.error));
}

/** A whole number from an option; commander hands options over as text. */
export function wholeNumber(text: string): number {
  if (!/^\d+$/.test(text)) throw new CliError(`"${text}" is not a whole number.`, EXIT.usage);
  return Number(text);
}

/** "8022:22", "tcp:8022:22" or "udp:5353:53" (host port first, as in `ssh -L`). */
export function parseForward(text: string): PortForwardInput {
  const m = /^(?:(tcp|udp):)?(\d+):(\d+)$/.exec(text);
  if (!m)
    throw new CliError(`"${text}" is not a port forward: use [tcp:|udp:]HOSTPORT:GUESTPORT, e.g. 8022:22.`, EXIT.usage);
  return { protocol: (m[1] ?? "tcp") as "tcp" | "udp", hostPort: Number(m[2]), guestPort: Number(m[3]) };
}

export function readTextFile(file: string, what: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new CliError(`Cannot read the ${what} from ${file}: ${(err as Error).message}.`, EXIT.usage);
  }
}

/** Repeated options (`--forward a --forward b`) collect into a list. */
export const collect = (value: string, previous: string[] = []) => [...previous, value];
