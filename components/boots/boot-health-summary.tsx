import Link from "next/link";
import type { LastBootHealth } from "@/lib/server/reads/boot-analyses";
import { plural } from "@/lib/shared/format";

const NAMED = 8;

/** How many guests' last boots had failures or regressed, for the consolidation page. */
export function BootHealthSummary({ guests }: { guests: LastBootHealth[] }) {
  const failed = guests.filter((g) => g.hasFailures).length;
  const regressed = guests.filter((g) => g.regressed).length;
  return (
    <section
      aria-label="Boot health"
      data-testid="boot-health-summary"
      className="flex flex-wrap items-baseline gap-x-6 gap-y-1 rounded-lg border border-slate-200 bg-white px-4 py-3 text-sm shadow-sm"
    >
      <h2 className="font-semibold text-slate-800">Last boots</h2>
      <span className={failed ? "text-rose-800" : "text-slate-600"}>{plural(failed, "guest")} with failures</span>
      <span className={regressed ? "text-amber-800" : "text-slate-600"}>
        {plural(regressed, "guest")} slower or worse than their recent boots
      </span>
      {guests.length > 0 && (
        <span className="text-slate-600">
          {guests.slice(0, NAMED).map((g, i) => (
            <span key={g.guestId}>
              {i > 0 && ", "}
              <Link
                href={`/guests/${encodeURIComponent(g.guestId)}/boots/${g.bootNumber}`}
                className="text-sky-700 hover:underline"
              >
                {g.name}
              </Link>
            </span>
          ))}
          {guests.length > NAMED && ` and ${guests.length - NAMED} more`}
        </span>
      )}
    </section>
  );
}
