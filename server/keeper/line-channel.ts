import type net from "node:net";
import { StringDecoder } from "node:string_decoder";

/**
 * Newline-delimited JSON over a stream socket. JSON.stringify escapes every newline inside
 * strings, so a raw "\n" always ends a message.
 */
export class LineChannel {
  private buffer = "";
  private readonly decoder = new StringDecoder("utf8");

  constructor(
    readonly socket: net.Socket,
    onMessage: (msg: unknown) => void,
    onBadLine: (line: string, err: Error) => void = () => {},
  ) {
    socket.on("data", (chunk: Buffer) => {
      const lines = (this.buffer + this.decoder.write(chunk)).split("\n");
      this.buffer = lines.pop()!;
      for (const line of lines) {
        if (!line) continue;
        let msg: unknown;
        try {
          msg = JSON.parse(line);
        } catch (err) {
          onBadLine(line, err as Error);
          continue;
        }
        onMessage(msg);
      }
    });
  }

  send(msg: unknown): void {
    if (!this.socket.destroyed) this.socket.write(JSON.stringify(msg) + "\n");
  }
}
