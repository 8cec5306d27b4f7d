import Link from "next/link";
import { nameOf, type SignedInUser } from "@/lib/shared/session-user";
import { RoleBadge } from "../people/role-badge";
import { SignOutButton } from "../people/sign-out-button";

/** Who is signed in, a way to their account, and out. */
export function NavUser({ user }: { user: SignedInUser }) {
  return (
    <section aria-label="Signed in" className="flex flex-col gap-2 border-t border-slate-200 pt-4 text-sm">
      <div className="min-w-0">
        <Link
          href="/account"
          className="block truncate font-medium text-slate-900 hover:underline"
          title={`Your account (${user.username})`}
        >
          {nameOf(user)}
        </Link>
        <p className="mt-1 flex items-center gap-1.5 text-xs text-slate-500">
          <span className="truncate">{user.username}</span>
          <RoleBadge role={user.role} />
        </p>
      </div>
      <SignOutButton />
    </section>
  );
}
