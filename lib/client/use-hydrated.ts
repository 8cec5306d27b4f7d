"use client";

import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

/**
 * False in the server's HTML and until React has taken over the page, then true. Forms
 * keep their inputs and submit button disabled until then: a submit before hydration
 * would be the browser's own GET, with the fields (a password, say) in the URL.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}
