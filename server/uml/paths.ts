import path from "node:path";

// Where each guest's files live. Every path derives from ids the daemon generated, never
// from names a person typed, so nothing here needs escaping.
export interface GuestPaths {
  dir: string;
  cow: string;
  bootsDir: string;
  /** UML's own runtime directory for this guest: `<runDir>/<umid>/mconsole` lives under it. */
  umid: string;
  mconsoleSocket: string;
  notifySocket: string;
}

export function guestPaths(dataDir: string, runDir: string, guestId: string): GuestPaths {
  const dir = path.join(dataDir, "guests", guestId);
  return {
    dir,
    cow: path.join(dir, "root.cow"),
    bootsDir: path.join(dir, "boots"),
    umid: guestId,
    mconsoleSocket: path.join(runDir, guestId, "mconsole"),
    notifySocket: path.join(runDir, `${guestId}.notify`),
  };
}

export function bootLogPath(paths: GuestPaths, bootNumber: number): string {
  return path.join(paths.bootsDir, `${bootNumber}.cast`);
}
