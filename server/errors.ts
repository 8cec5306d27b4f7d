// Typed errors the daemon raises; server/http/ maps each kind to a status code.
export type ErrorKind = "invalid" | "not-found" | "conflict" | "insufficient" | "unavailable";

export class CorralError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = "CorralError";
  }
}

export const invalid = (message: string, fields?: Record<string, string>) =>
  new CorralError("invalid", message, fields);
export const notFound = (message: string) => new CorralError("not-found", message);
export const conflict = (message: string) => new CorralError("conflict", message);
export const insufficient = (message: string) => new CorralError("insufficient", message);
export const unavailable = (message: string) => new CorralError("unavailable", message);
