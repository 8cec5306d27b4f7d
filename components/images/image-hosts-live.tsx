"use client";

import { Copy } from "lucide-react";
import { useState } from "react";
import { useRoom } from "@/lib/client/use-room";
import { apiPost } from "@/lib/shared/api-client";
import { applyCopyEvent, hostsLackingImage } from "@/lib/shared/image-copies";
import type { ImageCopyView } from "@/lib/shared/protocol";
import { Button } from "../ui/button";
import { HostPickDialog } from "../ui/host-pick-dialog";
import { ImageHostList } from "./image-host-list";

interface Props {
  imageId: string;
  imageName: string;
  sizeBytes: number;
  copies: ImageCopyView[];
  /** Every host of the fleet, by name. */
  hosts: Array<{ id: string; name: string }>;
}

/** For admins: the image's hosts kept current by copy events, and "Copy to host…". */
export function ImageHostsLive({ imageId, imageName, sizeBytes, copies: initial, hosts }: Props) {
  const [copies, setCopies] = useState(initial);
  // A fresh read (router.refresh) replaces what events built up.
  const [shown, setShown] = useState(initial);
  if (shown !== initial) {
    setShown(initial);
    setCopies(initial);
  }
  const [choosing, setChoosing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const lacking = hostsLackingImage(hosts, copies);
  useRoom({
    join: "images:watch",
    on: {
      "image:copy": (e) => {
        if (e.imageId !== imageId) return;
        setCopies((cs) => applyCopyEvent(cs, e));
        setError(e.state === "failed" ? e.error : null);
      },
    },
  });
  return (
    <div className="flex flex-col gap-1.5">
      <ImageHostList copies={copies} sizeBytes={sizeBytes} />
      {error && (
        <p role="alert" className="text-xs text-rose-700">
          {error}
        </p>
      )}
      {lacking.length > 0 && (
        <Button
          size="sm"
          variant="ghost"
          className="self-start"
          onClick={() => setChoosing(true)}
        >
          <Copy className="size-3.5" aria-hidden /> Copy to host…
        </Button>
      )}
      {choosing && (
        <HostPickDialog
          title={`Copy the image ${imageName} to a host`}
          confirmLabel="Copy image"
          description="That host's daemon fetches the file from a host that has it and checks its SHA-256."
          hosts={lacking}
          initialHostId={lacking[0].id}
          onCancel={() => setChoosing(false)}
          onConfirm={async (hostId) => {
            setChoosing(false);
            const r = await apiPost(`/api/images/${encodeURIComponent(imageId)}/copies`, { hostId });
            setError(r.ok ? null : r.message);
          }}
        />
      )}
    </div>
  );
}
