// `corral`: Corral's command line over the host daemon's REST API and socket.io.
import { Command, CommanderError, Option } from "commander";
import { addAuthCommands } from "./commands/auth";
import { addBootCommands } from "./commands/boots";
import { addCompletionCommand } from "./commands/completion";
import { addConsoleCommand } from "./commands/console";
import { addGuestCommands } from "./commands/guests";
import { addHostCommands } from "./commands/hosts";
import { addImageCommands } from "./commands/images";
import { addUserCommands } from "./commands/users";
import { CliError, EXIT } from "./exit-codes";

export function buildProgram(): Command {
  const program = new Command("corral")
    .description("Corral's command line: guests, consoles, boots, images and accounts on a Corral host.")
    .addOption(
      new Option(
        "--url <url>",
        "the host daemon's address (default: CORRAL_URL, the login's, or http://127.0.0.1:4001)",
      ),
    )
    .option("--json", "print results as JSON")
    .showSuggestionAfterError()
    .addHelpText(
      "after",
      "\nExit codes: 0 ok, 1 error, 2 usage or invalid values, 3 not signed in or not allowed,\n" +
        "4 not found, 5 conflict (state, name taken, quota), 6 Corral unreachable.\n" +
        "Scripts: set CORRAL_URL and CORRAL_TOKEN (an API token) instead of `corral login`.",
    );
  addAuthCommands(program);
  addGuestCommands(program);
  addConsoleCommand(program);
  addBootCommands(program);
  addHostCommands(program);
  addImageCommands(program);
  addUserCommands(program);
  addCompletionCommand(program);
  return program;
}

/** Runs `corral` with `argv` (node, script, ...args) and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  // The reader went away (`corral boots log g | head`): nothing more to say, and no error.
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(EXIT.ok);
    throw err;
  });
  const program = buildProgram();
  // Every (sub)command reports usage errors by throwing, not by exiting.
  const exitOverride = (cmd: Command) => {
    cmd.exitOverride();
    cmd.commands.forEach(exitOverride);
  };
  exitOverride(program);
  try {
    await program.parseAsync(argv);
    return EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and --version end with 0; commander has already printed its usage error.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (err instanceof CliError) {
      process.stderr.write(`corral: ${err.message}\n`);
      for (const [field, message] of Object.entries(err.fields)) process.stderr.write(`  ${field}: ${message}\n`);
      return err.exitCode;
    }
    process.stderr.write(
      `corral: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    return EXIT.error;
  }
}
