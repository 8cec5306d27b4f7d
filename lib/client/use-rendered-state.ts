"use client";

import { useState, type Dispatch, type SetStateAction } from "react";

/**
 * State that starts from what the server rendered and starts over when it renders anew
 * (router.refresh()); live updates change it in between. Adjusted while rendering, as React
 * recommends, so no render shows the new props with the old state.
 */
export function useRenderedState<R, S>(rendered: R, init: (rendered: R) => S): [S, Dispatch<SetStateAction<S>>] {
  const [state, setState] = useState(() => init(rendered));
  const [from, setFrom] = useState(rendered);
  if (from !== rendered) {
    setFrom(rendered);
    setState(init(rendered));
  }
  return [state, setState];
}
