import { BookOpen, Gauge, HardDrive, Network, ScrollText, Server, Users } from "lucide-react";
import Link from "next/link";
import { can } from "@/lib/shared/permissions";
import type { SignedInUser } from "@/lib/shared/session-user";
import { ConnectionIndicator } from "./connection-indicator";
import { NavLink } from "./nav-link";
import { NavUser } from "./nav-user";

const icon = "size-4";

/** The sidebar: the sections this person's role may open, and who is signed in. */
export function Nav({ user }: { user: SignedInUser }) {
  return (
    <nav className="sticky top-0 flex h-screen w-52 shrink-0 flex-col border-r border-slate-200 bg-white px-3 py-5">
      <Link href="/" className="mb-6 flex items-center gap-2 px-2 text-lg font-semibold tracking-tight">
        <span aria-hidden className="grid size-7 place-items-center rounded-md bg-slate-900 text-sm text-white">
          C
        </span>
        Corral
      </Link>
      <ul className="space-y-0.5 text-sm">
        <li>
          <NavLink href="/" icon={<Server aria-hidden className={icon} />}>
            Guests
          </NavLink>
        </li>
        <li>
          <NavLink href="/images" icon={<HardDrive aria-hidden className={icon} />}>
            Images
          </NavLink>
        </li>
        <li>
          <NavLink href="/hosts" icon={<Network aria-hidden className={icon} />}>
            Hosts
          </NavLink>
        </li>
        {can(user, "metrics.read") && (
          <li>
            <NavLink href="/consolidation" icon={<Gauge aria-hidden className={icon} />}>
              Consolidation
            </NavLink>
          </li>
        )}
        {can(user, "users.manage") && (
          <li>
            <NavLink href="/users" icon={<Users aria-hidden className={icon} />}>
              Users
            </NavLink>
          </li>
        )}
        {can(user, "audit.read") && (
          <li>
            <NavLink href="/audit" icon={<ScrollText aria-hidden className={icon} />}>
              Audit
            </NavLink>
          </li>
        )}
        <li>
          <NavLink href="/api-reference" icon={<BookOpen aria-hidden className={icon} />}>
            API
          </NavLink>
        </li>
      </ul>
      <div className="mt-auto flex flex-col gap-4 px-2">
        <NavUser user={user} />
        <ConnectionIndicator />
      </div>
    </nav>
  );
}
