// `corral hosts`: the host guests run on, the fleet's hosts, and maintenance (admins).
import type { Command } from "commander";
import { formatMiB } from "../../lib/shared/format";
import type { FleetHostView, HostView } from "../../lib/shared/protocol";
import { act } from "../context";
import { CliError, EXIT } from "../exit-codes";
import { findHost } from "../lookup";
import { print, renderFields, renderTable } from "../output";
import { addEvacuateCommand } from "./migration";

function renderFleet(hosts: FleetHostView[]): string {
  return renderTable(hosts, [
    { header: "name", value: (h) => h.name },
    { header: "status", value: (h) => (h.maintenance ? `${h.status}, maintenance` : h.status) },
    { header: "free for guests", value: (h) => formatMiB(h.guestMemoryFreeMiB), right: true },
    { header: "of", value: (h) => formatMiB(h.guestMemoryMiB), right: true },
    { header: "address", value: (h) => h.address },
    { header: "id", value: (h) => h.id },
  ]);
}

export function addHostCommands(program: Command): void {
  const hosts = program.command("hosts").alias("host").description("the host guests run on, and the fleet's hosts");
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
  hosts
    .command("fleet")
    .description("list the fleet's hosts, with the memory each has free for guests")
    .action(act(async ({ api, json }) => print(json, await api.get<FleetHostView[]>("/api/hosts"), renderFleet)));
  hosts
    .command("maintenance <host> <on|off>")
    .description("put a host in maintenance (no new guests are placed on it) or take it out (admins)")
    .action(
      act<[string, string]>(async ({ api, json }, [ref, state]) => {
        if (state !== "on" && state !== "off") throw new CliError(`Say "on" or "off", not "${state}".`, EXIT.usage);
        const host = await findHost(api, ref);
        const after = await api.patch<FleetHostView>(`/api/hosts/${encodeURIComponent(host.id)}`, {
          maintenance: state === "on",
        });
        print(json, after, (h) => renderFleet([h]));
      }),
    );
  addEvacuateCommand(hosts);
}
