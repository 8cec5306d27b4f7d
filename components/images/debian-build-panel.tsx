"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { useHost } from "@/lib/client/use-host";
import { useImageBuilds } from "@/lib/client/use-image-builds";
import { DebianBuildForm } from "./debian-build-form";
import { DebianBuildHistory } from "./debian-build-history";
import { DebianBuildStatus } from "./debian-build-status";
import { FormAlert } from "../ui/form-field";

/** Build a Debian image with debootstrap, and follow the build live. */
export function DebianBuildPanel() {
  const router = useRouter();
  const { build, tail, error, builds, show, select } = useImageBuilds();
  const unavailable = useHost().host?.debianBuildsUnavailable ?? null;
  const status = build?.status;
  // A finished build changed the image list this page shows.
  useEffect(() => {
    if (status === "succeeded") router.refresh();
  }, [status, router]);

  return (
    <div className="flex flex-col gap-4">
      <p className="text-xs text-slate-500">
        Runs <code className="font-mono">debootstrap</code> on the host (a minimal Debian with systemd, about a minute
        with a nearby mirror), configures it for UML — console login, <code className="font-mono">/dev/ubda</code> as
        root, Corral&apos;s seed for host name, network and root password — and registers it.
      </p>
      {unavailable && (
        <p role="note" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          {unavailable}
        </p>
      )}
      <DebianBuildForm busy={status === "running"} unavailable={Boolean(unavailable)} onStarted={show} />
      <FormAlert message={error} />
      {build && <DebianBuildStatus build={build} tail={tail} />}
      <DebianBuildHistory builds={builds} shownId={build?.id ?? null} onSelect={select} />
    </div>
  );
}
