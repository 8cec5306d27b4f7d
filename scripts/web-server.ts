// The web server: Next.js in production mode behind a few lines of plain Node, for two
// reasons — closing connections gently (below), and the browser's address. Next keeps an X-Forwarded-For the client sent, and the
// /api relay passes it to the daemon, which records it in the audit trail and throttles
// sign-ins by it; so a browser could name any address it liked. Here it is overwritten
// with the connection's real address (kept only when CORRAL_WEB_TRUST_PROXY=1, for a
// reverse proxy in front that sets it itself).
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import next from "next";
import { lingerThenClose } from "../server/http/linger";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const port = Number(process.env.CORRAL_WEB_PORT || 3000);
const hostname = process.env.CORRAL_WEB_HOST || "127.0.0.1";
const trustProxy = process.env.CORRAL_WEB_TRUST_PROXY === "1";

const app = next({ dev: false, dir: root, hostname, port });
await app.prepare();
const handle = app.getRequestHandler();

const server = http.createServer((req, res) => {
  if (!trustProxy || !req.headers["x-forwarded-for"]) req.headers["x-forwarded-for"] = req.socket.remoteAddress ?? "";
  // A connection closed after an answer (the /api relay refusing a body too large, say)
  // lingers first, so a browser still sending the body gets the answer.
  const socket = req.socket;
  socket.destroySoon = () => lingerThenClose(socket);
  void handle(req, res);
});
server.listen(port, hostname, () => console.log(`web: listening on http://${hostname}:${port}`));
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    server.close();
    void app.close().then(() => process.exit(0));
  });
}
