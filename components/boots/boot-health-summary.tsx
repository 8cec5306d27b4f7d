import Link from "next/link";
import type { GuestView } from "@/lib/shared/protocol";
import { plural } from "@/lib/shared/format";

const NAMED = 8;

/** How many guests' last boots had failures or regressed, for the consolidation page. */
export function BootHealthSummary({ guests }: { guests: GuestView[] }) {
  const failed = guests.filter((g) => g.lastBoot?.health?.hasFailures);
  const regressed = guests.filter((g) => g.lastBoot?.health?.regressed);
  const marked = guests.filter((g) => g.lastBoot?.health?.hasFailures || g.lastBoot?.health?.regressed);
  return (
    <section
      aria-label="Boot health"
      data-testid="boot-health-summary"
      className="flex flex-wrap items-baseline gap-x-6 gap-y-1 rounded-lg border border-slate-200 bg-white px-4 py-3 text-sm shadow-sm"
    >
      <h2 className="font-semibold text-slate-800">Last boots</h2>
      <span className={failed.length ? "text-rose-800" : "text-slate-600"}>
        {plural(failed.length, "guest")} with failures
      </span>
      <span className={regressed.length ? "text-amber-800" : "text-slate-600"}>
        {plural(regressed.length, "guest")} slower or worse than their recent boots
      </span>
      {marked.length > 0 && (
        <span className="text-slate-600">
          {marked.slice(0, NAMED).map((g, i) => (
            <span key={g.id}>
              {i > 0 && ", "}
              <Link
                href={`/guests/${encodeURIComponent(g.id)}/boots/${g.lastBoot!.number}`}
                className="text-sky-700 hover:underline"
              >
                {g.name}
              </Link>
            </span>
          ))}
          {marked.length > NAMED && ` and ${marked.length - NAMED} more`}
        </span>
      )}
    </section>
  );
}
