// `corral console GUEST`: attach this terminal to a guest's console (console-attach.ts).
import type { Command } from "commander";
import { act } from "../context";
import { findGuest } from "../lookup";

export function addConsoleCommand(program: Command): void {
  program
    .command("console <guest>")
    .description("attach this terminal to a guest's console; detach with Ctrl-] (the guest keeps running)")
    .option("-w, --watch", "watch only: nothing you type is sent, the console keeps its size")
    .option("-t, --take-control", "take the keyboard from whoever has it")
    .addHelpText(
      "after",
      "\nThe first viewer who may type gets the keyboard; later ones watch until they take control.\n" +
        "The console follows this terminal's size while you have the keyboard. A dropped connection\n" +
        "is resumed where it left off. Ctrl-] detaches (stdin reaching its end does too).",
    )
    .action(
      act<[string], { watch?: boolean; takeControl?: boolean }>(async ({ api }, [ref], o) => {
        const guest = await findGuest(api, ref);
        // Loaded when used: socket.io-client is most of the startup time otherwise.
        const { attachConsole } = await import("../console-attach");
        await attachConsole(api, guest, { watch: !!o.watch, takeControl: !!o.takeControl });
      }),
    );
}
