"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { apiGet, apiRequest } from "../shared/api-client";
import type { ImageBuildView } from "../shared/protocol";
import { useRoom } from "./use-room";

const TAIL_LINES = 400;

export interface ImageBuildsState {
  /** The build shown: the one just started, or the newest. */
  build: ImageBuildView | null;
  tail: string[];
  error: string | null;
  /** Every build the daemon has kept, newest first. */
  builds: ImageBuildView[];
  show(build: ImageBuildView): void;
  /** Shows a kept build and its log's tail. */
  select(id: string): void;
}

/**
 * The newest Debian build and its log tail, live: joins `images:watch` on every (re)connect
 * and re-reads the build and its log then, so nothing printed while disconnected is lost.
 */
export function useImageBuilds(): ImageBuildsState {
  const [build, setBuild] = useState<ImageBuildView | null>(null);
  const [tail, setTail] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [builds, setBuilds] = useState<ImageBuildView[]>([]);
  const shown = useRef<string | null>(null);

  const load = useCallback(async (id?: string) => {
    const list = await apiGet<ImageBuildView[]>("/api/images/builds");
    if (!list.ok) return setError(list.message);
    setBuilds(list.data);
    const b = list.data.find((x) => x.id === (id ?? shown.current)) ?? list.data[0] ?? null;
    shown.current = b?.id ?? null;
    setBuild(b);
    if (!b) return setTail([]);
    const log = await apiRequest<string>(`/api/images/builds/${encodeURIComponent(b.id)}/log`, { as: "text" });
    if (log.ok && shown.current === b.id) setTail(log.data.split("\n").filter(Boolean).slice(-TAIL_LINES));
  }, []);

  useEffect(() => {
    // load() sets state only after its first await (a fetch), never synchronously.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    void load();
  }, [load]);

  useRoom({
    join: "images:watch",
    on: {
      "image:build": (e) => {
        const changed = e.build;
        if (changed) {
          setBuilds((bs) =>
            bs.some((b) => b.id === changed.id) ? bs.map((b) => (b.id === changed.id ? changed : b)) : [changed, ...bs],
          );
        }
        if (e.build && (e.buildId === shown.current || e.build.status === "running")) {
          if (e.buildId !== shown.current) setTail([]);
          shown.current = e.buildId;
          setBuild(e.build);
        }
        if (e.buildId !== shown.current) return;
        setBuild((b) => (b && b.id === e.buildId ? { ...b, stage: e.stage, percent: e.percent } : b));
        const line = e.line;
        if (line !== null) setTail((t) => [...t.slice(-(TAIL_LINES - 1)), line]);
      },
    },
    // Re-read the build and its log: nothing printed while disconnected is lost.
    onJoined: () => void load(),
    onRefused: setError,
  });

  const show = useCallback((b: ImageBuildView) => {
    shown.current = b.id;
    setBuild(b);
    setTail([]);
  }, []);

  const select = useCallback(
    (id: string) => {
      shown.current = id;
      setTail([]);
      void load(id);
    },
    [load],
  );

  return { build, tail, error, builds, show, select };
}
