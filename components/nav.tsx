import { Gauge, HardDrive, Server } from "lucide-react";
import Link from "next/link";
import { ConnectionIndicator } from "./connection-indicator";
import { NavLink } from "./nav-link";

export function Nav() {
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
          <NavLink href="/" icon={<Server aria-hidden className="size-4" />}>
            Guests
          </NavLink>
        </li>
        <li>
          <NavLink href="/images" icon={<HardDrive aria-hidden className="size-4" />}>
            Images
          </NavLink>
        </li>
        <li>
          <NavLink href="/consolidation" icon={<Gauge aria-hidden className="size-4" />}>
            Consolidation
          </NavLink>
        </li>
      </ul>
      <div className="mt-auto px-2">
        <ConnectionIndicator />
      </div>
    </nav>
  );
}
