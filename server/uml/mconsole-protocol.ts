// UML's management console wire format (arch/um/drivers/mconsole.h), little-endian.
// request: u32 magic, u32 version, u32 len, char data[512]
// reply:   u32 err,   u32 more,    u32 len, char data[512]
// notify:  u32 magic, u32 version, u32 type, u32 len, char data[512]
export const MCONSOLE_MAGIC = 0xcafebabe;
export const MCONSOLE_VERSION = 2;
export const MCONSOLE_MAX_DATA = 512;

export type NotifyType = "socket" | "panic" | "hang" | "user";
const NOTIFY_TYPES: NotifyType[] = ["socket", "panic", "hang", "user"];

export function encodeRequest(command: string): Buffer {
  const data = Buffer.from(command, "utf8");
  if (data.length >= MCONSOLE_MAX_DATA) throw new Error("mconsole command too long");
  const buf = Buffer.alloc(12 + MCONSOLE_MAX_DATA);
  buf.writeUInt32LE(MCONSOLE_MAGIC, 0);
  buf.writeUInt32LE(MCONSOLE_VERSION, 4);
  buf.writeUInt32LE(data.length, 8);
  data.copy(buf, 12);
  return buf;
}

export interface ReplyPart {
  err: number;
  more: boolean;
  data: string;
}

function text(buf: Buffer, offset: number, len: number): string {
  const end = Math.min(buf.length, offset + Math.min(len, MCONSOLE_MAX_DATA));
  return buf.subarray(offset, end).toString("utf8").replace(/\0+$/, "");
}

export function decodeReply(buf: Buffer): ReplyPart {
  if (buf.length < 12) throw new Error(`short mconsole reply (${buf.length} bytes)`);
  return { err: buf.readUInt32LE(0), more: buf.readUInt32LE(4) !== 0, data: text(buf, 12, buf.readUInt32LE(8)) };
}

export interface Notification {
  type: NotifyType;
  data: string;
}

export function decodeNotification(buf: Buffer): Notification | null {
  if (buf.length < 16 || buf.readUInt32LE(0) !== MCONSOLE_MAGIC) return null;
  const type = NOTIFY_TYPES[buf.readUInt32LE(8)];
  if (!type) return null;
  return { type, data: text(buf, 16, buf.readUInt32LE(12)) };
}
