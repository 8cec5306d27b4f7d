// Quantities people type into forms, with errors that name the quantity.
import { z } from "zod";

/** A whole number of MiB within [min, max], e.g. `wholeMiB("Memory", 48, 2048)`. */
export function wholeMiB(what: string, min: number, max: number) {
  return z
    .number({ error: `${what} must be a whole number of MiB.` })
    .int(`${what} must be a whole number of MiB.`)
    .min(min, `${what} must be at least ${min} MiB.`)
    .max(max, `${what} must be at most ${max} MiB.`);
}
