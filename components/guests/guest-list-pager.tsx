import clsx from "clsx";
import Link from "next/link";
import { ArrowDown, ArrowUp, ChevronLeft, ChevronRight } from "lucide-react";
import { guestListSearch, PAGE_SIZES, type GuestListQuery, type GuestSort } from "@/lib/shared/protocol";
import { buttonClasses } from "../ui/button";

/** "Showing 51–100 of 500", previous and next, and the page size: links, so the back button walks pages. */
export function GuestListPager({
  query,
  total,
  page,
  per,
}: {
  query: GuestListQuery;
  total: number;
  page: number;
  per: number;
}) {
  const pages = Math.max(1, Math.ceil(total / per));
  const first = total === 0 ? 0 : (page - 1) * per + 1;
  const last = Math.min(total, page * per);
  const link = (to: number, label: string, Icon: typeof ChevronLeft, enabled: boolean) =>
    enabled ? (
      <Link
        href={`/${guestListSearch(query, { page: to })}`}
        className={buttonClasses("secondary", "sm")}
        rel={label === "Next" ? "next" : "prev"}
      >
        {label === "Previous" && <Icon aria-hidden className="size-3.5" />}
        {label}
        {label === "Next" && <Icon aria-hidden className="size-3.5" />}
      </Link>
    ) : (
      <span aria-disabled className={clsx(buttonClasses("secondary", "sm"), "pointer-events-none opacity-40")}>
        {label}
      </span>
    );
  return (
    <nav
      aria-label="Pages of guests"
      className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-200 px-4 py-3 text-xs text-slate-600"
    >
      <p data-testid="guest-list-range">
        {total === 0 ? "No guests match." : `Showing ${first}–${last} of ${total}`}
        {pages > 1 && ` · page ${page} of ${pages}`}
      </p>
      <div className="flex items-center gap-2">
        <span>Per page:</span>
        {PAGE_SIZES.map((size) => (
          <Link
            key={size}
            href={`/${guestListSearch(query, { per: size, page: undefined })}`}
            aria-current={size === per ? "true" : undefined}
            className={clsx(
              "rounded px-1.5 py-0.5",
              size === per ? "bg-slate-200 font-medium text-slate-900" : "hover:underline",
            )}
          >
            {size}
          </Link>
        ))}
        {link(page - 1, "Previous", ChevronLeft, page > 1)}
        {link(page + 1, "Next", ChevronRight, page < pages)}
      </div>
    </nav>
  );
}

/** A column header that sorts the list by it: ascending first, then descending. */
export function SortHeader({ query, sort, label }: { query: GuestListQuery; sort: GuestSort; label: string }) {
  const current = (query.sort ?? "name") === sort;
  const dir = current ? (query.dir ?? "asc") : null;
  const next = dir === "asc" ? "desc" : "asc";
  const Icon = dir === "desc" ? ArrowDown : ArrowUp;
  return (
    <Link
      href={`/${guestListSearch(query, { sort, dir: next, page: undefined })}`}
      className="inline-flex items-center gap-1 hover:text-slate-900"
      aria-label={`Sort by ${label.toLowerCase()}${dir ? `, now ${dir === "asc" ? "ascending" : "descending"}` : ""}`}
    >
      {label}
      {dir && <Icon aria-hidden className="size-3" />}
    </Link>
  );
}
