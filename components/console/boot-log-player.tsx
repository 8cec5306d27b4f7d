"use client";

import "@xterm/xterm/css/xterm.css";
import { Terminal } from "@xterm/xterm";
import { ArrowDownToLine, ArrowUpToLine } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import { apiRequest, guestApiPath } from "@/lib/shared/api-client";
import { CastLogError, parseCastLog, type CastStep } from "@/lib/shared/cast-log";
import { TERMINAL_OPTIONS } from "@/lib/client/terminal-options";
import { Button } from "../ui/button";

type LoadState = { state: "loading" } | { state: "ready"; skipped: number } | { state: "failed"; message: string };

/** Writes steps in order: xterm's write is queued, resize is immediate, so chain them. */
function play(term: Terminal, steps: CastStep[]): Promise<void> {
  return steps.reduce<Promise<void>>(
    (prev, step) =>
      prev.then(
        () =>
          new Promise<void>((resolve) => {
            if (step.type === "write") term.write(step.data, resolve);
            else {
              term.resize(step.cols, step.rows);
              resolve();
            }
          }),
      ),
    Promise.resolve(),
  );
}

/** A recorded boot, redrawn with its colours in a read-only terminal at its own size. */
export function BootLogPlayer({ guestId, bootNumber }: { guestId: string; bootNumber: number }) {
  const containerRef = useRef<HTMLDivElement>(null);
  const termRef = useRef<Terminal | null>(null);
  const [load, setLoad] = useState<LoadState>({ state: "loading" });

  useEffect(() => {
    const el = containerRef.current;
    if (!el) return;
    const abort = new AbortController();
    let term: Terminal | null = null;
    apiRequest<string>(guestApiPath(guestId, "boots", bootNumber, "log"), { as: "text", signal: abort.signal })
      .then(async (r) => {
        if (!r.ok) throw new CastLogError(r.message);
        const log = parseCastLog(r.data);
        term = new Terminal({
          ...TERMINAL_OPTIONS,
          cols: log.width,
          rows: log.height,
          scrollback: 100_000,
          disableStdin: true,
          cursorInactiveStyle: "none",
        });
        termRef.current = term;
        term.open(el);
        await play(term, log.steps);
        if (!abort.signal.aborted) setLoad({ state: "ready", skipped: log.skipped });
      })
      .catch((err: Error) => {
        if (abort.signal.aborted) return;
        setLoad({
          state: "failed",
          message: err instanceof CastLogError ? err.message : `Could not show the log: ${err.message}`,
        });
      });
    return () => {
      abort.abort();
      term?.dispose();
      termRef.current = null;
    };
  }, [guestId, bootNumber]);

  return (
    <div className="overflow-hidden rounded-lg bg-[#0b1120] shadow-sm ring-1 ring-slate-900/10">
      <div className="flex min-h-8 items-center gap-3 border-b border-white/10 px-3 py-1 text-xs text-slate-400">
        <span role="status">
          {load.state === "loading" && "Loading log…"}
          {load.state === "ready" && "Recorded log"}
          {load.state === "failed" && "Log unavailable"}
        </span>
        {load.state === "ready" && load.skipped > 0 && (
          <span className="text-amber-300">{load.skipped} unreadable line(s) skipped</span>
        )}
        <span className="ml-auto flex gap-1">
          <Button size="sm" variant="terminal" onClick={() => termRef.current?.scrollToTop()}>
            <ArrowUpToLine aria-hidden className="size-3.5" /> Top
          </Button>
          <Button size="sm" variant="terminal" onClick={() => termRef.current?.scrollToBottom()}>
            <ArrowDownToLine aria-hidden className="size-3.5" /> End
          </Button>
        </span>
      </div>
      {load.state === "failed" && (
        <p role="alert" className="px-4 py-6 text-sm text-rose-300">
          {load.message}
        </p>
      )}
      <div className="overflow-x-auto p-2">
        <div ref={containerRef} data-testid="boot-log" className="inline-block" />
      </div>
    </div>
  );
}
