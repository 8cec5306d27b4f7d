import clsx from "clsx";
import { Eye, Keyboard } from "lucide-react";
import type { ConsoleSessionState } from "@/lib/client/console-session";
import type { SocketStatus } from "@/lib/client/use-socket-status";
import { Button } from "../ui/button";

interface ConsoleStatusProps {
  socket: SocketStatus;
  session: ConsoleSessionState;
  readOnly: boolean;
  onTakeControl: () => void;
  /** Extra controls on the right (search). */
  children?: React.ReactNode;
}

/** The console's title bar: connection, boot, who is watching and who is typing, notices. */
export function ConsoleStatus({ socket, session, readOnly, onTakeControl, children }: ConsoleStatusProps) {
  const { label, tone, detail } = describe(socket, session);
  const { attach, viewers, writerId, role, notice } = session;
  const writer = viewers.find((v) => v.id === writerId);
  const watchers = viewers.filter((v) => v.id !== writerId);
  return (
    <div className="flex min-h-9 flex-wrap items-center gap-x-3 gap-y-1 border-b border-white/10 px-3 py-1 text-xs text-slate-400">
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
      {attach.state === "attached" && (
        <span aria-label="Viewers" className="inline-flex items-center gap-3">
          <span className="inline-flex items-center gap-1" title="Typing">
            <Keyboard aria-hidden className="size-3.5" />
            <span data-testid="console-writer">
              {writer ? (writer.id === session.viewerId ? `${writer.name} (you)` : writer.name) : "nobody"}
            </span>
          </span>
          {watchers.length > 0 && (
            <span className="inline-flex items-center gap-1" title="Watching">
              <Eye aria-hidden className="size-3.5" />
              <span data-testid="console-watchers">
                {watchers.map((w) => (w.id === session.viewerId ? `${w.name} (you)` : w.name)).join(", ")}
              </span>
            </span>
          )}
        </span>
      )}
      <span className="ml-auto flex items-center gap-2">
        {notice && (
          <span role="alert" className="text-amber-300">
            {notice}
          </span>
        )}
        {!readOnly && attach.state === "attached" && role === "watcher" && (
          <Button size="sm" variant="terminal" onClick={onTakeControl}>
            Take control
          </Button>
        )}
        {children}
        {readOnly && (
          <span className="rounded border border-white/15 px-1.5 py-px text-[10px] tracking-wide uppercase">
            read-only
          </span>
        )}
      </span>
    </div>
  );
}

function describe(socket: SocketStatus, session: ConsoleSessionState) {
  const attach = session.attach;
  if (socket.state === "connecting") return { label: "Connecting…", tone: "wait" as const, detail: null };
  if (socket.state === "reconnecting") return { label: "Reconnecting…", tone: "bad" as const, detail: socket.reason };
  if (attach.state === "failed") return { label: "Console unavailable", tone: "bad" as const, detail: attach.error };
  if (attach.state === "attached") return { label: "Connected", tone: "ok" as const, detail: null };
  return { label: "Attaching…", tone: "wait" as const, detail: null };
}
