// What `corral` exits with, so scripts can tell failures apart (README, "Command line").
export const EXIT = {
  ok: 0,
  /** Anything else: the daemon failed, a guest crashed while waiting, a file could not be read. */
  error: 1,
  /** The command line or the values given are wrong (also the daemon's 400/413/422). */
  usage: 2,
  /** Not signed in, the token expired or was revoked, or the role does not allow it (401/403). */
  auth: 3,
  /** No such guest, image, boot, snapshot, user or build (404). */
  notFound: 4,
  /** The request conflicts with the current state: a running guest, a taken name, a quota (409). */
  conflict: 5,
  /** Corral could not be reached at the URL in use. */
  unreachable: 6,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A failure to report to the person: its message (what happened, what to do) and exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.error,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
    this.name = "CliError";
  }
}

/** The exit code for an HTTP status the daemon answered with (0: it could not be reached). */
export function exitCodeForStatus(status: number): ExitCode {
  if (status === 0) return EXIT.unreachable;
  if (status === 401 || status === 403) return EXIT.auth;
  if (status === 404) return EXIT.notFound;
  if (status === 409) return EXIT.conflict;
  if (status === 400 || status === 413 || status === 415 || status === 422) return EXIT.usage;
  return EXIT.error;
}
