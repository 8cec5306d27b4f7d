import clsx from "clsx";

interface CardProps {
  title?: React.ReactNode;
  /** Right side of the title bar: status, links, buttons. */
  aside?: React.ReactNode;
  className?: string;
  bodyClassName?: string;
  children: React.ReactNode;
}

export function Card({ title, aside, className, bodyClassName, children }: CardProps) {
  return (
    <section className={clsx("rounded-lg border border-slate-200 bg-white shadow-sm", className)}>
      {(title || aside) && (
        <header className="flex min-h-11 items-center justify-between gap-4 border-b border-slate-200 px-4 py-2">
          {title && <h2 className="text-sm font-semibold text-slate-800">{title}</h2>}
          {aside && <div className="flex items-center gap-3 text-xs text-slate-500">{aside}</div>}
        </header>
      )}
      <div className={bodyClassName}>{children}</div>
    </section>
  );
}
