// `corral boots list|log`: a guest's boots and what each printed; `--follow` the live one.
import type { Command } from "commander";
import { guestApiPath } from "../../lib/shared/api-client";
import type { BootView } from "../../lib/shared/protocol";
import { CliError, EXIT } from "../exit-codes";
import { act } from "../context";
import { renderBoots } from "../guest-views";
import { findGuest } from "../lookup";
import { print } from "../output";
import { followBootLog } from "../boot-follow";
import { wholeNumber } from "../values";
import { pipeResponse } from "../streams";

export function addBootCommands(program: Command): void {
  const boots = program.command("boots").alias("boot").description("a guest's boots and their console logs");

  boots
    .command("list <guest>")
    .alias("ls")
    .description("list a guest's boots, newest first")
    .action(
      act<[string]>(async ({ api, json }, [ref]) => {
        const guest = await findGuest(api, ref);
        print(json, await api.get<BootView[]>(guestApiPath(guest.id, "boots")), renderBoots);
      }),
    );

  boots
    .command("log <guest> [boot]")
    .description("print a boot's console output (default: the last boot)")
    .option("-f, --follow", "keep printing the live boot's output until it ends")
    .option("--cast", "print the asciicast log itself (timed events; --json does the same)")
    .action(
      act<[string, string | undefined], { follow?: boolean; cast?: boolean }>(async ({ api, json }, [ref, n], o) => {
        const guest = await findGuest(api, ref);
        const list = await api.get<BootView[]>(guestApiPath(guest.id, "boots"));
        const boot = n === undefined ? list[0] : list.find((b) => b.number === wholeNumber(n));
        if (!boot)
          throw new CliError(
            n === undefined ? `Guest "${guest.name}" has not booted yet.` : `Guest "${guest.name}" has no boot ${n}.`,
            EXIT.notFound,
          );
        if (o.follow) return followBootLog(api, guest, boot.number, { cast: !!(o.cast || json) });
        const format = o.cast || json ? "cast" : "text";
        await pipeResponse(await api.raw(`${guestApiPath(guest.id, "boots", boot.number, "log")}?format=${format}`));
      }),
    );
}
