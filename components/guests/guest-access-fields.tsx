"use client";

import { Plus, X } from "lucide-react";
import { useId } from "react";
import type { GuestNetwork } from "@/lib/shared/protocol";
import { Button } from "../ui/button";
import { FormField, inputClasses } from "../ui/form-field";

export interface ForwardDraft {
  protocol: "tcp" | "udp";
  hostPort: string;
  guestPort: string;
}

export interface AccessDraft {
  network: GuestNetwork;
  forwards: ForwardDraft[];
  rootPassword: string;
  authorizedKeys: string;
}

export const EMPTY_ACCESS: AccessDraft = { network: "user", forwards: [], rootPassword: "", authorizedKeys: "" };

/** The draft as the API takes it (empty optional fields left out). */
export function accessInput(a: AccessDraft) {
  return {
    network: a.network,
    forwards:
      a.network === "user"
        ? a.forwards.map((f) => ({
            protocol: f.protocol,
            hostPort: Number(f.hostPort),
            guestPort: Number(f.guestPort),
          }))
        : [],
    ...(a.rootPassword ? { rootPassword: a.rootPassword } : {}),
    ...(a.authorizedKeys.trim() ? { authorizedKeys: a.authorizedKeys.trim() } : {}),
  };
}

type Errors = Partial<Record<"network" | "forwards" | "rootPassword" | "authorizedKeys", string | null>>;

/** Network, port forwards and first-boot credentials of a new guest. */
export function GuestAccessFields({
  value,
  onChange,
  errors,
  disabled,
  credentials = true,
  open = false,
  bridge = null,
}: {
  value: AccessDraft;
  onChange: (next: AccessDraft) => void;
  errors: Errors;
  disabled: boolean;
  /** First-boot credentials can only be given at creation. */
  credentials?: boolean;
  open?: boolean;
  /** The host's bridge, when enabled (the daemon refuses bridge mode otherwise). */
  bridge?: { name: string; cidr: string } | null;
}) {
  const id = useId();
  const set = (patch: Partial<AccessDraft>) => onChange({ ...value, ...patch });
  const setForward = (i: number, patch: Partial<ForwardDraft>) =>
    set({ forwards: value.forwards.map((f, j) => (j === i ? { ...f, ...patch } : f)) });
  return (
    <details open={open} className="rounded-md border border-slate-200 px-3 py-2">
      <summary className="cursor-pointer text-xs font-medium text-slate-700">Network and access</summary>
      <div className="mt-3 flex flex-col gap-3">
        <FormField
          label="Network"
          htmlFor={`${id}-net`}
          error={errors.network}
          className="w-72"
          hint={
            value.network === "bridge"
              ? `bridge: joins ${bridge?.name ?? "the host bridge"} with its own address from DHCP; guests see each other`
              : "user: its own private network with a NAT gateway to the host (10.0.2.2)"
          }
        >
          <select
            id={`${id}-net`}
            value={value.network}
            disabled={disabled}
            onChange={(e) => set({ network: e.target.value as GuestNetwork })}
            className={inputClasses(Boolean(errors.network))}
          >
            <option value="user">user (private, NAT)</option>
            {(bridge || value.network === "bridge") && (
              <option value="bridge">bridge ({bridge?.name ?? "not enabled on this host"})</option>
            )}
            <option value="none">none</option>
          </select>
        </FormField>
        {value.network === "user" && (
          <fieldset className="flex flex-col gap-2">
            <legend className="text-xs font-medium text-slate-700">Port forwards (host 127.0.0.1 → guest)</legend>
            {value.forwards.map((f, i) => (
              <div key={i} className="flex items-center gap-2">
                <input
                  aria-label={`Host port ${i + 1}`}
                  inputMode="numeric"
                  placeholder="8080"
                  value={f.hostPort}
                  disabled={disabled}
                  onChange={(e) => setForward(i, { hostPort: e.target.value })}
                  className={`${inputClasses(false)} w-24`}
                />
                <span aria-hidden>→</span>
                <input
                  aria-label={`Guest port ${i + 1}`}
                  inputMode="numeric"
                  placeholder="80"
                  value={f.guestPort}
                  disabled={disabled}
                  onChange={(e) => setForward(i, { guestPort: e.target.value })}
                  className={`${inputClasses(false)} w-24`}
                />
                <select
                  aria-label={`Protocol ${i + 1}`}
                  value={f.protocol}
                  disabled={disabled}
                  onChange={(e) => setForward(i, { protocol: e.target.value as "tcp" | "udp" })}
                  className={`${inputClasses(false)} w-20`}
                >
                  <option value="tcp">tcp</option>
                  <option value="udp">udp</option>
                </select>
                <Button
                  size="sm"
                  variant="ghost"
                  aria-label={`Remove forward ${i + 1}`}
                  disabled={disabled}
                  onClick={() => set({ forwards: value.forwards.filter((_, j) => j !== i) })}
                >
                  <X aria-hidden className="size-3.5" />
                </Button>
              </div>
            ))}
            {errors.forwards && <p className="text-xs text-rose-700">{errors.forwards}</p>}
            <div>
              <Button
                size="sm"
                disabled={disabled}
                onClick={() => set({ forwards: [...value.forwards, { protocol: "tcp", hostPort: "", guestPort: "" }] })}
              >
                <Plus aria-hidden className="size-3.5" /> Add port forward
              </Button>
            </div>
          </fieldset>
        )}
        {credentials && (
          <div className="flex flex-wrap gap-4">
            <FormField
              label="Root password (first boot)"
              htmlFor={`${id}-pw`}
              error={errors.rootPassword}
              className="w-64"
              hint="Stored only as a hash; for images with a login"
            >
              <input
                id={`${id}-pw`}
                type="password"
                autoComplete="new-password"
                value={value.rootPassword}
                disabled={disabled}
                onChange={(e) => set({ rootPassword: e.target.value })}
                className={inputClasses(Boolean(errors.rootPassword))}
              />
            </FormField>
            <FormField
              label="SSH keys for root (first boot)"
              htmlFor={`${id}-keys`}
              error={errors.authorizedKeys}
              className="min-w-72 flex-1"
            >
              <textarea
                id={`${id}-keys`}
                rows={2}
                spellCheck={false}
                placeholder="ssh-ed25519 AAAA… you@laptop"
                value={value.authorizedKeys}
                disabled={disabled}
                onChange={(e) => set({ authorizedKeys: e.target.value })}
                className={`${inputClasses(Boolean(errors.authorizedKeys))} h-auto py-1.5 font-mono text-xs`}
              />
            </FormField>
          </div>
        )}
      </div>
    </details>
  );
}
