import { expect, it } from "vitest";
import { LoopSlices } from "./loop-slices";

const immediateRan = () => {
  const seen = { ran: false };
  setImmediate(() => (seen.ran = true));
  return seen;
};

it("gives the event loop a turn once its slice has passed", async () => {
  const slices = new LoopSlices(0);
  const seen = immediateRan();
  await slices.pause();
  expect(seen.ran).toBe(true);
});

it("does not yield within its slice: continuing is a microtask, ahead of any I/O", async () => {
  const slices = new LoopSlices(Number.MAX_SAFE_INTEGER);
  const seen = immediateRan();
  await slices.pause();
  expect(seen.ran).toBe(false);
});
