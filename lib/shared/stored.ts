// Strings the database stores for unions, read back as those unions — checked, once, where
// rows become views: a value no version of Corral writes is a corrupt database, said so,
// never an unchecked cast that lets it through to a page.
import { ROLES, type Role } from "./permissions";
import {
  BOOT_OUTCOMES,
  GUEST_KINDS,
  GUEST_NETWORKS,
  GUEST_STATES,
  type BootOutcome,
  type GuestKind,
  type GuestNetwork,
  type GuestState,
} from "./protocol";

function member<T extends string>(allowed: readonly T[], what: string) {
  return (value: string): T => {
    if ((allowed as readonly string[]).includes(value)) return value as T;
    throw new Error(`The database holds an unknown ${what} "${value.slice(0, 40)}".`);
  };
}

export const parseGuestState: (value: string) => GuestState = member(GUEST_STATES, "guest state");
export const parseGuestKind: (value: string) => GuestKind = member(GUEST_KINDS, "guest kind");
export const parseGuestNetwork: (value: string) => GuestNetwork = member(GUEST_NETWORKS, "guest network");
export const parseBootOutcome: (value: string) => BootOutcome = member(BOOT_OUTCOMES, "boot outcome");
export const parseForwardProtocol: (value: string) => "tcp" | "udp" = member(["tcp", "udp"], "forward protocol");
export const parseRole: (value: string) => Role = member(ROLES, "role");

/** A guest's extra kernel arguments, stored as a JSON array of strings. */
export function parseKernelArgs(value: string): string[] {
  const args: unknown = JSON.parse(value);
  if (!Array.isArray(args) || !args.every((a) => typeof a === "string")) {
    throw new Error("The database holds kernel arguments that are not a list of strings.");
  }
  return args;
}
