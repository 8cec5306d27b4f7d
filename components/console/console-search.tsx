"use client";

import type { SearchAddon } from "@xterm/addon-search";
import { Search, X } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import { Button } from "../ui/button";

/** Find in the console's scrollback: Enter for the next match, Shift+Enter for the previous. */
export function ConsoleSearch({ search, openSignal }: { search: SearchAddon | null; openSignal: number }) {
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState("");
  const [found, setFound] = useState<boolean | null>(null);
  const input = useRef<HTMLInputElement>(null);

  // Ctrl+Shift+F in the terminal bumps the signal: open (adjusted while rendering, not in an effect).
  const [seenSignal, setSeenSignal] = useState(0);
  if (openSignal !== seenSignal) {
    setSeenSignal(openSignal);
    if (openSignal > 0) setOpen(true);
  }
  useEffect(() => {
    if (open) input.current?.focus();
  }, [open, openSignal]);

  if (!open) {
    return (
      <Button size="sm" variant="terminal" onClick={() => setOpen(true)} title="Search the scrollback (Ctrl+Shift+F)">
        <Search className="size-3.5" aria-hidden /> Search
      </Button>
    );
  }
  const go = (backwards: boolean) => {
    if (!search || !query) return;
    setFound(backwards ? search.findPrevious(query) : search.findNext(query));
  };
  return (
    <span className="inline-flex items-center gap-1">
      <input
        ref={input}
        aria-label="Search the console"
        value={query}
        placeholder="Search…"
        onChange={(e) => {
          setQuery(e.target.value);
          setFound(null);
        }}
        onKeyDown={(e) => {
          if (e.key === "Enter") go(e.shiftKey);
          if (e.key === "Escape") {
            search?.clearDecorations();
            setOpen(false);
          }
        }}
        className="h-6 w-40 rounded border border-white/20 bg-white/5 px-2 text-xs text-slate-100 outline-none focus:border-sky-400"
      />
      {found === false && <span className="text-amber-300">not found</span>}
      <Button
        size="sm"
        variant="terminal"
        aria-label="Close search"
        onClick={() => {
          search?.clearDecorations();
          setOpen(false);
        }}
      >
        <X className="size-3.5" aria-hidden />
      </Button>
    </span>
  );
}
