/** One labelled value in a facts strip (`<dl>`). */
export function LabelledValue({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className="mt-0.5 text-slate-800 tabular-nums">{children}</dd>
    </div>
  );
}
