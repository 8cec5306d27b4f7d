"use client";

import { FileText } from "lucide-react";
import { formatDuration, msBetween } from "@/lib/shared/format";
import type { ImageBuildView } from "@/lib/shared/protocol";
import { buttonClasses, Button } from "../ui/button";
import { DataTable } from "../ui/data-table";
import { BuildStatusBadge } from "./debian-build-status";
import { RelativeTime } from "../ui/relative-time";

const COLUMNS = ["Image", "Suite", "Status", "Started", "Took"];

/** Every kept build, newest first: pick one to see its stages and log above, or open its whole log. */
export function DebianBuildHistory({
  builds,
  shownId,
  onSelect,
}: {
  builds: ImageBuildView[];
  shownId: string | null;
  onSelect(id: string): void;
}) {
  if (builds.length === 0) return null;
  return (
    <section aria-label="Build history" className="flex flex-col gap-2">
      <h3 className="text-xs font-medium tracking-wide text-slate-500 uppercase">Build history</h3>
      <div className="rounded-md border border-slate-200">
        <DataTable columns={COLUMNS} trailing="Actions">
          {builds.map((b) => {
            const took = msBetween(b.startedAt, b.endedAt);
            return (
              <tr
                key={b.id}
                aria-current={b.id === shownId ? "true" : undefined}
                className="aria-[current]:bg-sky-50/60"
              >
                {/* Plain text: the image's own link is in the list above, and "Show" offers "Open image". */}
                <td className="px-4 py-2 font-medium text-slate-900">{b.name}</td>
                <td className="px-4 py-2">
                  {b.suite}, {b.sizeMiB} MiB
                </td>
                <td className="px-4 py-2">
                  <BuildStatusBadge status={b.status} />
                </td>
                <td className="px-4 py-2 whitespace-nowrap">
                  <RelativeTime iso={b.startedAt} />
                </td>
                <td className="px-4 py-2 tabular-nums">{took === null ? "—" : formatDuration(took)}</td>
                <td className="px-4 py-2 text-right whitespace-nowrap">
                  <Button size="sm" variant="ghost" disabled={b.id === shownId} onClick={() => onSelect(b.id)}>
                    Show
                  </Button>
                  <a
                    href={`/api/images/builds/${encodeURIComponent(b.id)}/log`}
                    target="_blank"
                    rel="noreferrer"
                    aria-label={`Log of the build of ${b.name}`}
                    className={buttonClasses("ghost", "sm")}
                  >
                    <FileText className="size-3.5" aria-hidden /> Log
                  </a>
                </td>
              </tr>
            );
          })}
        </DataTable>
      </div>
    </section>
  );
}
