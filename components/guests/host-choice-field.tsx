"use client";

import { formatMiB } from "@/lib/shared/format";
import type { HostChoice } from "@/lib/shared/host-choices";
import { FormField, inputClasses } from "../ui/form-field";

/** "Automatic" (Corral places it: the host with the most free guest memory) or one host of the fleet. */
export function HostChoiceField({
  id,
  hosts,
  value,
  disabled,
  error,
  onChange,
}: {
  id: string;
  hosts: HostChoice[];
  value: string;
  disabled: boolean;
  error: string | null;
  onChange: (hostId: string) => void;
}) {
  return (
    <FormField label="Place on host" htmlFor={id} error={error} className="w-64" hint="Free memory for guests">
      <select
        id={id}
        name="hostId"
        value={value}
        disabled={disabled}
        aria-invalid={Boolean(error)}
        onChange={(e) => onChange(e.target.value)}
        className={inputClasses(Boolean(error))}
      >
        <option value="">Automatic (most free memory)</option>
        {hosts.map((h) => (
          <option key={h.id} value={h.id} disabled={h.unavailable !== null}>
            {h.name} — {h.unavailable ?? `${formatMiB(h.freeMiB)} free`}
          </option>
        ))}
      </select>
    </FormField>
  );
}
