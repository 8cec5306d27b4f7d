import { describe, expect, it } from "vitest";
import { decodeNotification, decodeReply, encodeRequest, MCONSOLE_MAGIC } from "./mconsole-protocol";

describe("mconsole protocol", () => {
  it("encodes a request as magic, version, length and a 512-byte data field", () => {
    const buf = encodeRequest("cad");
    expect(buf.length).toBe(12 + 512);
    expect(buf.readUInt32LE(0)).toBe(MCONSOLE_MAGIC);
    expect(buf.readUInt32LE(4)).toBe(2);
    expect(buf.readUInt32LE(8)).toBe(3);
    expect(buf.subarray(12, 15).toString()).toBe("cad");
  });

  it("refuses a command that does not fit", () => {
    expect(() => encodeRequest("x".repeat(512))).toThrow();
  });

  it("decodes a multi-part reply's flags and strips the NUL terminator", () => {
    const buf = Buffer.alloc(12 + 512);
    buf.writeUInt32LE(0, 0);
    buf.writeUInt32LE(1, 4);
    buf.writeUInt32LE(6, 8);
    buf.write("0.00\n\0", 12);
    expect(decodeReply(buf)).toEqual({ err: 0, more: true, data: "0.00\n" });
  });

  it("decodes notifications by type and ignores foreign datagrams", () => {
    const buf = Buffer.alloc(16 + 512);
    buf.writeUInt32LE(MCONSOLE_MAGIC, 0);
    buf.writeUInt32LE(2, 4);
    buf.writeUInt32LE(1, 8);
    buf.writeUInt32LE(5, 12);
    buf.write("oops\0", 16);
    expect(decodeNotification(buf)).toEqual({ type: "panic", data: "oops" });
    expect(decodeNotification(Buffer.from("hello world, not mconsole"))).toBeNull();
  });
});
