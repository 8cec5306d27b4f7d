import clsx from "clsx";
import type { SocketStatus } from "@/lib/use-socket-status";

export type AttachState =
  | { state: "idle" | "attaching" }
  | { state: "attached"; bootNumber: number | null }
  | { state: "failed"; error: string };

interface ConsoleStatusProps {
  socket: SocketStatus;
  attach: AttachState;
  readOnly: boolean;
  /** Why the last input was refused ("The guest is not running."). */
  notice: string | null;
}

/** The console's title bar: connection, boot number, and refused input. */
export function ConsoleStatus({ socket, attach, readOnly, notice }: ConsoleStatusProps) {
  const { label, tone, detail } = describe(socket, attach);
  return (
    <div className="flex min-h-8 items-center gap-3 border-b border-white/10 px-3 py-1 text-xs text-slate-400">
      <span role="status" className="inline-flex items-center gap-1.5" title={detail ?? undefined}>
        <span
          aria-hidden
          className={clsx(
            "size-2 rounded-full",
            tone === "ok" && "bg-emerald-400",
            tone === "wait" && "animate-pulse bg-amber-400",
            tone === "bad" && "bg-rose-400",
          )}
        />
        <span className={clsx(tone === "bad" ? "text-rose-300" : "text-slate-300")}>{label}</span>
        {detail && <span className="text-slate-500">— {detail}</span>}
      </span>
      {attach.state === "attached" && attach.bootNumber ? <span>boot {attach.bootNumber}</span> : null}
      <span className="ml-auto flex items-center gap-3">
        {notice && <span className="text-amber-300">{notice}</span>}
        {readOnly && (
          <span className="rounded border border-white/15 px-1.5 py-px text-[10px] tracking-wide uppercase">
            read-only
          </span>
        )}
      </span>
    </div>
  );
}

function describe(
  socket: SocketStatus,
  attach: AttachState,
): { label: string; tone: "ok" | "wait" | "bad"; detail: string | null } {
  if (socket.state === "connecting") return { label: "Connecting…", tone: "wait", detail: null };
  if (socket.state === "reconnecting") return { label: "Reconnecting…", tone: "bad", detail: socket.reason };
  if (attach.state === "failed") return { label: "Console unavailable", tone: "bad", detail: attach.error };
  if (attach.state === "attached") return { label: "Connected", tone: "ok", detail: null };
  return { label: "Attaching…", tone: "wait", detail: null };
}
