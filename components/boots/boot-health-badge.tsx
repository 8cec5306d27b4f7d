import clsx from "clsx";
import { AlertTriangle, TrendingUp } from "lucide-react";
import Link from "next/link";
import type { BootHealth } from "@/lib/shared/protocol";

interface BootHealthBadgeProps {
  health: BootHealth | null | undefined;
  /** The boot's page, when the badge should lead there. */
  href?: string;
}

/**
 * Marks a boot (a guest's last, in lists) that had failures or was worse than the guest's
 * recent boots; nothing for a healthy or not yet analysed boot. The comparison's sentence
 * is its tooltip and accessible name.
 */
export function BootHealthBadge({ health, href }: BootHealthBadgeProps) {
  if (!health || !(health.hasFailures || health.regressed)) return null;
  const failed = health.hasFailures;
  const label = failed ? "failures" : "regressed";
  const className = clsx(
    "inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset",
    failed ? "bg-rose-50 text-rose-800 ring-rose-300" : "bg-amber-50 text-amber-800 ring-amber-300",
  );
  const content = (
    <>
      {failed ? <AlertTriangle aria-hidden className="size-3" /> : <TrendingUp aria-hidden className="size-3" />}
      {label}
    </>
  );
  const title = `Boot ${failed ? "had failures" : "regressed"}: ${health.summary}`;
  return href ? (
    <Link href={href} prefetch={false} title={title} aria-label={title} data-boot-health={label} className={className}>
      {content}
    </Link>
  ) : (
    <span title={title} aria-label={title} role="img" data-boot-health={label} className={className}>
      {content}
    </span>
  );
}
