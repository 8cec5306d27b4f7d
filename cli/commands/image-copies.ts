// `corral images copy IMAGE HOST`: copies an image to a host of the fleet (that host's daemon
// fetches it from one that has it), with a progress bar from the copy's live events.
import type { Command } from "commander";
import type { ImageCopyEvent } from "../../lib/shared/protocol";
import type { Api } from "../api";
import { act } from "../context";
import { CliError, EXIT } from "../exit-codes";
import { findHost, findImage } from "../lookup";
import { notice, print } from "../output";
import { ProgressBar } from "../progress";

export function addImageCopyCommand(images: Command): void {
  images
    .command("copy <image> <host>")
    .description("copy an image to a host of the fleet, from a host that has it (admins)")
    .action(
      act<[string, string]>(async ({ api, json }, [imageRef, hostRef]) => {
        const [image, host] = await Promise.all([findImage(api, imageRef), findHost(api, hostRef)]);
        const end = await followCopy(api, image.id, host.id);
        print(json, end, (e) => `Copied image ${e.imageName} to host ${e.hostName} (${e.copiedBytes} bytes).\n`);
      }),
    );
}

/**
 * Starts the copy after joining the images room (so no event is missed) and draws its bytes
 * until it ends. A dropped connection re-reads the image list: a copy that ended meanwhile
 * shows there as present, or gone when it failed.
 */
async function followCopy(api: Api, imageId: string, hostId: string): Promise<ImageCopyEvent> {
  const { connectSocket, emitChecked } = await import("../socket");
  const socket = await connectSocket(api);
  let finish: (e: ImageCopyEvent | Error) => void = () => {};
  const ended = new Promise<ImageCopyEvent | Error>((r) => (finish = r));
  let bar = null as ProgressBar | null;
  const onEvent = (e: ImageCopyEvent) => {
    if (e.imageId !== imageId || e.hostId !== hostId) return;
    bar ??= new ProgressBar(`Copying ${e.imageName} to ${e.hostName}`, e.sizeBytes);
    bar.update(e.copiedBytes, e.state !== "copying");
    if (e.state === "ready") finish(e);
    if (e.state === "failed") finish(new CliError(e.error ?? "The copy failed.", EXIT.error));
  };
  socket.on("image:copy", onEvent);
  const onInterrupt = () => {
    notice("\nThe copy goes on on the host; the Images page shows when it is done.");
    socket.close();
    process.exit(130);
  };
  process.once("SIGINT", onInterrupt);
  try {
    await emitChecked(socket, "images:watch");
    onEvent(await api.post<ImageCopyEvent>(`/api/images/${encodeURIComponent(imageId)}/copies`, { hostId }));
    const end = await ended;
    if (end instanceof Error) throw end;
    return end;
  } finally {
    bar?.finish();
    process.off("SIGINT", onInterrupt);
    socket.close();
  }
}
