import clsx from "clsx";

interface FormFieldProps {
  label: string;
  htmlFor: string;
  /** Shown under the input in red; the input should reference `${htmlFor}-error`. */
  error?: string | null;
  hint?: React.ReactNode;
  className?: string;
  children: React.ReactNode;
}

/** A labelled input with its hint and its error underneath. */
export function FormField({ label, htmlFor, error, hint, className, children }: FormFieldProps) {
  return (
    <div className={clsx("flex flex-col gap-1", className)}>
      <label htmlFor={htmlFor} className="text-xs font-medium text-slate-700">
        {label}
      </label>
      {children}
      {error ? (
        <p id={`${htmlFor}-error`} className="text-xs text-rose-700">
          {error}
        </p>
      ) : (
        hint && <p className="text-xs text-slate-500">{hint}</p>
      )}
    </div>
  );
}

/** Shared look of text inputs and selects; red when invalid. */
export function inputClasses(invalid: boolean): string {
  return clsx(
    "h-9 rounded-md border bg-white px-2.5 text-sm shadow-sm outline-none",
    "focus:border-sky-500 focus:ring-2 focus:ring-sky-500/20 disabled:bg-slate-50 disabled:text-slate-400",
    invalid ? "border-rose-400" : "border-slate-300",
  );
}

/**
 * What went wrong with the whole form (a field's own error goes under the field); nothing when
 * there is none. `boxed` sets it in a red box, for an error that stands apart from any field.
 */
export function FormAlert({ message, boxed = false }: { message: React.ReactNode; boxed?: boolean }) {
  if (!message) return null;
  return (
    <p
      role="alert"
      className={
        boxed ? "rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-800" : "text-sm text-rose-700"
      }
    >
      {message}
    </p>
  );
}

/** What the form just did, announced to screen readers. */
export function FormDone({ children }: { children: React.ReactNode }) {
  return (
    <p role="status" className="text-sm text-emerald-700">
      {children}
    </p>
  );
}
