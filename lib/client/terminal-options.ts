import type { ITerminalOptions, ITheme } from "@xterm/xterm";

// One look for every terminal in Corral (live consoles and recorded boot logs). A named
// monospace font and a line height above 1.1 keep underscores from being clipped.
export const TERMINAL_THEME: ITheme = {
  background: "#0b1120",
  foreground: "#e2e8f0",
  cursor: "#f8fafc",
  cursorAccent: "#0b1120",
  selectionBackground: "#334155",
  black: "#1e293b",
  red: "#f87171",
  green: "#4ade80",
  yellow: "#facc15",
  blue: "#60a5fa",
  magenta: "#c084fc",
  cyan: "#22d3ee",
  white: "#cbd5e1",
  brightBlack: "#64748b",
  brightRed: "#fca5a5",
  brightGreen: "#86efac",
  brightYellow: "#fde047",
  brightBlue: "#93c5fd",
  brightMagenta: "#d8b4fe",
  brightCyan: "#67e8f9",
  brightWhite: "#f8fafc",
};

export const TERMINAL_OPTIONS: ITerminalOptions = {
  fontFamily: 'ui-monospace, "DejaVu Sans Mono", "Liberation Mono", monospace',
  fontSize: 13,
  lineHeight: 1.15,
  theme: TERMINAL_THEME,
  scrollback: 10_000,
  allowProposedApi: false,
};

export { bootDivider } from "../shared/console-text";
