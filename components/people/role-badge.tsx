import clsx from "clsx";
import type { Role } from "@/lib/shared/permissions";

const TONES: Record<Role, string> = {
  admin: "bg-violet-50 text-violet-800 ring-violet-300",
  developer: "bg-sky-50 text-sky-800 ring-sky-300",
  manager: "bg-amber-50 text-amber-900 ring-amber-300",
};

export function RoleBadge({ role }: { role: Role }) {
  return (
    <span
      data-testid="role-badge"
      className={clsx("rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset", TONES[role])}
    >
      {role}
    </span>
  );
}
