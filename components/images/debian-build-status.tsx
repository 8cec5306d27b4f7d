"use client";

import clsx from "clsx";
import { Check, FileText, X } from "lucide-react";
import Link from "next/link";
import { useEffect, useRef } from "react";
import { apiPost } from "@/lib/shared/api-client";
import { IMAGE_BUILD_STAGES, type ImageBuildStage, type ImageBuildView } from "@/lib/shared/protocol";
import { Button, buttonClasses } from "../ui/button";
import { RelativeTime } from "../ui/relative-time";
import { FormAlert } from "../ui/form-field";

const STAGE_LABEL: Record<ImageBuildStage, string> = {
  download: "Download",
  extract: "Extract",
  configure: "Configure",
  filesystem: "Make filesystem",
};
const STATUS_CLASS: Record<ImageBuildView["status"], string> = {
  running: "bg-sky-50 text-sky-800 ring-sky-300",
  succeeded: "bg-emerald-50 text-emerald-800 ring-emerald-300",
  failed: "bg-rose-50 text-rose-800 ring-rose-300",
  cancelled: "bg-slate-100 text-slate-700 ring-slate-300",
};

export function BuildStatusBadge({ status, testId }: { status: ImageBuildView["status"]; testId?: string }) {
  return (
    <span
      data-testid={testId}
      className={clsx("rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset", STATUS_CLASS[status])}
    >
      {status}
    </span>
  );
}

/** A build's stage, progress and the tail of its log, as they happen. */
export function DebianBuildStatus({ build, tail }: { build: ImageBuildView; tail: string[] }) {
  const log = useRef<HTMLPreElement>(null);
  useEffect(() => {
    log.current?.scrollTo({ top: log.current.scrollHeight });
  }, [tail]);
  const current = build.stage ? IMAGE_BUILD_STAGES.indexOf(build.stage) : -1;
  const running = build.status === "running";
  const logHref = `/api/images/builds/${encodeURIComponent(build.id)}/log`;

  return (
    <section aria-label="Debian build" className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center gap-3 text-sm">
        <span className="font-medium text-slate-900">{build.name}</span>
        <span className="text-slate-500">
          {build.suite}, {build.sizeMiB} MiB{build.packages.length ? `, + ${build.packages.join(" ")}` : ""}
        </span>
        <BuildStatusBadge status={build.status} testId="build-status" />
        <span className="text-xs text-slate-500">
          started <RelativeTime iso={build.startedAt} />
        </span>
        <span className="ml-auto flex items-center gap-2">
          {running && (
            <Button size="sm" onClick={() => void apiPost(`${logHref.replace(/\/log$/, "")}/cancel`)}>
              <X className="size-3.5" aria-hidden /> Cancel build
            </Button>
          )}
          {build.status === "succeeded" && build.imageId && (
            <Link href={`/images/${encodeURIComponent(build.imageId)}`} className={buttonClasses("secondary", "sm")}>
              Open image
            </Link>
          )}
          <a href={logHref} target="_blank" rel="noreferrer" className={buttonClasses("ghost", "sm")}>
            <FileText className="size-3.5" aria-hidden /> Full log
          </a>
        </span>
      </div>
      <ol aria-label="Build stages" className="grid grid-cols-4 gap-2">
        {IMAGE_BUILD_STAGES.map((stage, i) => {
          const done = i < current || build.status === "succeeded";
          const active = i === current && running;
          const stopped = i === current && (build.status === "failed" || build.status === "cancelled");
          return (
            <li
              key={stage}
              aria-current={active ? "step" : undefined}
              className={clsx(
                "flex flex-col gap-1 rounded-md border px-3 py-2 text-xs",
                active ? "border-sky-400 bg-sky-50" : stopped ? "border-rose-300 bg-rose-50" : "border-slate-200",
              )}
            >
              <span className="flex items-center gap-1 font-medium text-slate-800">
                {done && <Check className="size-3.5 text-emerald-600" aria-label="done" />}
                {stopped && <X className="size-3.5 text-rose-600" aria-label={build.status} />}
                {STAGE_LABEL[stage]}
              </span>
              <div className="h-1.5 overflow-hidden rounded-full bg-slate-200">
                <div
                  className={clsx(
                    "h-full",
                    done ? "bg-emerald-500" : "bg-sky-500",
                    active && build.percent === null && "animate-pulse",
                  )}
                  style={{ width: done ? "100%" : active ? `${build.percent ?? 100}%` : "0%" }}
                />
              </div>
            </li>
          );
        })}
      </ol>
      <FormAlert message={build.error} />
      <pre
        ref={log}
        aria-label="Build log"
        tabIndex={0}
        className="h-64 overflow-auto rounded-md bg-slate-950 p-3 font-mono text-xs leading-5 text-slate-200"
      >
        {tail.join("\n")}
      </pre>
    </section>
  );
}
