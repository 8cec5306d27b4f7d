// Shell completion: `corral completion bash` prints a script that asks `corral __complete`
// for the words that fit — commands and options from the command tree, and guest, image
// and user names from the daemon for arguments that name one (silently none if offline).
import type { Command } from "commander";
import type { GuestView, ImageView, UserView } from "../../lib/shared/protocol";
import { contextOf } from "../context";
import { CliError, EXIT } from "../exit-codes";

const BASH = `# corral bash completion: eval "$(corral completion bash)" or save in
# /etc/bash_completion.d/corral
_corral_complete() {
  local IFS=$'\\n'
  COMPREPLY=($(corral __complete "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
}
complete -o default -F _corral_complete corral
`;

export function addCompletionCommand(program: Command): void {
  program
    .command("completion")
    .description("print a shell completion script (bash)")
    .argument("[shell]", "bash", "bash")
    .action((shell: string) => {
      if (shell !== "bash") throw new CliError(`Only bash completion is available, not ${shell}.`, EXIT.usage);
      process.stdout.write(BASH);
    });

  program
    .command("__complete", { hidden: true })
    .argument("[words...]")
    .allowUnknownOption()
    .action(async (words: string[], _o: unknown, command: Command) => {
      const candidates = await complete(program, words, command);
      process.stdout.write(candidates.join("\n") + (candidates.length ? "\n" : ""));
    });
}

/** The words that may stand where the last of `words` is being typed. */
export async function complete(program: Command, words: string[], command: Command): Promise<string[]> {
  const current = words.at(-1) ?? "";
  let cmd = program;
  let positional = 0;
  for (const word of words.slice(0, -1)) {
    const sub = cmd.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (sub) cmd = sub;
    else if (!word.startsWith("-")) positional++;
  }
  const fits = (list: string[]) => list.filter((w) => w.startsWith(current));
  if (current.startsWith("-"))
    return fits([...cmd.options, ...program.options].map((o) => o.long ?? "").filter(Boolean));
  const subs = cmd.commands.filter((c) => !(c as unknown as { _hidden?: boolean })._hidden).map((c) => c.name());
  if (subs.length) return fits(subs);
  const arg = cmd.registeredArguments[positional]?.name() ?? "";
  return fits(await namesFor(arg, command).catch(() => []));
}

async function namesFor(arg: string, command: Command): Promise<string[]> {
  const { api } = contextOf(command);
  if (arg === "guest") return (await api.get<GuestView[]>("/api/guests")).map((g) => g.name);
  if (arg === "image") return (await api.get<ImageView[]>("/api/images")).map((i) => i.name);
  if (arg === "user") return (await api.get<UserView[]>("/api/users")).map((u) => u.username);
  return [];
}
