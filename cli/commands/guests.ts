// `corral guests …`: list, show, create, edit, delete and power actions. The disk's
// commands (snapshots, reset, clone, commit) are in guest-disks.ts.
import type { Command } from "commander";
import { guestApiPath } from "../../lib/shared/api-client";
import {
  createGuestSchema,
  editGuestSchema,
  POWER_ACTIONS,
  type GuestView,
  type ImageView,
  type PowerAction,
} from "../../lib/shared/protocol";
import { notFound } from "../api";
import { act } from "../context";
import { renderGuest, renderGuests } from "../guest-views";
import { findGuest, findHost, findImage } from "../lookup";
import { addMigrateCommand } from "./migration";
import { print } from "../output";
import { readStdinLine } from "../prompt";
import { checked, collect, parseForward, readTextFile, wholeNumber } from "../values";
import { waitForAction } from "../wait-state";
import { addGuestDiskCommands } from "./guest-disks";

const POWER_HELP: Record<PowerAction, string> = {
  start: "start a stopped or crashed guest",
  stop: "ask a guest to shut down cleanly (Ctrl-Alt-Del); forced off after the stop timeout",
  "force-off": "kill a guest's kernel at once, like pulling the power cord",
  reboot: "shut a guest down cleanly and boot it again",
};

interface CreateOptions {
  image?: string;
  memory: string;
  kernelArg?: string[];
  network?: string;
  forward?: string[];
  rootPasswordStdin?: boolean;
  authorizedKeys?: string;
  host?: string;
}

export function addGuestCommands(program: Command): void {
  const guests = program.command("guests").alias("guest").description("list, create, change and power guests");

  guests
    .command("list")
    .alias("ls")
    .description("list the guests you can see")
    .action(act(async ({ api, json }) => print(json, await api.get<GuestView[]>("/api/guests"), renderGuests)));

  guests
    .command("show <guest>")
    .description("show one guest (by name or id)")
    .action(act<[string]>(async ({ api, json }, [ref]) => print(json, await findGuest(api, ref), renderGuest)));

  guests
    .command("create <name>")
    .description("create a guest (stopped; start it with `corral guests start`)")
    .option("-i, --image <image>", "image name or id (default: the built-in image)")
    .option("-m, --memory <MiB>", "memory in MiB", "256")
    .option("-k, --kernel-arg <arg>", "an extra kernel argument from the allowed list (repeatable)", collect)
    .option("-n, --network <mode>", "user, bridge or none (default: user)")
    .option("-f, --forward <[tcp:|udp:]host:guest>", "forward a host port to a guest port (repeatable)", collect)
    .option("--root-password-stdin", "read root's first-boot password from stdin")
    .option("--authorized-keys <file>", "root's SSH public keys for the first boot")
    .option("--host <host>", "the host to run it on, by name or id (admins; default: Corral chooses)")
    .action(
      act<[string], CreateOptions>(async ({ api, json }, [name], o) => {
        const image = o.image ? await findImage(api, o.image) : await builtInImage(api);
        const host = o.host ? await findHost(api, o.host) : undefined;
        const body = checked(
          createGuestSchema,
          {
            name,
            imageId: image.id,
            memoryMiB: wholeNumber(o.memory),
            kernelArgs: o.kernelArg,
            network: o.network,
            forwards: o.forward?.map(parseForward),
            rootPassword: o.rootPasswordStdin ? await readStdinLine() : undefined,
            authorizedKeys: o.authorizedKeys ? readTextFile(o.authorizedKeys, "SSH keys") : undefined,
            hostId: host?.id,
          },
          "guest",
        );
        print(json, await api.post<GuestView>("/api/guests", body), renderGuest);
      }),
    );

  guests
    .command("edit <guest>")
    .description("change a stopped guest's memory, network or port forwards")
    .option("-m, --memory <MiB>", "memory in MiB")
    .option("-n, --network <mode>", "user, bridge or none")
    .option(
      "-f, --forward <[tcp:|udp:]host:guest>",
      "the port forwards, replacing the current ones (repeatable)",
      collect,
    )
    .option("--no-forwards", "remove every port forward")
    .action(
      act<[string], { memory?: string; network?: string; forward?: string[]; forwards: boolean }>(
        async ({ api, json }, [ref], o) => {
          const guest = await findGuest(api, ref);
          const body = checked(
            editGuestSchema,
            {
              memoryMiB: o.memory === undefined ? undefined : wholeNumber(o.memory),
              network: o.network,
              forwards: o.forwards === false ? [] : o.forward?.map(parseForward),
            },
            "change",
          );
          print(json, await api.patch<GuestView>(guestApiPath(guest.id), body), renderGuest);
        },
      ),
    );

  guests
    .command("delete <guest>")
    .alias("rm")
    .description("delete a stopped guest with its disk changes, snapshots and boot logs")
    .action(
      act<[string]>(async ({ api, json }, [ref]) => {
        const guest = await findGuest(api, ref);
        await api.delete(guestApiPath(guest.id));
        print(json, { deleted: guest.id, name: guest.name }, (d) => `Deleted guest ${d.name}.\n`);
      }),
    );

  for (const action of POWER_ACTIONS) {
    guests
      .command(`${action} <guest>`)
      .description(POWER_HELP[action])
      .option("-w, --wait", "wait until it is done (running, or stopped)")
      .option("--timeout <seconds>", "how long --wait waits", "120")
      .action(
        act<[string], { wait?: boolean; timeout: string }>(async ({ api, json }, [ref], o) => {
          const guest = await findGuest(api, ref);
          let after = await api.post<GuestView>(guestApiPath(guest.id, action));
          if (o.wait) after = await waitForAction(api, guest, action, wholeNumber(o.timeout));
          print(json, after, (g) => `${g.name}: ${g.state}${g.stateReason ? ` (${g.stateReason})` : ""}\n`);
        }),
      );
  }

  addGuestDiskCommands(guests);
  addMigrateCommand(guests);
}

async function builtInImage(api: Parameters<typeof findImage>[0]): Promise<ImageView> {
  const images = await api.get<ImageView[]>("/api/images");
  const builtIn = images.find((i) => i.builtIn) ?? images[0];
  if (!builtIn) throw notFound("No image to create a guest from: add one with `corral images import` or `upload`.");
  return builtIn;
}
