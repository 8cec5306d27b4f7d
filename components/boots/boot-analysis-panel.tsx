import { Card } from "../ui/card";
import { LabelledValue } from "../ui/labelled-value";
import type { BootAnalysisView } from "@/lib/shared/protocol";
import { BootEntryList } from "./boot-entry-list";
import { BootHealthBadge } from "./boot-health-badge";
import { BootProblemList } from "./boot-problem-list";
import { BootTimelineChart } from "./boot-timeline-chart";
import { formatSeconds } from "./entry-kinds";

const dash = (s: number | null) => (s === null ? "—" : formatSeconds(s));

/** What the boot did, problems first, how it compares with the guest's recent boots, and its timeline. */
export function BootAnalysisPanel({ view }: { view: BootAnalysisView }) {
  const { analysis: a, comparison: c } = view;
  const started = a.units.filter((u) => u.result === "started").length;
  return (
    <section aria-label="Boot analysis" className="flex flex-col gap-4">
      <Card
        title="How this boot went"
        aside={<BootHealthBadge health={view.boot.health} />}
        bodyClassName="flex flex-col gap-3 px-4 py-3"
      >
        <p data-testid="boot-comparison" className="text-sm text-slate-800">
          {c.summary.charAt(0).toUpperCase() + c.summary.slice(1)}.
        </p>
        {view.partial && (
          <p className="text-xs text-slate-500">
            Analysed while the boot was still running; it is analysed again when the boot ends.
          </p>
        )}
        {view.outdated && (
          <p className="text-xs text-amber-700">
            Analysed by an older version of Corral and the log is gone, so it could not be analysed again.
          </p>
        )}
        <dl className="grid grid-cols-2 gap-x-8 gap-y-2 text-sm sm:grid-cols-3 lg:grid-cols-6">
          <LabelledValue label="Root mounted">{dash(a.rootMountedSeconds)}</LabelledValue>
          <LabelledValue label="Init started">{dash(a.initSeconds)}</LabelledValue>
          <LabelledValue label="Ready (prompt)">{dash(a.readySeconds)}</LabelledValue>
          <LabelledValue label="Median of recent boots">
            {c.baselineBoots ? `${dash(c.medianReadySeconds)} (${c.baselineBoots})` : "—"}
          </LabelledValue>
          <LabelledValue label="Units">
            {started} started{a.failedUnits.length ? `, ${a.failedUnits.length} failed` : ""}
          </LabelledValue>
          <LabelledValue label="System">{a.os ?? (a.kernelVersion ? `Linux ${a.kernelVersion}` : "—")}</LabelledValue>
        </dl>
      </Card>
      <Card title={`Problems (${a.problems.length})`}>
        <BootProblemList problems={a.problems} />
      </Card>
      <Card title="Timeline" aside="Click a bar or an entry to see that moment in the replay" bodyClassName="pt-2">
        <BootTimelineChart analysis={a} />
        <BootEntryList entries={a.entries} dropped={a.droppedEntries} />
      </Card>
    </section>
  );
}
