// `corral users …` (admins): accounts, roles, passwords and developers' quotas.
import type { Command } from "commander";
import { formatMiB } from "../../lib/shared/format";
import { createUserSchema, quotaSchema, updateUserSchema, type UserView } from "../../lib/shared/protocol";
import { act } from "../context";
import { findUser } from "../lookup";
import { print, renderFields, renderTable } from "../output";
import { readStdinLine } from "../prompt";
import { checked, wholeNumber } from "../values";

const used = (n: number, max: number | undefined, fmt: (v: number) => string = String) =>
  max === undefined ? fmt(n) : `${fmt(n)} / ${fmt(max)}`;

const renderUsers = (users: UserView[]) =>
  renderTable(users, [
    { header: "username", value: (u) => u.username },
    { header: "role", value: (u) => u.role },
    { header: "status", value: (u) => (u.disabled ? "disabled" : "active") },
    { header: "guests", value: (u) => used(u.usage.guests, u.quota?.maxGuests), right: true },
    { header: "memory", value: (u) => used(u.usage.memoryMiB, u.quota?.maxMemoryMiB, formatMiB), right: true },
    { header: "disk", value: (u) => used(u.usage.diskMiB, u.quota?.maxDiskMiB, formatMiB), right: true },
    { header: "name", value: (u) => u.displayName },
  ]);

const renderUser = (u: UserView) =>
  renderFields([
    ["username", u.username],
    ["id", u.id],
    ["role", u.role],
    ["status", u.disabled ? "disabled" : "active"],
    ["name", u.displayName],
    ["guests", used(u.usage.guests, u.quota?.maxGuests)],
    ["memory", used(u.usage.memoryMiB, u.quota?.maxMemoryMiB, formatMiB)],
    ["disk", used(u.usage.diskMiB, u.quota?.maxDiskMiB, formatMiB)],
  ]);

/** A quota limit: a number, or "default" for the site's default (null to the API). */
const limit = (text: string | undefined) =>
  text === undefined ? undefined : text === "default" ? null : wholeNumber(text);

interface QuotaOptions {
  maxGuests?: string;
  maxMemory?: string;
  maxDisk?: string;
}
const quotaOf = (o: QuotaOptions) =>
  checked(
    quotaSchema,
    { maxGuests: limit(o.maxGuests), maxMemoryMiB: limit(o.maxMemory), maxDiskMiB: limit(o.maxDisk) },
    "quota",
  );

function quotaOptions(cmd: Command): Command {
  return cmd
    .option("--max-guests <n>", 'most guests a developer may have ("default": the site\'s)')
    .option("--max-memory <MiB>", "most memory across their guests")
    .option("--max-disk <MiB>", "most disk for their guests' changes, snapshots and images");
}

export function addUserCommands(program: Command): void {
  const users = program.command("users").alias("user").description("accounts and quotas (admins)");

  users
    .command("list")
    .alias("ls")
    .description("list accounts with their usage and quotas")
    .action(act(async ({ api, json }) => print(json, await api.get<UserView[]>("/api/users"), renderUsers)));

  users
    .command("show <user>")
    .description("show one account")
    .action(act<[string]>(async ({ api, json }, [ref]) => print(json, await findUser(api, ref), renderUser)));

  quotaOptions(
    users
      .command("create <username>")
      .description("create an account; without --password-stdin a password is generated and printed once")
      .requiredOption("-r, --role <role>", "admin, developer or manager")
      .option("--display-name <name>", "the name shown for them")
      .option("--password-stdin", "read the password from stdin"),
  ).action(
    act<[string], QuotaOptions & { role: string; displayName?: string; passwordStdin?: boolean }>(
      async ({ api, json }, [username], o) => {
        const quota = quotaOf(o);
        const body = checked(
          createUserSchema,
          {
            username,
            role: o.role,
            displayName: o.displayName,
            password: o.passwordStdin ? await readStdinLine() : undefined,
            quota: Object.values(quota).some((v) => v !== undefined) ? quota : undefined,
          },
          "account",
        );
        const created = await api.post<{ user: UserView; password?: string }>("/api/users", body);
        print(json, created, (c) => renderUser(c.user) + (c.password ? `password: ${c.password} (shown once)\n` : ""));
      },
    ),
  );

  users
    .command("edit <user>")
    .description("change an account's role, name, or whether it may sign in")
    .option("-r, --role <role>", "admin, developer or manager")
    .option("--display-name <name>", "the name shown for them")
    .option("--disable", "stop them signing in; their sessions and tokens end at once")
    .option("--enable", "let them sign in again")
    .action(
      act<[string], { role?: string; displayName?: string; disable?: boolean; enable?: boolean }>(
        async ({ api, json }, [ref], o) => {
          const user = await findUser(api, ref);
          const disabled = o.disable ? true : o.enable ? false : undefined;
          const body = checked(updateUserSchema, { role: o.role, displayName: o.displayName, disabled }, "change");
          print(json, await api.patch<UserView>(`/api/users/${encodeURIComponent(user.id)}`, body), renderUser);
        },
      ),
    );

  quotaOptions(users.command("quota <user>").description('set a developer\'s limits ("default" resets one)')).action(
    act<[string], QuotaOptions>(async ({ api, json }, [ref], o) => {
      const user = await findUser(api, ref);
      const body = checked(updateUserSchema, { quota: quotaOf(o) }, "quota");
      print(json, await api.patch<UserView>(`/api/users/${encodeURIComponent(user.id)}`, body), renderUser);
    }),
  );

  users
    .command("reset-password <user>")
    .description("set a new password (generated and printed once unless --password-stdin); signs them out")
    .option("--password-stdin", "read the new password from stdin")
    .action(
      act<[string], { passwordStdin?: boolean }>(async ({ api, json }, [ref], o) => {
        const user = await findUser(api, ref);
        const password = o.passwordStdin ? await readStdinLine() : undefined;
        const result = await api.post<{ password?: string }>(`/api/users/${encodeURIComponent(user.id)}/password`, {
          password,
        });
        print(json, { username: user.username, ...result }, (r) =>
          r.password
            ? `New password for ${r.username}: ${r.password} (shown once)\n`
            : `Password of ${r.username} set.\n`,
        );
      }),
    );
}
