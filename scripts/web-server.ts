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
import { webEnv, WebEnvError } from "../lib/server/env";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
// A bad setting stops the web here, naming the variable, rather than on a page's first read.
let env: ReturnType<typeof webEnv>;
try {
  env = webEnv();
} catch (err) {
  if (!(err instanceof WebEnvError)) throw err;
  console.error(`web: ${err.message}`);
  process.exit(1);
}
const { webPort: port, webHost: hostname, trustProxy } = env;

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
// Idle keep-alive connections outlive their clients' own idle timeout, so a client never
// reuses a socket this side is closing at that moment (Node's default of 5 s reset a test's
// PATCH sent 5 s after its previous request). Headers must time out later still.
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
server.listen(port, hostname, () => console.log(`web: listening on http://${hostname}:${port}`));
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    server.close();
    void app.close().then(() => process.exit(0));
  });
}
