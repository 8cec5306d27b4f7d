// Recognises what a guest's console says about its own life — a prompt (ready), the
// kernel's (or a container's) restart line, halt/power-off lines, a panic — in output that arrives in arbitrary
// chunks: a marker split across two chunks is still found, exactly once.
export type ConsoleSign =
  | { kind: "prompt" }
  | { kind: "restarting"; end: number }
  | { kind: "halted" }
  | { kind: "powered-off" }
  | { kind: "panic"; message: string };

const KEEP = 512;
const LINE_SIGNS: Array<{ text: string; kind: "restarting" | "halted" | "powered-off" }> = [
  { text: "reboot: Restarting system", kind: "restarting" },
  // A context guest's restart in place, said by its container's post-stop hook (scripts/lxc-hooks/post-stop).
  { text: "corral: restarting the container", kind: "restarting" },
  { text: "reboot: System halted", kind: "halted" },
  { text: "reboot: Power down", kind: "powered-off" },
];
const PANIC = /Kernel panic - not syncing: ([^\r\n]*)\r?\n/;
// A shell prompt or a getty's login prompt at the very end of the output, ignoring the
// escape sequences shells print after their prompt (busybox asks for the cursor position).
export const PROMPT = /(?:login: |[#$] )(?:\x1b\[[0-9;?]*[A-Za-z])*$/;

export class ConsoleWatcher {
  private tail = "";

  /** Feed one chunk; returns the signs completed by it. `end` is an offset into `chunk`. */
  scan(chunk: string): ConsoleSign[] {
    const text = this.tail + chunk;
    const base = this.tail.length;
    const signs: ConsoleSign[] = [];
    for (const { text: needle, kind } of LINE_SIGNS) {
      const at = text.indexOf(needle, Math.max(0, base - needle.length + 1));
      if (at >= 0) {
        const end = at + needle.length - base;
        signs.push(kind === "restarting" ? { kind, end: lineEnd(chunk, end) } : { kind });
      }
    }
    const panic = PANIC.exec(text);
    if (panic && panic.index + panic[0].length > base) signs.push({ kind: "panic", message: panic[1].trim() });
    if (PROMPT.test(text)) signs.push({ kind: "prompt" });
    this.tail = text.slice(-KEEP);
    // A panic is reported once: forget it after it has been seen.
    if (panic) this.tail = this.tail.replace(PANIC, "");
    return signs;
  }

  reset(): void {
    this.tail = "";
  }
}

function lineEnd(chunk: string, from: number): number {
  const nl = chunk.indexOf("\n", Math.max(0, from));
  return nl < 0 ? chunk.length : nl + 1;
}
