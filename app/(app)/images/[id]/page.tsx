import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Card } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { LabelledValue } from "@/components/ui/labelled-value";
import { ImageDeleteButton } from "@/components/images/image-delete-button";
import { PageHeader } from "@/components/ui/page-header";
import { RelativeTime } from "@/components/ui/relative-time";
import { StateBadge } from "@/components/guests/state-badge";
import { requireUser } from "@/lib/server/current-user";
import { formatBytes, plural } from "@/lib/shared/format";
import { can } from "@/lib/shared/permissions";
import { findImageDetail } from "@/lib/server/reads/images";
import { db } from "@/lib/server/web-db";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const image = await findImageDetail(db, await requireUser(), (await params).id);
  return { title: image ? `Image ${image.name}` : "Image not found" };
}

export default async function ImagePage({ params }: Props) {
  const user = await requireUser();
  const image = await findImageDetail(db, user, (await params).id);
  if (!image) notFound();
  const snapshots = image.guests.reduce((n, g) => n + g.snapshots.length, 0);
  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-6">
      <PageHeader
        eyebrow={
          <nav aria-label="Breadcrumb">
            <Link href="/images" className="hover:text-slate-900 hover:underline">
              Images
            </Link>{" "}
            / <span className="text-slate-700">{image.name}</span>
          </nav>
        }
        title={image.name}
        description={image.builtIn ? "The built-in image: Corral builds it when the host daemon starts." : undefined}
        actions={
          image.deletable && (
            <ImageDeleteButton id={image.id} name={image.name} inUse={image.inUse} redirectTo="/images" />
          )
        }
      />
      <Card title="Image">
        <dl className="grid grid-cols-2 gap-4 p-4 text-sm sm:grid-cols-4">
          <LabelledValue label="Size">{formatBytes(image.sizeBytes)}</LabelledValue>
          <LabelledValue label="Added">
            <RelativeTime iso={image.createdAt} />
          </LabelledValue>
          <LabelledValue label="Owner">
            {image.builtIn
              ? "built-in"
              : (image.ownerName ?? <span className="text-slate-400">none (added by an admin)</span>)}
          </LabelledValue>
          <LabelledValue label="Used by">{plural(image.guests.length, "guest")}</LabelledValue>
          <div className="col-span-2 sm:col-span-4">
            <dt className="text-xs text-slate-500">SHA-256</dt>
            <dd className="mt-0.5 flex flex-wrap items-center gap-2">
              <code data-testid="image-sha256" className="font-mono text-xs break-all text-slate-800">
                {image.sha256}
              </code>
              <CopyButton text={image.sha256} label="Copy SHA-256" />
            </dd>
          </div>
          {can(user, "images.manage") && (
            <div className="col-span-2 sm:col-span-4">
              <dt className="text-xs text-slate-500">Files on the hosts</dt>
              {image.files.length === 0 && <dd className="mt-0.5 text-xs text-slate-600">On no host.</dd>}
              {image.files.map((f) => (
                <dd key={f.hostName} className="mt-0.5 font-mono text-xs break-all text-slate-600">
                  {f.hostName}: {f.path}
                </dd>
              ))}
            </div>
          )}
        </dl>
      </Card>
      <Card
        title="Guests on this image"
        aside={`${plural(image.guests.length, "guest")}, ${plural(snapshots, "snapshot")}`}
      >
        {image.guests.length === 0 ? (
          <p className="px-4 py-6 text-sm text-slate-600">
            {image.inUse
              ? "None of your guests uses this image."
              : `No guest uses this image${image.builtIn ? "." : ", so it can be deleted."}`}
          </p>
        ) : (
          <ul className="divide-y divide-slate-100 text-sm">
            {image.guests.map((g) => (
              <li key={g.id} className="flex flex-wrap items-center gap-3 px-4 py-2.5">
                <Link
                  href={`/guests/${encodeURIComponent(g.id)}`}
                  className="font-medium text-slate-900 hover:underline"
                >
                  {g.name}
                </Link>
                <StateBadge state={g.state} />
                <span className="text-xs text-slate-500">
                  {g.snapshots.length === 0
                    ? "no snapshots"
                    : `snapshots: ${g.snapshots.map((s) => `${s.name} (${formatBytes(s.sizeBytes)})`).join(", ")}`}
                </span>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
