"use client";

import { useState } from "react";
import { plural } from "@/lib/shared/format";
import type { UserView } from "@/lib/shared/protocol";
import { Card } from "../ui/card";
import { CreateUserForm } from "./create-user-form";
import { DataTable } from "../ui/data-table";
import { OneTimePassword } from "./one-time-password";
import type { QuotaOverrides } from "./quota-dialog";
import { UserRow } from "./user-row";

const COLUMNS = ["User", "Role", "Status", "Usage of quota", "Created"];

/**
 * The Users page's working part. A generated password (new user, reset) shows in one place
 * above the table until dismissed, and is never kept anywhere else.
 */
export function UsersAdmin({
  users,
  overrides,
  selfId,
}: {
  users: UserView[];
  overrides: Record<string, QuotaOverrides>;
  selfId: string;
}) {
  const [revealed, setRevealed] = useState<{ username: string; password: string } | null>(null);
  const reveal = (username: string, password: string) => setRevealed({ username, password });
  return (
    <>
      <Card title="New user">
        <CreateUserForm onPassword={reveal} />
      </Card>
      {revealed && <OneTimePassword {...revealed} onDismiss={() => setRevealed(null)} />}
      <Card title="All users" aside={plural(users.length, "user")}>
        <DataTable columns={COLUMNS} trailing="Actions">
          {users.map((u) => (
            <UserRow
              key={u.id}
              user={u}
              overrides={overrides[u.id] ?? { maxGuests: null, maxMemoryMiB: null, maxDiskMiB: null }}
              self={u.id === selfId}
              onPassword={reveal}
            />
          ))}
        </DataTable>
      </Card>
    </>
  );
}
