// `corral images …`: the image library — list, import from the host, upload, delete — and
// Debian builds (image-builds.ts).
import fs from "node:fs";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import type { Command } from "commander";
import { formatBytes, formatUtcTimestamp, shortenHash } from "../../lib/shared/format";
import { importImageSchema, uploadImageQuerySchema, type ImageView } from "../../lib/shared/protocol";
import { imageNameFromFile } from "../../lib/client/upload-image";
import { act } from "../context";
import { CliError, EXIT } from "../exit-codes";
import { findImage } from "../lookup";
import { print, renderFields, renderTable } from "../output";
import { ProgressBar } from "../progress";
import { checked } from "../values";
import { addImageBuildCommands } from "./image-builds";
import { addImageCopyCommand } from "./image-copies";

export function renderImages(images: ImageView[]): string {
  return renderTable(images, [
    { header: "name", value: (i) => i.name },
    { header: "size", value: (i) => formatBytes(i.sizeBytes), right: true },
    { header: "guests", value: (i) => i.guestCount, right: true },
    { header: "owner", value: (i) => (i.builtIn ? "built-in" : i.ownerName) },
    { header: "added", value: (i) => formatUtcTimestamp(i.createdAt) },
    { header: "sha256", value: (i) => shortenHash(i.sha256) },
    { header: "hosts", value: (i) => hostsOf(i) },
  ]);
}

/** The hosts an image is on, and where it is being copied: "a, b (copying 40%)". */
const hostsOf = (i: ImageView) =>
  i.copies
    .map((c) =>
      c.state === "ready"
        ? c.hostName
        : `${c.hostName} (copying ${Math.floor((100 * c.copiedBytes) / Math.max(1, i.sizeBytes))}%)`,
    )
    .join(", ");

const renderImage = (i: ImageView) =>
  renderFields([
    ["name", i.name],
    ["id", i.id],
    ["size", formatBytes(i.sizeBytes)],
    ["sha256", i.sha256],
    ["guests", i.guestCount],
    ["owner", i.builtIn ? "built-in" : i.ownerName],
    ["hosts", hostsOf(i)],
  ]);

export function addImageCommands(program: Command): void {
  const images = program.command("images").alias("image").description("the image library and Debian builds");

  images
    .command("list")
    .alias("ls")
    .description("list the images")
    .action(act(async ({ api, json }) => print(json, await api.get<ImageView[]>("/api/images"), renderImages)));

  images
    .command("import <name> <path>")
    .description("register a file from the host's import directory (CORRAL_IMPORT_DIR), by its relative path")
    .action(
      act<[string, string]>(async ({ api, json }, [name, file]) => {
        const body = checked(importImageSchema, { name, path: file }, "import");
        print(json, await api.post<ImageView>("/api/images/import", body), renderImage);
      }),
    );

  images
    .command("upload <file>")
    .description("upload an ext2/3/4 image file from this machine, with a progress bar")
    .option("--name <name>", "the image's name (default: from the file name)")
    .action(
      act<[string], { name?: string }>(async ({ api, json }, [file], o) => {
        const stat = await fs.promises.stat(file).catch((err: Error) => {
          throw new CliError(`Cannot read ${file}: ${err.message}.`, EXIT.usage);
        });
        if (!stat.isFile()) throw new CliError(`${file} is not a regular file.`, EXIT.usage);
        const name = o.name ?? imageNameFromFile(path.basename(file));
        const query = checked(uploadImageQuerySchema, { name, size: stat.size }, "upload");
        const bar = new ProgressBar(`Uploading ${name}`, stat.size);
        let sent = 0;
        const counted = fs.createReadStream(file).pipe(
          new Transform({
            transform(chunk: Buffer, _enc, done) {
              sent += chunk.length;
              bar.update(sent);
              done(null, chunk);
            },
          }),
        );
        const params = new URLSearchParams({ name: query.name, size: String(stat.size) });
        const res = await api
          .raw(`/api/images/upload?${params}`, {
            method: "POST",
            headers: { "content-type": "application/octet-stream", "content-length": String(stat.size) },
            body: Readable.toWeb(counted) as ReadableStream,
            duplex: "half",
          } as RequestInit)
          .finally(() => {
            bar.update(sent, true);
            bar.finish();
          });
        print(json, (await res.json()) as ImageView, renderImage);
      }),
    );

  images
    .command("delete <image>")
    .alias("rm")
    .description("delete an image no guest uses")
    .action(
      act<[string]>(async ({ api, json }, [ref]) => {
        const image = await findImage(api, ref);
        await api.delete(`/api/images/${encodeURIComponent(image.id)}`);
        print(json, { deleted: image.id, name: image.name }, () => `Deleted image ${image.name}.\n`);
      }),
    );

  addImageCopyCommand(images);
  addImageBuildCommands(images);
}
