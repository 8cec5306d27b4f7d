// Text both ends draw into a console, so the daemon's screen (what late viewers get) and
// every browser's terminal look the same.

/** The dim divider drawn where a new boot begins on a console that stays attached. */
export function bootDivider(bootNumber: number, atLineStart: boolean): string {
  return `${atLineStart ? "" : "\r\n"}\x1b[2m──── boot ${bootNumber} ────\x1b[0m\r\n`;
}
