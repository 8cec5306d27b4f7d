// Terminal control sequences out of console text: what a person would read on the line.
// A single forward scan (no regular expressions), so a hostile line costs linear time.

const ESC = 0x1b;
const BEL = 0x07;

/**
 * Removes CSI (`ESC [ … final`), OSC (`ESC ] … BEL` or `ESC \`), charset selections
 * (`ESC ( B`), other two-byte escapes, and C0 controls except tab. A sequence cut off at the
 * end of `text` is dropped.
 */
export function stripAnsi(text: string): string {
  // Fast path: most kernel lines carry no control characters at all.
  let plain = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f || c === 0x9b) {
      plain = false;
      break;
    }
  }
  if (plain) return text;

  let out = "";
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === ESC || c === 0x9b) {
      i = skipEscape(text, i);
      continue;
    }
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) {
      i++;
      continue;
    }
    // Copy the run of ordinary characters in one slice.
    let j = i + 1;
    while (j < n) {
      const d = text.charCodeAt(j);
      if (d < 0x20 || d === 0x7f || d === 0x9b) break;
      j++;
    }
    out += text.slice(i, j);
    i = j;
  }
  return out;
}

/** Index just past the escape sequence starting at `i` (an ESC or a C1 CSI). */
function skipEscape(text: string, i: number): number {
  const n = text.length;
  if (text.charCodeAt(i) === 0x9b) return skipCsi(text, i + 1);
  if (i + 1 >= n) return n;
  const kind = text[i + 1];
  if (kind === "[") return skipCsi(text, i + 2);
  if (kind === "]" || kind === "P" || kind === "_" || kind === "^") {
    // OSC / DCS / APC / PM: up to BEL or ST (ESC \).
    for (let j = i + 2; j < n; j++) {
      const d = text.charCodeAt(j);
      if (d === BEL) return j + 1;
      if (d === ESC && text[j + 1] === "\\") return j + 2;
    }
    return n;
  }
  if (kind === "(" || kind === ")" || kind === "*" || kind === "+" || kind === "#" || kind === "%") {
    return Math.min(n, i + 3);
  }
  return i + 2;
}

/** CSI: parameter and intermediate bytes (0x20–0x3f), then one final byte (0x40–0x7e). */
function skipCsi(text: string, j: number): number {
  const n = text.length;
  while (j < n) {
    const d = text.charCodeAt(j);
    if (d >= 0x40 && d <= 0x7e) return j + 1;
    if (d < 0x20 || d > 0x3f) return j; // malformed: stop at the stray character
    j++;
  }
  return n;
}
