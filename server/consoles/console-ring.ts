// Recent console history of one guest, numbered: every chunk of output and every boot
// marker gets the next sequence number. Bounded by the characters it holds; the oldest
// entries go first. A viewer that asks for entries the ring no longer has gets `null`
// and must be resynced with a snapshot of the screen.
import { consoleItemSize, type ConsoleItem } from "../../lib/shared/protocol";

export interface ConsoleEntry {
  seq: number;
  item: ConsoleItem;
}

export class ConsoleRing {
  private entries: ConsoleEntry[] = [];
  private head = 0; // index of the oldest live entry (compacted now and then)
  private lastSeq = 0;
  chars = 0;

  constructor(readonly maxChars: number) {}

  get endSeq(): number {
    return this.lastSeq;
  }

  /** The oldest sequence number still held (endSeq + 1 when empty). */
  get startSeq(): number {
    return this.head < this.entries.length ? this.entries[this.head].seq : this.lastSeq + 1;
  }

  append(item: ConsoleItem): number {
    const seq = ++this.lastSeq;
    this.entries.push({ seq, item });
    this.chars += consoleItemSize(item);
    while (this.chars > this.maxChars && this.entries.length - this.head > 1) {
      this.chars -= consoleItemSize(this.entries[this.head].item);
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
    return seq;
  }

  /** Entries after `seq`, oldest first; null if some of them were already dropped. */
  since(seq: number): ConsoleEntry[] | null {
    if (seq >= this.lastSeq) return [];
    if (seq + 1 < this.startSeq) return null;
    const first = this.head + (seq + 1 - this.startSeq);
    return this.entries.slice(first);
  }
}

/** Packs entries into as few items as possible: adjacent output joins into one string. */
export function packItems(entries: ConsoleEntry[]): ConsoleItem[] {
  const out: ConsoleItem[] = [];
  for (const { item } of entries) {
    const last = out[out.length - 1];
    if (typeof item === "string" && typeof last === "string") out[out.length - 1] = last + item;
    else out.push(item);
  }
  return out;
}
