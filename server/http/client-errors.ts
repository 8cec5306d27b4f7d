import type { Server } from "node:http";
import type { Socket } from "node:net";
import { lingerThenClose } from "./linger";

// Requests Node's HTTP parser refuses before Hono sees them — a URL and headers over
// Node's 16 KiB, a malformed request line or header, a bad Content-Length — answered in
// Corral's JSON error shape (Node's default answer has an empty body), then closed.
const ANSWERS: Record<string, { status: number; reason: string; code: string; message: string }> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    reason: "Request Header Fields Too Large",
    code: "too-large",
    message: "The request's URL and headers are too large (over 16 KiB together). Shorten the URL.",
  },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: {
    status: 413,
    reason: "Payload Too Large",
    code: "too-large",
    message: "The request's chunk extensions are too large.",
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    reason: "Request Timeout",
    code: "timeout",
    message: "The request took too long to arrive.",
  },
};
const BAD_REQUEST = {
  status: 400,
  reason: "Bad Request",
  code: "bad-request",
  message: "The request is not valid HTTP.",
};

export function answerClientErrors(server: Server): void {
  server.on("clientError", (err: NodeJS.ErrnoException, socket: Socket) => {
    // Only a connection that has not been answered yet can still take one.
    if (err.code === "ECONNRESET" || !socket.writable || socket.bytesWritten > 0) return void socket.destroy();
    const a = ANSWERS[err.code ?? ""] ?? BAD_REQUEST;
    const body = JSON.stringify({ error: { code: a.code, message: a.message } });
    // The parser is done with this connection: what still arrives is discarded, not parsed.
    socket.removeAllListeners("data");
    lingerThenClose(
      socket,
      `HTTP/1.1 ${a.status} ${a.reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
