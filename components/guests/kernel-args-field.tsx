import { KERNEL_ARG_PATTERNS } from "@/lib/shared/protocol";

interface KernelArgsFieldProps {
  value: string[];
  onChange: (next: string[]) => void;
  error?: string | null;
  disabled?: boolean;
}

/** Extra kernel arguments, picked from the allow-list (never typed as free text). */
export function KernelArgsField({ value, onChange, error, disabled }: KernelArgsFieldProps) {
  const toggle = (arg: string, on: boolean) => onChange(on ? [...value, arg] : value.filter((a) => a !== arg));
  return (
    <fieldset className="flex flex-col gap-1.5" aria-describedby={error ? "kernel-args-error" : undefined}>
      <legend className="mb-1.5 text-xs font-medium text-slate-700">Kernel arguments</legend>
      <div className="flex flex-wrap gap-x-4 gap-y-1.5">
        {KERNEL_ARG_PATTERNS.map(({ example, help }) => (
          <label
            key={example}
            title={help}
            className="inline-flex cursor-pointer items-center gap-1.5 text-sm text-slate-700"
          >
            <input
              type="checkbox"
              className="size-3.5 rounded border-slate-300 accent-slate-900"
              checked={value.includes(example)}
              disabled={disabled}
              title={help}
              onChange={(e) => toggle(example, e.target.checked)}
            />
            <code className="font-mono text-xs">{example}</code>
          </label>
        ))}
      </div>
      {error && (
        <p id="kernel-args-error" className="text-xs text-rose-700">
          {error}
        </p>
      )}
    </fieldset>
  );
}
