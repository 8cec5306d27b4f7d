"use client";

import "@xterm/xterm/css/xterm.css";
import { FitAddon } from "@xterm/addon-fit";
import { Terminal } from "@xterm/xterm";
import clsx from "clsx";
import { useEffect, useRef, useState } from "react";
import { bootDivider, TERMINAL_OPTIONS } from "@/lib/terminal-options";
import { useSocketStatus } from "@/lib/use-socket-status";
import { ConsoleStatus, type AttachState } from "./console-status";
import { useSocket } from "./corral-provider";

// Shown (locally, dim) when the daemon has no screen for this guest: never booted, or not
// since the daemon started. The next boot's divider and output follow it.
const EMPTY_CONSOLE_HINT =
  "\x1b[2mNo console output yet. Start the guest and its boot appears here; earlier boots are in the boot history.\x1b[0m\r\n";

const FULL_RESET = "\x1bc";

interface GuestConsoleProps {
  guestId: string;
  /** Watch only: keystrokes are not sent. */
  readOnly?: boolean;
  className?: string;
}

/**
 * A guest's console in xterm. On every (re)connect it attaches, draws the daemon's snapshot
 * of the screen, then writes the output that follows it. Unmounting detaches and disposes
 * the terminal; the guest itself keeps running.
 */
export function GuestConsole({ guestId, readOnly = false, className }: GuestConsoleProps) {
  const socket = useSocket();
  const socketStatus = useSocketStatus();
  const containerRef = useRef<HTMLDivElement>(null);
  const [term, setTerm] = useState<Terminal | null>(null);
  const [attach, setAttach] = useState<AttachState>({ state: "idle" });
  const [notice, setNotice] = useState<string | null>(null);

  // The terminal: created once per mount, fitted to its container whenever that resizes.
  useEffect(() => {
    const el = containerRef.current;
    if (!el) return;
    const t = new Terminal({ ...TERMINAL_OPTIONS, disableStdin: readOnly, cursorBlink: !readOnly });
    const fit = new FitAddon();
    t.loadAddon(fit);
    t.open(el);
    fit.fit();
    let frame = 0;
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => fit.fit());
    });
    observer.observe(el);
    setTerm(t);
    return () => {
      observer.disconnect();
      cancelAnimationFrame(frame);
      t.dispose();
    };
  }, [readOnly]);

  // The attachment: follows the socket through reconnects.
  useEffect(() => {
    if (!socket || !term) return;
    // Output is only written once the current attach's snapshot is on screen. Anything
    // that arrives before belongs to an older attachment and is already in the snapshot.
    let attached = false;
    // The screen holds only our local "no output yet" hint: the next boot replaces it.
    let hintOnly = false;
    let generation = 0;
    let disposed = false;

    const attachNow = () => {
      const gen = ++generation;
      attached = false;
      setAttach({ state: "attaching" });
      const size = { cols: term.cols, rows: term.rows };
      // A read-only viewer watches at the guest's size; only a typing viewer resizes it.
      socket.emit("console:attach", readOnly ? { guestId } : { guestId, ...size }, (reply) => {
        if (disposed || gen !== generation) return;
        if (!reply.ok) {
          setAttach({ state: "failed", error: reply.error });
          return;
        }
        // Reset in-band (RIS), not with term.reset(): output of an older attachment may
        // still sit in xterm's write queue and must not land on top of the snapshot.
        hintOnly = !reply.snapshot?.screen;
        term.write(FULL_RESET + (reply.snapshot?.screen || EMPTY_CONSOLE_HINT));
        attached = true;
        setAttach({ state: "attached", bootNumber: reply.snapshot?.bootNumber ?? null });
        // The container may have been resized while the attach was in flight.
        if (!readOnly && (term.cols !== size.cols || term.rows !== size.rows)) {
          socket.emit("console:resize", { guestId, cols: term.cols, rows: term.rows });
        }
      });
    };
    const onDisconnect = () => {
      attached = false;
      generation++;
    };
    const onOutput = (e: { guestId: string; data: string }) => {
      if (!attached || e.guestId !== guestId) return;
      hintOnly = false;
      term.write(e.data);
    };
    const onBoot = (e: { guestId: string; bootNumber: number }) => {
      if (!attached || e.guestId !== guestId) return;
      if (hintOnly) term.write(FULL_RESET);
      term.write(bootDivider(e.bootNumber, hintOnly || term.buffer.active.cursorX === 0));
      hintOnly = false;
      setAttach({ state: "attached", bootNumber: e.bootNumber });
      setNotice(null);
    };
    const resizeSub = term.onResize(({ cols, rows }) => {
      if (!readOnly && attached && socket.connected) socket.emit("console:resize", { guestId, cols, rows });
    });
    const dataSub = readOnly
      ? null
      : term.onData((data) => {
          if (!attached || !socket.connected) {
            setNotice("Not connected: input was not sent.");
            return;
          }
          socket.emit("console:input", { guestId, data }, (reply) => {
            if (!disposed) setNotice(reply.ok ? null : reply.error);
          });
        });

    socket.on("connect", attachNow);
    socket.on("disconnect", onDisconnect);
    socket.on("console:output", onOutput);
    socket.on("console:boot", onBoot);
    if (socket.connected) attachNow();
    return () => {
      disposed = true;
      socket.off("connect", attachNow);
      socket.off("disconnect", onDisconnect);
      socket.off("console:output", onOutput);
      socket.off("console:boot", onBoot);
      resizeSub.dispose();
      dataSub?.dispose();
      if (socket.connected) socket.emit("console:detach", { guestId });
    };
  }, [socket, term, guestId, readOnly]);

  return (
    <div
      className={clsx(
        "flex flex-col overflow-hidden rounded-lg bg-[#0b1120] shadow-sm ring-1 ring-slate-900/10",
        className,
      )}
    >
      <ConsoleStatus socket={socketStatus} attach={attach} readOnly={readOnly} notice={notice} />
      {/* FitAddon measures the inner element and ignores its padding: pad the wrapper. */}
      <div className="min-h-0 flex-1 p-2">
        <div ref={containerRef} data-testid="console" className="h-full w-full" />
      </div>
    </div>
  );
}
