import { Download, FileText, Radio } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { BootAnalysisPanel } from "@/components/boots/boot-analysis-panel";
import { BootLogNote } from "@/components/guests/boot-log-note";
import { BootLogPlayerLoader } from "@/components/console/boot-log-player-loader";
import { buttonClasses } from "@/components/ui/button";
import { ConsoleTerminalLoader } from "@/components/console/console-terminal-loader";
import { OutcomeBadge } from "@/components/guests/outcome-badge";
import { RefreshOnGuestState } from "@/components/guests/refresh-on-guest-state";
import { LabelledValue } from "@/components/ui/labelled-value";
import { RelativeTime } from "@/components/ui/relative-time";
import { requireUser } from "@/lib/server/current-user";
import { formatBytes, formatDuration, msBetween } from "@/lib/shared/format";
import { readBootAnalysis } from "@/lib/server/reads/boot-analyses";
import { findBoot } from "@/lib/server/reads/boots";
import { findGuest } from "@/lib/server/reads/guests";
import { bootAnalysisReader, db, guestReader } from "@/lib/server/web-db";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string; n: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id, n } = await params;
  const guest = await findGuest(guestReader(), await requireUser(), id);
  return { title: guest ? `Boot ${n} of ${guest.name}` : "Boot not found" };
}

function after(from: string, to: string | null): string {
  const ms = msBetween(from, to);
  return ms === null ? "—" : formatDuration(ms);
}

export default async function BootPage({ params }: Props) {
  const { id, n } = await params;
  const guest = await findGuest(guestReader(), await requireUser(), id);
  if (!guest) notFound();
  const boot = await findBoot(db, guest.id, n);
  if (!boot) notFound();
  // What is on the console now is this boot only while it is the guest's latest, unended one.
  const live = boot.endedAt === null && guest.lastBoot?.number === boot.number;
  const logUrl = `/api/guests/${encodeURIComponent(guest.id)}/boots/${boot.number}/log`;
  const analysis = await readBootAnalysis(bootAnalysisReader(), guest.id, boot.number);

  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-6">
      <RefreshOnGuestState guestId={guest.id} />
      <nav aria-label="Breadcrumb" className="-mb-3 text-sm text-slate-500">
        <Link href="/" className="hover:text-slate-900 hover:underline">
          Guests
        </Link>{" "}
        /{" "}
        <Link href={`/guests/${encodeURIComponent(guest.id)}`} className="hover:text-slate-900 hover:underline">
          {guest.name}
        </Link>{" "}
        / <span className="text-slate-700">boot {boot.number}</span>
      </nav>
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <div className="flex items-center gap-3">
            <h1 className="text-2xl font-semibold tracking-tight text-slate-900">
              Boot {boot.number} of {guest.name}
            </h1>
            <OutcomeBadge outcome={boot.outcome} detail={boot.detail} ended={boot.endedAt !== null} />
          </div>
          {boot.detail && <p className="mt-1 text-sm text-slate-500">{boot.detail}</p>}
        </div>
        {!boot.logPrunedAt && (
          <div className="flex gap-2">
            <a href={`${logUrl}?download=1`} className={buttonClasses("secondary")}>
              <Download aria-hidden className="size-4" />
              Download .cast
            </a>
            <a href={`${logUrl}?format=text`} className={buttonClasses("secondary")}>
              <FileText aria-hidden className="size-4" />
              Download text
            </a>
          </div>
        )}
      </div>
      <dl className="grid grid-cols-2 gap-x-8 gap-y-3 rounded-lg border border-slate-200 bg-white px-4 py-3 text-sm shadow-sm sm:grid-cols-3 lg:grid-cols-6">
        <LabelledValue label="Started">
          <RelativeTime iso={boot.startedAt} />
        </LabelledValue>
        <LabelledValue label="First output after">{after(boot.startedAt, boot.firstOutputAt)}</LabelledValue>
        <LabelledValue label="Ready after">{after(boot.startedAt, boot.readyAt)}</LabelledValue>
        <LabelledValue label="Ended">{boot.endedAt ? <RelativeTime iso={boot.endedAt} /> : "—"}</LabelledValue>
        <LabelledValue label="Duration">
          {boot.endedAt ? after(boot.startedAt, boot.endedAt) : "in progress"}
        </LabelledValue>
        <LabelledValue label="Output">
          {boot.endedAt ? formatBytes(boot.logBytes) : "—"}
          {boot.logTruncated && " recorded (truncated)"}
        </LabelledValue>
      </dl>
      <BootLogNote boot={boot} />
      {analysis && <BootAnalysisPanel view={analysis} />}
      {live ? (
        <section aria-label="Live console" className="flex flex-col gap-2">
          <p className="inline-flex items-center gap-2 text-sm text-sky-800">
            <Radio aria-hidden className="size-4 animate-pulse" />
            Live — this boot is in progress. When it ends, its log replaces this view.
          </p>
          <ConsoleTerminalLoader guestId={guest.id} readOnly />
        </section>
      ) : (
        !boot.logPrunedAt && <BootLogPlayerLoader guestId={guest.id} bootNumber={boot.number} />
      )}
    </div>
  );
}
