"use client";

import { OneTimeSecret } from "../ui/one-time-secret";

/** A password Corral generated for someone, shown once for the admin to hand over. */
export function OneTimePassword({
  username,
  password,
  onDismiss,
}: {
  username: string;
  password: string;
  onDismiss: () => void;
}) {
  return (
    <OneTimeSecret
      label={`New password for ${username}`}
      secret={password}
      copyLabel="Copy password"
      testId="one-time-password"
      onDismiss={onDismiss}
    >
      New password for <strong>{username}</strong>. It is shown only now: copy it and give it to them.
    </OneTimeSecret>
  );
}
