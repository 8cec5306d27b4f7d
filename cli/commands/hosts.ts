// `corral hosts`: the host guests run on (one per Corral).
import type { Command } from "commander";
import { formatMiB } from "../../lib/shared/format";
import type { HostView } from "../../lib/shared/protocol";
import { act } from "../context";
import { print, renderFields } from "../output";

export function addHostCommands(program: Command): void {
  const hosts = program.command("hosts").alias("host").description("the host guests run on");
  const show = act(async ({ api, json }) => {
    const host = await api.get<HostView>("/api/host");
    print(json, { url: api.url, ...host }, (h) =>
      renderFields([
        ["url", h.url],
        ["kernel", h.kernelVersion],
        ["memory", formatMiB(h.memoryTotalMiB)],
        ["guest max", formatMiB(h.guestMemoryMaxMiB)],
        ["bridge", h.bridge ? `${h.bridge.name} ${h.bridge.cidr}` : "not enabled"],
        ["debian builds", h.debianBuildsUnavailable ?? "available"],
      ]),
    );
  });
  hosts.command("list", { isDefault: true }).alias("show").description("show the host").action(show);
}
