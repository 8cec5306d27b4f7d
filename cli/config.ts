// Where `corral` finds Corral and its credential: CORRAL_URL / CORRAL_TOKEN (scripts), else
// the file `corral login` wrote, `${XDG_CONFIG_HOME:-~/.config}/corral/config.json` (0600).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { CliError, EXIT } from "./exit-codes";

/** The host daemon on this machine, as `npm start` runs it. */
export const DEFAULT_URL = "http://127.0.0.1:4001";

const storedSchema = z.object({
  url: z.string().url(),
  username: z.string(),
  tokenId: z.string(),
  secret: z.string().startsWith("corral_"),
});
export type StoredLogin = z.infer<typeof storedSchema>;

export interface Connection {
  url: string;
  /** The API token sent as `Authorization: Bearer`; null when not signed in. */
  secret: string | null;
  /** Where the credential came from, to say what to do when it is refused. */
  source: "env" | "file" | "none";
  stored: StoredLogin | null;
}

export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME || path.join(os.homedir(), ".config");
  return path.join(base, "corral", "config.json");
}

export function readStoredLogin(env: NodeJS.ProcessEnv = process.env): StoredLogin | null {
  const file = configPath(env);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new CliError(`Cannot read ${file}: ${(err as Error).message}.`);
  }
  try {
    return storedSchema.parse(JSON.parse(text));
  } catch {
    throw new CliError(`${file} is damaged. Remove it and run \`corral login\` again.`);
  }
}

/** Written through a new file renamed into place, created 0600: the secret is never readable by others. */
export function writeStoredLogin(login: StoredLogin, env: NodeJS.ProcessEnv = process.env): string {
  const file = configPath(env);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, JSON.stringify(login, null, 2) + "\n", { mode: 0o600 });
  fs.renameSync(temp, file);
  return file;
}

export function removeStoredLogin(env: NodeJS.ProcessEnv = process.env): void {
  fs.rmSync(configPath(env), { force: true });
}

export function normalizeUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CliError(`"${raw}" is not a URL. Give the host daemon's address, e.g. ${DEFAULT_URL}.`, EXIT.usage);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new CliError(`Use an http:// or https:// URL, not "${raw}".`, EXIT.usage);
  return url.origin + url.pathname.replace(/\/+$/, "");
}

/** `--url` beats CORRAL_URL beats the stored login's URL; CORRAL_TOKEN beats the stored secret. */
export function resolveConnection(flagUrl: string | undefined, env: NodeJS.ProcessEnv = process.env): Connection {
  const stored = readStoredLogin(env);
  const url = normalizeUrl(flagUrl ?? env.CORRAL_URL ?? stored?.url ?? DEFAULT_URL);
  if (env.CORRAL_TOKEN) return { url, secret: env.CORRAL_TOKEN, source: "env", stored };
  // A stored token belongs to the Corral it was made on.
  if (stored && stored.url === url) return { url, secret: stored.secret, source: "file", stored };
  return { url, secret: null, source: "none", stored };
}
