"use client";

import { useId, useState } from "react";
import { ConfirmDialog } from "./confirm-dialog";
import { inputClasses } from "./form-field";

/** A host offered in the list; `unavailable` (why it cannot be chosen) greys it out. */
export interface HostPickOption {
  id: string;
  name: string;
  unavailable?: string | null;
}

interface HostPickDialogProps {
  title: string;
  confirmLabel: string;
  description: React.ReactNode;
  hosts: HostPickOption[];
  /** The host chosen when the dialog opens; "" leaves the placeholder chosen. */
  initialHostId: string;
  /** An empty first option ("Choose a host"); without one the list offers hosts only. */
  placeholder?: string;
  /** Called with the chosen host's id ("" when the placeholder is still chosen). */
  onConfirm: (hostId: string) => void;
  onCancel: () => void;
}

/** "Choose a host": a confirmation dialog with a select of hosts (migrate a guest, copy an image). */
export function HostPickDialog({
  title,
  confirmLabel,
  description,
  hosts,
  initialHostId,
  placeholder,
  onConfirm,
  onCancel,
}: HostPickDialogProps) {
  const [hostId, setHostId] = useState(initialHostId);
  const selectId = useId();
  return (
    <ConfirmDialog
      title={title}
      confirmLabel={confirmLabel}
      tone="neutral"
      onCancel={onCancel}
      onConfirm={() => onConfirm(hostId)}
    >
      <p className="mb-3">{description}</p>
      <label htmlFor={selectId} className="mb-1 block text-xs font-medium text-slate-700">
        Host
      </label>
      <select
        id={selectId}
        value={hostId}
        onChange={(e) => setHostId(e.target.value)}
        className={`${inputClasses(false)} w-full`}
      >
        {placeholder !== undefined && <option value="">{placeholder}</option>}
        {hosts.map((h) => (
          <option key={h.id} value={h.id} disabled={!!h.unavailable}>
            {h.name}
            {h.unavailable ? ` — ${h.unavailable}` : ""}
          </option>
        ))}
      </select>
    </ConfirmDialog>
  );
}
