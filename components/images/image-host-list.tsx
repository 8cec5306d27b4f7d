import { formatBytes } from "@/lib/shared/format";
import type { ImageCopyView } from "@/lib/shared/protocol";
import { Bar } from "../ui/usage-bar";

/** The hosts an image is on, by name, and any copy on its way there with its progress. */
export function ImageHostList({ copies, sizeBytes }: { copies: ImageCopyView[]; sizeBytes: number }) {
  if (copies.length === 0) return <span className="text-xs text-slate-500">on no host</span>;
  return (
    <ul className="flex flex-wrap items-center gap-1.5">
      {copies.map((c) =>
        c.state === "ready" ? (
          <li
            key={c.hostId}
            className="rounded-full bg-emerald-50 px-2 py-0.5 text-xs font-medium text-emerald-800 ring-1 ring-emerald-300 ring-inset"
          >
            {c.hostName}
          </li>
        ) : (
          <li key={c.hostId} className="flex min-w-32 flex-col gap-0.5 text-xs text-slate-600">
            <span>
              {c.hostName}: copying {formatBytes(c.copiedBytes)} of {formatBytes(sizeBytes)}
            </span>
            <Bar
              role="progressbar"
              label={`Copy to ${c.hostName}`}
              value={Math.min(c.copiedBytes, sizeBytes)}
              max={sizeBytes}
              fraction={sizeBytes > 0 ? c.copiedBytes / sizeBytes : 0}
              tone="sky"
              compact
              className="w-full"
            />
          </li>
        ),
      )}
    </ul>
  );
}
