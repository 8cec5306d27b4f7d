"use client";

import "@xterm/xterm/css/xterm.css";
import { Terminal } from "@xterm/xterm";
import { ArrowDownToLine, ArrowUpToLine, Pause, Play } from "lucide-react";
import { useEffect, useReducer, useRef, useState } from "react";
import { apiRequest, guestApiPath } from "@/lib/shared/api-client";
import { CastLogError, parseCastLog } from "@/lib/shared/cast-log";
import { CastReplay } from "@/lib/client/cast-replay";
import { onReplaySeek, replayMomentFromHash } from "@/lib/client/replay-seek";
import { TERMINAL_OPTIONS } from "@/lib/client/terminal-options";
import { Button } from "../ui/button";

type LoadState =
  { state: "loading" } | { state: "ready"; skipped: number; duration: number } | { state: "failed"; message: string };

const SPEEDS = [1, 5, 20];

/**
 * A recorded boot, redrawn with its colours in a read-only terminal at its own size: whole
 * at first, then at any moment the timeline asks for (`#t=` or seekReplay), or played on.
 */
export function BootLogPlayer({ guestId, bootNumber }: { guestId: string; bootNumber: number }) {
  const rootRef = useRef<HTMLDivElement>(null);
  const containerRef = useRef<HTMLDivElement>(null);
  const termRef = useRef<Terminal | null>(null);
  const [replay, setReplay] = useState<CastReplay | null>(null);
  const [load, setLoad] = useState<LoadState>({ state: "loading" });
  const [speed, setSpeed] = useState(SPEEDS[0]);
  const [, rerender] = useReducer((n: number) => n + 1, 0);

  useEffect(() => {
    const el = containerRef.current;
    if (!el) return;
    const abort = new AbortController();
    let term: Terminal | null = null;
    let replay: CastReplay | null = null;
    let unsubscribe = () => {};
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
        replay = new CastReplay(term, log, rerender);
        setReplay(replay);
        const seek = (at: number) => {
          void replay!.seek(at);
          rootRef.current?.scrollIntoView({ block: "nearest", behavior: "smooth" });
        };
        unsubscribe = onReplaySeek(seek);
        await replay.seek(replayMomentFromHash(window.location.hash) ?? Infinity);
        if (!abort.signal.aborted) setLoad({ state: "ready", skipped: log.skipped, duration: log.duration });
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
      unsubscribe();
      replay?.dispose();
      term?.dispose();
      termRef.current = null;
      setReplay(null);
    };
  }, [guestId, bootNumber]);

  const ready = load.state === "ready" && replay !== null;
  const duration = load.state === "ready" ? load.duration : 0;
  const position = replay?.position ?? 0;
  return (
    <div
      ref={rootRef}
      data-position={ready ? position.toFixed(3) : undefined}
      className="scroll-mt-4 overflow-hidden rounded-lg bg-[#0b1120] shadow-sm ring-1 ring-slate-900/10"
    >
      <div className="flex min-h-8 flex-wrap items-center gap-3 border-b border-white/10 px-3 py-1 text-xs text-slate-400">
        <span role="status" className="tabular-nums">
          {load.state === "loading" && "Loading log…"}
          {ready && (position >= duration ? "Recorded log" : `At ${position.toFixed(1)} s of ${duration.toFixed(1)} s`)}
          {load.state === "failed" && "Log unavailable"}
        </span>
        {load.state === "ready" && load.skipped > 0 && (
          <span className="text-amber-300">{load.skipped} unreadable line(s) skipped</span>
        )}
        {ready && (
          <span className="flex grow items-center gap-2">
            <Button
              size="sm"
              variant="terminal"
              aria-label={replay.playing ? "Pause the replay" : "Play the boot from here"}
              onClick={() => (replay.playing ? replay.pause() : replay.play(speed))}
            >
              {replay.playing ? <Pause aria-hidden className="size-3.5" /> : <Play aria-hidden className="size-3.5" />}
            </Button>
            <select
              aria-label="Replay speed"
              value={speed}
              onChange={(e) => {
                setSpeed(Number(e.target.value));
                replay.pause();
              }}
              className="rounded bg-transparent text-slate-300 ring-1 ring-white/20"
            >
              {SPEEDS.map((s) => (
                <option key={s} value={s} className="text-slate-900">
                  {s}×
                </option>
              ))}
            </select>
            <input
              type="range"
              aria-label="Replay position (seconds)"
              min={0}
              max={duration}
              step={0.01}
              value={Math.min(position, duration)}
              onChange={(e) => void replay.seek(Number(e.target.value))}
              className="min-w-24 grow accent-sky-400"
            />
          </span>
        )}
        <span className="ml-auto flex gap-1">
          <Button size="sm" variant="terminal" onClick={() => termRef.current?.scrollToTop()}>
            <ArrowUpToLine aria-hidden className="size-3.5" /> Top
          </Button>
          <Button size="sm" variant="terminal" onClick={() => void replay?.seek(Infinity)}>
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
