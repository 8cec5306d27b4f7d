"use client";

import { Ban, CircleCheck, Gauge, KeyRound } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiPatch, apiPost, type ApiResult } from "@/lib/shared/api-client";
import { ROLES, type Role } from "@/lib/shared/permissions";
import type { UserView } from "@/lib/shared/protocol";
import { Button } from "../ui/button";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { inputClasses } from "../ui/form-field";
import { QuotaDialog, type QuotaOverrides } from "./quota-dialog";
import { QuotaUsage } from "./quota-usage";
import { RelativeTime } from "../ui/relative-time";
import { ResetPasswordDialog } from "./reset-password-dialog";

type Dialog = "quota" | "reset" | "disable" | null;

interface UserRowProps {
  user: UserView;
  overrides: QuotaOverrides;
  /** The signed-in admin's own row: they cannot lock themselves out from here. */
  self: boolean;
  onPassword: (username: string, password: string) => void;
}

/** One account: its role, status and usage, and what an admin can change about it. */
export function UserRow({ user, overrides, self, onPassword }: UserRowProps) {
  const router = useRouter();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [dialogError, setDialogError] = useState<string | null>(null);
  const path = `/api/users/${encodeURIComponent(user.id)}`;

  /** Sends one change; a refusal shows in the open dialog, or under the row's buttons. */
  async function change<T>(send: () => Promise<ApiResult<T>>, after?: (data: T) => void) {
    setPending(true);
    setError(null);
    setDialogError(null);
    const r = await send();
    setPending(false);
    if (!r.ok) {
      if (dialog) setDialogError(r.message);
      else setError(r.message);
      return;
    }
    setDialog(null);
    after?.(r.data);
    router.refresh();
  }

  function open(d: Dialog) {
    setDialogError(null);
    setDialog(d);
  }

  return (
    <tr className="align-middle">
      <td className="px-4 py-2.5">
        <div className="font-medium text-slate-900">{user.username}</div>
        {user.displayName && <div className="text-xs text-slate-500">{user.displayName}</div>}
      </td>
      <td className="px-4 py-2.5">
        <select
          aria-label={`Role of ${user.username}`}
          value={user.role}
          disabled={pending || self}
          title={self ? "Another admin must change your role" : undefined}
          onChange={(e) => void change(() => apiPatch(path, { role: e.target.value as Role }))}
          className={`${inputClasses(false)} h-8`}
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </td>
      <td className="px-4 py-2.5">
        {user.disabled ? (
          <span className="rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-600">disabled</span>
        ) : (
          <span className="rounded-full bg-emerald-50 px-2 py-0.5 text-xs font-medium text-emerald-800">active</span>
        )}
      </td>
      <td className="px-4 py-2.5">
        {user.quota ? (
          <QuotaUsage quota={user.quota} usage={user.usage} compact />
        ) : (
          <span className="text-xs text-slate-500">
            {user.usage.guests > 0 ? `${user.usage.guests} guests, no quota` : "no quota"}
          </span>
        )}
      </td>
      <td className="px-4 py-2.5 whitespace-nowrap text-slate-600">
        <RelativeTime iso={user.createdAt} />
      </td>
      <td className="px-4 py-2">
        <div className="flex flex-col items-end gap-1.5">
          <div className="flex flex-wrap justify-end gap-1" role="group" aria-label={`Actions for ${user.username}`}>
            {user.role === "developer" && (
              <Button size="sm" variant="ghost" disabled={pending} onClick={() => open("quota")}>
                <Gauge aria-hidden className="size-3.5" />
                Quota
              </Button>
            )}
            <Button size="sm" variant="ghost" disabled={pending} onClick={() => open("reset")}>
              <KeyRound aria-hidden className="size-3.5" />
              Reset password
            </Button>
            {user.disabled ? (
              <Button
                size="sm"
                variant="ghost"
                disabled={pending}
                onClick={() => void change(() => apiPatch(path, { disabled: false }))}
              >
                <CircleCheck aria-hidden className="size-3.5" />
                Enable
              </Button>
            ) : (
              <Button
                size="sm"
                variant="ghost"
                className="enabled:hover:text-rose-700"
                disabled={pending || self}
                title={self ? "Another admin must disable your account" : undefined}
                onClick={() => open("disable")}
              >
                <Ban aria-hidden className="size-3.5" />
                Disable
              </Button>
            )}
          </div>
          {error && (
            <p role="alert" className="max-w-sm text-right text-xs text-rose-700">
              {error}
            </p>
          )}
        </div>
        {dialog === "quota" && (
          <QuotaDialog
            username={user.username}
            overrides={overrides}
            inForce={user.quota}
            error={dialogError}
            onCancel={() => setDialog(null)}
            onSave={(quota) => void change(() => apiPatch(path, { quota }))}
          />
        )}
        {dialog === "reset" && (
          <ResetPasswordDialog
            username={user.username}
            error={dialogError}
            onCancel={() => setDialog(null)}
            onReset={(password) =>
              void change(
                () => apiPost<{ password?: string }>(`${path}/password`, password ? { password } : {}),
                (d) => d.password && onPassword(user.username, d.password),
              )
            }
          />
        )}
        {dialog === "disable" && (
          <ConfirmDialog
            title={`Disable ${user.username}?`}
            confirmLabel="Disable user"
            tone="danger"
            onCancel={() => setDialog(null)}
            onConfirm={() => void change(() => apiPatch(path, { disabled: true }))}
          >
            They are signed out and cannot sign in until an admin enables them again.
            {dialogError && (
              <span role="alert" className="mt-3 block text-rose-700">
                {dialogError}
              </span>
            )}
          </ConfirmDialog>
        )}
      </td>
    </tr>
  );
}
