"use client";

import clsx from "clsx";
import { LoaderCircle, Play, Power, Square, Trash2, type LucideIcon } from "lucide-react";
import { useState } from "react";
import { apiPost } from "@/lib/shared/api-client";
import { plural } from "@/lib/shared/format";
import type { BulkAction, BulkRequest, BulkResponse } from "@/lib/shared/protocol";
import { Button } from "../ui/button";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { BulkResults } from "./bulk-results";

interface BulkSpec {
  action: BulkAction;
  label: string;
  icon: LucideIcon;
  tone: "neutral" | "danger";
  /** What the confirmation says, for `n` guests; null: no confirmation. */
  confirm: ((n: string) => { title: string; body: string; button: string }) | null;
}

const SPECS: readonly BulkSpec[] = [
  { action: "start", label: "Start", icon: Play, tone: "neutral", confirm: null },
  {
    action: "stop",
    label: "Stop",
    icon: Square,
    tone: "neutral",
    confirm: (n) => ({
      title: `Stop ${n}?`,
      body: "Each running guest is asked to shut down cleanly, as if someone pressed Ctrl-Alt-Del.",
      button: `Stop ${n}`,
    }),
  },
  {
    action: "force-off",
    label: "Force off",
    icon: Power,
    tone: "danger",
    confirm: (n) => ({
      title: `Force off ${n}?`,
      body: "Each kernel is killed at once, like pulling the power cord. Anything not written to disk is lost.",
      button: `Force off ${n}`,
    }),
  },
  {
    action: "delete",
    label: "Delete",
    icon: Trash2,
    tone: "danger",
    confirm: (n) => ({
      title: `Delete ${n}?`,
      body: "Each stopped guest, its disk changes and all its boot logs are removed for good. Running guests are refused: stop them first.",
      button: `Delete ${n}`,
    }),
  },
];

interface BulkActionsProps {
  /** How many guests the action will name (shown in the bar and every confirmation). */
  count: number;
  /** The request for the current selection: its ids, or the filter when "all that match" is chosen. */
  target: () => Omit<BulkRequest, "action">;
  onDone: (response: BulkResponse) => void;
}

/**
 * Start, stop, force off or delete every selected guest. The daemon acts on each guest as
 * its own route would and answers per guest; those answers are shown, refused ones with
 * the reason. States change through live events, as for single actions.
 */
export function BulkActions({ count, target, onDone }: BulkActionsProps) {
  const [confirming, setConfirming] = useState<BulkSpec | null>(null);
  const [pending, setPending] = useState<BulkAction | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [response, setResponse] = useState<BulkResponse | null>(null);
  const n = plural(count, "guest");

  async function run(spec: BulkSpec) {
    setConfirming(null);
    setPending(spec.action);
    setError(null);
    setResponse(null);
    const result = await apiPost<BulkResponse>("/api/guests/bulk", { action: spec.action, ...target() });
    setPending(null);
    if (!result.ok) {
      setError(`${spec.label} failed: ${result.message}`);
      return;
    }
    setResponse(result.data);
    onDone(result.data);
  }

  return (
    <div className="flex flex-col gap-2">
      <div
        role="toolbar"
        aria-label="Actions for the selected guests"
        className={clsx("flex flex-wrap items-center gap-2 px-4 py-2", count > 0 ? "bg-sky-50" : "bg-white")}
      >
        <span className="text-xs text-slate-600" data-testid="bulk-count">
          {count > 0 ? `${n} selected` : "Select guests to act on several at once."}
        </span>
        {SPECS.map((spec) => {
          const Icon = pending === spec.action ? LoaderCircle : spec.icon;
          return (
            <Button
              key={spec.action}
              size="sm"
              className={clsx(spec.tone === "danger" && "enabled:hover:text-rose-700")}
              disabled={count === 0 || pending !== null}
              onClick={() => (spec.confirm ? setConfirming(spec) : void run(spec))}
            >
              <Icon aria-hidden className={clsx("size-3.5", pending === spec.action && "animate-spin")} />
              {spec.label}
            </Button>
          );
        })}
      </div>
      {error && (
        <p role="alert" className="px-4 text-xs text-rose-700">
          {error}
        </p>
      )}
      {response && <BulkResults response={response} onDismiss={() => setResponse(null)} />}
      {confirming?.confirm && (
        <ConfirmDialog
          title={confirming.confirm(n).title}
          confirmLabel={confirming.confirm(n).button}
          tone={confirming.tone}
          onConfirm={() => void run(confirming)}
          onCancel={() => setConfirming(null)}
        >
          {confirming.confirm(n).body}
        </ConfirmDialog>
      )}
    </div>
  );
}
