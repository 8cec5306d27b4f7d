"use client";

import "@xterm/xterm/css/xterm.css";
import { FitAddon } from "@xterm/addon-fit";
import { SearchAddon } from "@xterm/addon-search";
import { WebLinksAddon } from "@xterm/addon-web-links";
import { Terminal } from "@xterm/xterm";
import clsx from "clsx";
import { useEffect, useRef, useState } from "react";
import {
  ConsoleSession,
  INITIAL_CONSOLE_STATE,
  type ConsoleSessionState,
  type SessionTerminal,
} from "@/lib/client/console-session";
import { TERMINAL_OPTIONS } from "@/lib/client/terminal-options";
import { useSocketStatus } from "@/lib/client/use-socket-status";
import { viewerName } from "@/lib/client/viewer-name";
import { ConsoleSearch } from "./console-search";
import { ConsoleStatus } from "./console-status";
import { useSocket } from "@/lib/client/socket-context";

// Shown (locally, dim) when the daemon has no screen for this guest: never booted, or not
// since the daemon started. The next boot's divider and output follow it.
const EMPTY_CONSOLE_HINT =
  "\x1b[2mNo console output yet. Start the guest and its boot appears here; earlier boots are in the boot history.\x1b[0m\r\n";

interface ConsoleTerminalProps {
  guestId: string;
  /** Watch only: keystrokes are not sent and the guest's terminal is never resized. */
  readOnly?: boolean;
  className?: string;
}

/**
 * A guest's console in xterm: shared with every other viewer, one of whom types. Survives
 * reconnects without losing or repeating output. Copy with Ctrl+Shift+C (or the browser's
 * menu), paste with Ctrl+Shift+V (bracketed when the guest asks), search with Ctrl+Shift+F;
 * links open in a new tab. Unmounting detaches; the guest keeps running.
 */
export function ConsoleTerminal({ guestId, readOnly = false, className }: ConsoleTerminalProps) {
  const socket = useSocket();
  const socketStatus = useSocketStatus();
  const containerRef = useRef<HTMLDivElement>(null);
  const [term, setTerm] = useState<{ t: Terminal; search: SearchAddon } | null>(null);
  const [session, setSession] = useState<ConsoleSession | null>(null);
  const [state, setState] = useState<ConsoleSessionState>(INITIAL_CONSOLE_STATE);
  const [searchSignal, setSearchSignal] = useState(0);

  useEffect(() => {
    const el = containerRef.current;
    if (!el) return;
    const t = new Terminal({ ...TERMINAL_OPTIONS, disableStdin: readOnly, cursorBlink: !readOnly });
    const fit = new FitAddon();
    const search = new SearchAddon();
    t.loadAddon(fit);
    t.loadAddon(search);
    t.loadAddon(new WebLinksAddon((_e, uri) => window.open(uri, "_blank", "noopener,noreferrer")));
    t.attachCustomKeyEventHandler((e) => {
      if (e.type !== "keydown" || !e.ctrlKey || !e.shiftKey) return true;
      const key = e.key.toLowerCase();
      if (key === "c" && t.hasSelection()) void navigator.clipboard?.writeText(t.getSelection());
      else if (key === "v" && !readOnly) void navigator.clipboard?.readText().then((text) => t.paste(text));
      else if (key === "f") setSearchSignal((n) => n + 1);
      else return true;
      e.preventDefault();
      return false;
    });
    t.open(el);
    fit.fit();
    // For automation (the end-to-end tests): the whole buffer as text, scrollback included.
    (el as HTMLElement & { corralText?: () => string }).corralText = () => {
      const b = t.buffer.active;
      const lines: string[] = [];
      for (let i = 0; i < b.length; i++) lines.push(b.getLine(i)?.translateToString(true) ?? "");
      return lines.join("\n");
    };
    let frame = 0;
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => fit.fit());
    });
    observer.observe(el);
    setTerm({ t, search });
    return () => {
      observer.disconnect();
      cancelAnimationFrame(frame);
      t.dispose();
    };
  }, [readOnly]);

  useEffect(() => {
    if (!socket || !term) return;
    const { t } = term;
    const adapter: SessionTerminal = {
      write: (d, cb) => t.write(d, cb),
      get cols() {
        return t.cols;
      },
      get rows() {
        return t.rows;
      },
      atLineStart: () => t.buffer.active.cursorX === 0,
    };
    const s = new ConsoleSession(socket, guestId, adapter, {
      readOnly,
      name: viewerName(),
      emptyHint: EMPTY_CONSOLE_HINT,
      onState: setState,
    });
    const resizeSub = t.onResize(({ cols, rows }) => s.resize(cols, rows));
    // Paste arrives here too: xterm wraps it in bracketed-paste markers when the guest enabled them.
    const dataSub = readOnly ? null : t.onData((data) => s.input(data));
    s.start();
    // The session lives as long as this terminal and socket: made and ended here.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setSession(s);
    return () => {
      resizeSub.dispose();
      dataSub?.dispose();
      s.stop();
      setSession(null);
      setState(INITIAL_CONSOLE_STATE);
    };
  }, [socket, term, guestId, readOnly]);

  return (
    <div
      className={clsx(
        "flex flex-col overflow-hidden rounded-lg bg-[#0b1120] shadow-sm ring-1 ring-slate-900/10",
        className,
      )}
    >
      <ConsoleStatus
        socket={socketStatus}
        session={state}
        readOnly={readOnly}
        onTakeControl={() => session?.takeControl()}
      >
        <ConsoleSearch search={term?.search ?? null} openSignal={searchSignal} />
      </ConsoleStatus>
      {/* FitAddon measures the inner element and ignores its padding: pad the wrapper. */}
      <div className="min-h-0 flex-1 p-2">
        <div ref={containerRef} data-testid="console" className="h-full w-full" />
      </div>
    </div>
  );
}
