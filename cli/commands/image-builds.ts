// `corral images build|builds|build-log|cancel-build`: Debian images built by debootstrap on
// the host, with the build's stages live (socket.io `images:watch`, as the Images page).
import type { Command } from "commander";
import { formatUtcTimestamp } from "../../lib/shared/format";
import { debianBuildSchema, type ImageBuildEvent, type ImageBuildView } from "../../lib/shared/protocol";
import type { Api } from "../api";
import { act } from "../context";
import { CliError } from "../exit-codes";
import { notice, print, renderTable } from "../output";
import { pipeResponse } from "../streams";
import { checked, collect, wholeNumber } from "../values";

const renderBuilds = (builds: ImageBuildView[]) =>
  builds.length
    ? renderTable(builds, [
        { header: "id", value: (b) => b.id },
        { header: "name", value: (b) => b.name },
        { header: "suite", value: (b) => b.suite },
        { header: "status", value: (b) => b.status },
        { header: "stage", value: (b) => b.stage },
        { header: "started", value: (b) => formatUtcTimestamp(b.startedAt) },
        { header: "error", value: (b) => b.error },
      ])
    : "No Debian builds kept.\n";

const buildPath = (id: string, ...rest: string[]) => ["/api/images/builds", encodeURIComponent(id), ...rest].join("/");

export function addImageBuildCommands(images: Command): void {
  images
    .command("build <name>")
    .description("build a Debian image with debootstrap (admins; the host must run as root), showing its stages live")
    .option("-s, --suite <suite>", "bookworm or trixie", "bookworm")
    .option("--size <MiB>", "the image's size in MiB", "1024")
    .option("-p, --package <name>", "an extra Debian package (repeatable)", collect)
    .option("--log", "print the build's log lines as well as its stages")
    .option("-d, --detach", "start the build and return at once")
    .action(
      act<[string], { suite: string; size: string; package?: string[]; log?: boolean; detach?: boolean }>(
        async ({ api, json }, [name], o) => {
          const body = checked(
            debianBuildSchema,
            { name, suite: o.suite, sizeMiB: wholeNumber(o.size), packages: o.package },
            "build",
          );
          if (o.detach) return print(json, await api.post<ImageBuildView>("/api/images/debian", body), renderOne);
          const build = await watchBuild(api, () => api.post<ImageBuildView>("/api/images/debian", body), !!o.log);
          print(json, build, renderOne);
          if (build.status !== "succeeded")
            throw new CliError(
              `Build ${build.id} ${build.status}${build.error ? `: ${build.error}` : "."} \`corral images build-log ${build.id}\` has its log.`,
            );
        },
      ),
    );

  images
    .command("builds")
    .description("list the Debian builds the daemon keeps")
    .action(
      act(async ({ api, json }) => print(json, await api.get<ImageBuildView[]>("/api/images/builds"), renderBuilds)),
    );

  images
    .command("build-log <id>")
    .description("print a build's log")
    .action(act<[string]>(async ({ api }, [id]) => pipeResponse(await api.raw(buildPath(id, "log")))));

  images
    .command("cancel-build <id>")
    .description("cancel a running build; nothing of it is kept but its log")
    .action(
      act<[string]>(async ({ api, json }, [id]) =>
        print(json, await api.post<ImageBuildView>(buildPath(id, "cancel")), (b) => `Build ${b.id}: ${b.status}.\n`),
      ),
    );
}

const renderOne = (b: ImageBuildView) =>
  b.status === "succeeded" ? `Built image ${b.name}.\n` : `Build ${b.id} of ${b.name}: ${b.status}.\n`;

/**
 * Starts a build (after joining the room, so no event is missed) and prints its stages as
 * they change until it ends. A dropped connection rejoins and re-reads the build: its end
 * is never missed. Ctrl-C leaves the build running and says how to cancel it.
 */
async function watchBuild(api: Api, start: () => Promise<ImageBuildView>, showLog: boolean): Promise<ImageBuildView> {
  const { connectSocket, emitChecked } = await import("../socket");
  const socket = await connectSocket(api);
  let buildId: string | null = null;
  let shown = "";
  let finish: (b: ImageBuildView) => void = () => {};
  const ended = new Promise<ImageBuildView>((r) => (finish = r));
  const show = (stage: string | null, percent: number | null) => {
    const text = `${stage ?? "starting"}${percent === null ? "" : ` ${percent}%`}`;
    if (text !== shown) notice(`[build] ${text}`);
    shown = text;
  };
  const onEvent = (e: ImageBuildEvent) => {
    if (e.buildId !== buildId) return;
    if (showLog && e.line !== null) notice(e.line);
    show(e.stage, e.percent);
    if (e.build && e.build.status !== "running") finish(e.build);
  };
  const reread = async () => {
    if (!buildId) return;
    const b = await api.get<ImageBuildView>(buildPath(buildId));
    if (b.status !== "running") finish(b);
  };
  const onInterrupt = () => {
    notice(
      `\nThe build goes on on the host${buildId ? `; \`corral images cancel-build ${buildId}\` cancels it` : ""}.`,
    );
    socket.close();
    process.exit(130);
  };
  socket.on("image:build", onEvent);
  socket.io.on(
    "reconnect",
    () =>
      void emitChecked(socket, "images:watch")
        .then(reread)
        .catch(() => {}),
  );
  process.once("SIGINT", onInterrupt);
  try {
    await emitChecked(socket, "images:watch");
    const build = await start();
    buildId = build.id;
    notice(`Build ${build.id} of ${build.name} started.`);
    show(build.stage, build.percent);
    await reread();
    return await ended;
  } finally {
    process.off("SIGINT", onInterrupt);
    socket.close();
  }
}
