import Link from "next/link";
import type { EvacuationResult } from "@/lib/shared/protocol";

const TONE = { moved: "text-emerald-700", stays: "text-amber-700", failed: "text-rose-700" } as const;

/** What evacuating a host did to each of its guests: moved to X, stays (why), failed (why). */
export function EvacuationResults({ result }: { result: EvacuationResult }) {
  if (result.guests.length === 0) return <p className="text-sm text-slate-600">{result.hostName} runs no guests.</p>;
  return (
    <ul className="text-sm" data-testid="evacuation-results">
      {result.guests.map((g) => (
        <li key={g.guestId}>
          <Link href={`/guests/${encodeURIComponent(g.guestId)}`} className="text-sky-700 hover:underline">
            {g.guestName}
          </Link>{" "}
          <span className={TONE[g.outcome]}>
            {g.outcome === "moved" ? `moved to ${g.hostName}` : g.outcome === "stays" ? "stays" : "failed"}
          </span>
          {g.reason && <span className="text-xs text-slate-500"> — {g.reason}</span>}
        </li>
      ))}
    </ul>
  );
}
