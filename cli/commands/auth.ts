// Signing in: `corral login` trades a name and password for an API token stored with the
// URL; `corral logout` revokes it; `corral whoami` says who the token speaks for.
import os from "node:os";
import type { Command } from "commander";
import { apiRequest } from "../../lib/shared/api-client";
import type { CreatedTokenView, MeView } from "../../lib/shared/protocol";
import { Api } from "../api";
import { configPath, normalizeUrl, readStoredLogin, removeStoredLogin, writeStoredLogin } from "../config";
import { act, type GlobalOptions } from "../context";
import { CliError, EXIT } from "../exit-codes";
import { notice, print, renderFields } from "../output";
import { promptLine, readStdinLine } from "../prompt";

export function addAuthCommands(program: Command): void {
  program
    .command("login")
    .description("sign in and store an API token for this machine (password read without echo, or from stdin)")
    .option("-u, --username <name>", "who to sign in as (asked for when omitted)")
    .option("--read-only", "a token that may only read (no changes), whatever your role")
    .option("--expires <time>", "when the token stops working (ISO 8601, e.g. 2027-01-31T00:00:00Z)")
    .action(async (options: { username?: string; readOnly?: boolean; expires?: string }, command: Command) => {
      const opts = command.optsWithGlobals<GlobalOptions>();
      const url = normalizeUrl(opts.url ?? process.env.CORRAL_URL ?? readStoredLogin()?.url ?? "http://127.0.0.1:4001");
      const username = options.username ?? (await promptLine("Username: "));
      const password = process.stdin.isTTY ? await promptLine("Password: ", true) : await readStdinLine();
      const login = await signIn(url, username, password, {
        scope: options.readOnly ? "read" : "role",
        expiresAt: options.expires ?? null,
      });
      print(
        !!opts.json,
        login,
        (l) => `Signed in to ${l.url} as ${l.username}; token "${l.tokenName}" stored in ${l.file}.\n`,
      );
    });

  program
    .command("logout")
    .description("revoke the stored token and forget it")
    .action(
      act(async ({ json }) => {
        const stored = readStoredLogin();
        if (!stored) throw new CliError("Not signed in: there is no stored token to revoke.", EXIT.auth);
        const storedApi = new Api({ url: stored.url, secret: stored.secret, source: "file", stored });
        let revoked = true;
        try {
          await storedApi.delete(`/api/account/tokens/${encodeURIComponent(stored.tokenId)}`);
        } catch (err) {
          // Already revoked or expired: forgetting it is all that is left to do.
          if (!(err instanceof CliError) || err.exitCode !== EXIT.auth) throw err;
          revoked = false;
        }
        removeStoredLogin();
        print(json, { url: stored.url, username: stored.username, revoked }, (r) =>
          r.revoked
            ? `Signed out of ${r.url}; the token was revoked.\n`
            : `Forgot the token for ${r.url} (it no longer worked).\n`,
        );
      }),
    );

  program
    .command("whoami")
    .description("show who you are signed in as, and where")
    .action(
      act(async ({ api, json }) => {
        const { user } = await api.get<MeView>("/api/auth/me");
        const source = api.connection.source === "env" ? "CORRAL_TOKEN" : configPath();
        print(json, { url: api.url, user }, () =>
          renderFields([
            ["user", user.username],
            ["role", user.role],
            ["url", api.url],
            ["token from", source],
          ]),
        );
      }),
    );
}

/** Trades a name and password for a token named `cli@<host>` (no session is kept) and stores it. */
async function signIn(
  url: string,
  username: string,
  password: string,
  token: { scope: "role" | "read"; expiresAt: string | null },
) {
  const api = new Api({ url, secret: null, source: "none", stored: null });
  // Token names are unique per person: the time tells this login's token from earlier ones.
  const tokenName = `cli@${os.hostname().slice(0, 32)} ${new Date().toISOString().slice(0, 23)}Z`;
  const result = await apiRequest<CreatedTokenView>(`${url}/api/auth/token`, {
    method: "POST",
    body: { username, password, name: tokenName, ...token },
  });
  // A wrong password is the daemon's 401, said as it is (not "run corral login": this is it).
  if (!result.ok)
    throw result.status === 401
      ? new CliError(result.message, EXIT.auth)
      : api.failure(result.status, result.message, result.fields);
  const created = result.data;
  const previous = readStoredLogin();
  const file = writeStoredLogin({ url, username, tokenId: created.token.id, secret: created.secret });
  if (previous && previous.url === url && previous.tokenId !== created.token.id) {
    // The token this one replaces is revoked, so repeated logins do not pile up tokens.
    const old = new Api({ url, secret: previous.secret, source: "file", stored: previous });
    await old
      .delete(`/api/account/tokens/${encodeURIComponent(previous.tokenId)}`)
      .catch(() => notice("(The previous token could not be revoked: revoke it under Your account → API tokens.)"));
  }
  return { url, username, tokenName, tokenId: created.token.id, file };
}
