import { HardDrive } from "lucide-react";
import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { RelativeTime } from "@/components/ui/relative-time";
import { requireUser } from "@/lib/server/current-user";
import { formatBytes, plural, shortenHash } from "@/lib/shared/format";
import { can, imageDeletableBy } from "@/lib/shared/permissions";
import { listImages } from "@/lib/server/reads/images";
import { db } from "@/lib/server/web-db";
import { DataTable } from "@/components/ui/data-table";
import { ImageDeleteButton } from "@/components/images/image-delete-button";
import { ImageLibraryTools } from "@/components/images/image-library-tools";
import { ImageHostList } from "@/components/images/image-host-list";
import { ImageHostsLive } from "@/components/images/image-hosts-live";
import { listHosts } from "@/lib/server/reads/hosts";
import { imageSettings } from "@/lib/server/image-settings";
import Link from "next/link";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Images" };

const COLUMNS = ["Name", "Size", "SHA-256", "Hosts", "Guests", "Added"];

export default async function ImagesPage() {
  const user = await requireUser();
  const copying = can(user, "images.manage");
  const [images, hosts] = await Promise.all([
    listImages(db, user),
    copying ? listHosts(db).then((hs) => hs.map((h) => ({ id: h.id, name: h.name }))) : [],
  ]);
  const mayDelete = images.some((img) => !img.builtIn && imageDeletableBy(user, img));
  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-6">
      <PageHeader
        title="Images"
        description="Pristine root filesystems. Guests boot from a copy-on-write layer over an image and never change it."
      />
      <Card title="All images" aside={plural(images.length, "image")}>
        {images.length === 0 ? (
          <div className="flex flex-col items-center gap-2 px-6 py-12 text-center">
            <HardDrive aria-hidden className="size-8 text-slate-300" />
            <p className="text-sm text-slate-600">
              No images yet. The host daemon builds the built-in busybox image when it starts: start it, then reload.
            </p>
          </div>
        ) : (
          <DataTable
            columns={COLUMNS}
            trailing={mayDelete ? "Actions" : undefined}
            bodyClassName="divide-y divide-slate-100 text-slate-700"
          >
            {images.map((img) => (
              <tr key={img.id}>
                <td className="px-4 py-2.5 font-medium text-slate-900">
                  <span className="inline-flex items-center gap-2">
                    <Link href={`/images/${encodeURIComponent(img.id)}`} className="hover:underline">
                      {img.name}
                    </Link>
                    {img.builtIn && (
                      <span className="rounded-full bg-sky-50 px-2 py-0.5 text-xs font-medium text-sky-800 ring-1 ring-sky-300 ring-inset">
                        built-in
                      </span>
                    )}
                    {img.ownerName && (
                      <span
                        title="Committed from a guest: it counts against this developer's disk quota"
                        className="rounded-full bg-slate-50 px-2 py-0.5 text-xs font-medium text-slate-700 ring-1 ring-slate-300 ring-inset"
                      >
                        {img.ownerId === user.id ? "yours" : `by ${img.ownerName}`}
                      </span>
                    )}
                  </span>
                </td>
                <td className="px-4 py-2.5 tabular-nums">{formatBytes(img.sizeBytes)}</td>
                <td className="px-4 py-2.5">
                  <code title={img.sha256} className="font-mono text-xs text-slate-600">
                    {shortenHash(img.sha256)}
                  </code>
                </td>
                <td className="px-4 py-2.5">
                  {copying ? (
                    <ImageHostsLive
                      imageId={img.id}
                      imageName={img.name}
                      sizeBytes={img.sizeBytes}
                      copies={img.copies}
                      hosts={hosts}
                    />
                  ) : (
                    <ImageHostList copies={img.copies} sizeBytes={img.sizeBytes} />
                  )}
                </td>
                <td className="px-4 py-2.5 tabular-nums">{img.guestCount}</td>
                <td className="px-4 py-2.5 whitespace-nowrap">
                  <RelativeTime iso={img.createdAt} />
                </td>
                {mayDelete && (
                  <td className="px-4 py-2.5 text-right">
                    {!img.builtIn && imageDeletableBy(user, img) && (
                      <ImageDeleteButton id={img.id} name={img.name} inUse={img.inUse} />
                    )}
                  </td>
                )}
              </tr>
            ))}
          </DataTable>
        )}
      </Card>
      {copying && <ImageLibraryTools {...imageSettings()} />}
    </div>
  );
}
