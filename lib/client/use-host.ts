"use client";

import { useEffect, useState } from "react";
import { apiGet } from "../shared/api-client";
import type { HostView } from "../shared/protocol";

export type HostState = { host: HostView; error: null } | { host: null; error: string | null };

/** The host's capacity from the daemon, read once per mount. */
export function useHost(): HostState {
  const [state, setState] = useState<HostState>({ host: null, error: null });
  useEffect(() => {
    const abort = new AbortController();
    apiGet<HostView>("/api/host", abort.signal)
      .then((r) => setState(r.ok ? { host: r.data, error: null } : { host: null, error: r.message }))
      .catch(() => {});
    return () => abort.abort();
  }, []);
  return state;
}
