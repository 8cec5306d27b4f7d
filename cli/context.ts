// What every command's action gets: the API (with the connection in use) and --json.
import type { Command } from "commander";
import { Api } from "./api";
import { resolveConnection } from "./config";

export interface Context {
  api: Api;
  json: boolean;
}

export interface GlobalOptions {
  url?: string;
  json?: boolean;
}

export function contextOf(command: Command): Context {
  const opts = command.optsWithGlobals<GlobalOptions>();
  return { api: new Api(resolveConnection(opts.url)), json: !!opts.json };
}

/**
 * An action for commander: the positional arguments, the command's own options and the
 * context. (Commander passes `...args, options, command`.)
 */
export function act<A extends (string | undefined)[], O = Record<string, unknown>>(
  run: (ctx: Context, args: A, options: O) => Promise<void>,
): (...raw: unknown[]) => Promise<void> {
  return async (...raw) => {
    const command = raw[raw.length - 1] as Command;
    const options = raw[raw.length - 2] as O;
    const args = raw.slice(0, -2) as A;
    await run(contextOf(command), args, options);
  };
}
