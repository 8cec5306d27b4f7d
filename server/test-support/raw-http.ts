// HTTP as an attacker or a careless client speaks it: any path, headers and body, a body
// streamed in chunks for as long as the server keeps reading, a chosen loopback source
// address — and what the connection did (answered, closed, how much the server took).
import http from "node:http";

export interface RawResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** The parsed JSON body, or undefined when the body is not JSON. */
  json: any;
  /** Body bytes handed to the connection before the server answered or closed it. */
  bytesSent: number;
  /**
   * Whether the server closed the connection after answering: it said `Connection: close`
   * and then ended the connection. Settles when it does (a test's deadline catches a hang).
   */
  closed: Promise<boolean>;
}

export interface RawRequest {
  port: number;
  method: string;
  path: string;
  headers?: Record<string, string>;
  /** A whole body, or a generator of chunks sent until the server answers or closes. */
  body?: string | Buffer | (() => Iterable<Buffer>);
  /** The loopback address to connect from (any of 127.0.0.0/8). */
  localAddress?: string;
}

export function rawRequest(r: RawRequest): Promise<RawResult> {
  return new Promise((resolve, reject) => {
    let bytesSent = 0;
    let answered = false;
    // A keep-alive agent of its own: without one Node asks the server to close every time.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const headers = { ...r.headers };
    // A body's framing must be said: Node sends a GET's or DELETE's body unframed otherwise.
    if (r.body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === "content-length")) {
      if (typeof r.body === "function") headers["transfer-encoding"] = "chunked";
      else headers["content-length"] = String(Buffer.byteLength(r.body));
    }
    const req = http.request({
      host: "127.0.0.1",
      port: r.port,
      method: r.method,
      path: r.path,
      headers,
      localAddress: r.localAddress,
      agent,
    });
    let socket: import("node:net").Socket | null = null;
    req.on("socket", (s) => (socket = s));
    req.on("error", (err) => {
      // Writing after the server refused and closed fails; the answer is what counts.
      if (!answered) {
        agent.destroy();
        reject(err);
      }
    });
    req.on("response", (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", () => {});
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {}
        let closed: Promise<boolean>;
        if (res.headers.connection !== "close") {
          agent.destroy();
          closed = Promise.resolve(false);
        } else {
          closed = new Promise<boolean>((settle) => {
            if (!socket || socket.destroyed) return settle(true);
            socket.once("close", () => settle(true));
          }).finally(() => agent.destroy());
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json, bytesSent, closed });
      });
    });
    if (typeof r.body === "function") {
      const chunks = r.body()[Symbol.iterator]();
      const pump = () => {
        while (!answered && !req.destroyed) {
          const next = chunks.next();
          if (next.done) return req.end();
          bytesSent += next.value.length;
          if (!req.write(next.value)) return void req.once("drain", pump);
        }
      };
      pump();
    } else {
      if (r.body !== undefined) bytesSent = Buffer.byteLength(r.body);
      req.end(r.body);
    }
  });
}

/** `count` chunks of `size` bytes of JSON whitespace after an opening quote: never valid, never short. */
export function* paddingChunks(count: number, size = 64 * 1024): Iterable<Buffer> {
  yield Buffer.from('{"username":"');
  const chunk = Buffer.alloc(size, "a");
  for (let i = 0; i < count; i++) yield chunk;
}
