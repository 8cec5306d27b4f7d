// The image library: image names and views, import, upload, commit, and Debian builds.
import { z } from "zod";
import type { GuestState, SnapshotView } from "./guests";
import { wholeMiB } from "./units";

export const imageNameSchema = z
  .string()
  .regex(
    /^[a-z][a-z0-9._-]{0,62}$/,
    "Use 1–63 characters: lower-case letters, digits, '.', '_' and '-', starting with a letter.",
  );

export const commitGuestSchema = z.strictObject({ imageName: imageNameSchema });

export interface ImageView {
  id: string;
  name: string;
  sizeBytes: number;
  sha256: string;
  builtIn: boolean;
  createdAt: string;
  guestCount: number;
  /** The developer who committed it (it counts against their disk quota); null otherwise. */
  ownerId: string | null;
  ownerName: string | null;
  /** The hosts with its file ("ready") or getting it ("copying", `copiedBytes` of `sizeBytes` so far), by host name. */
  copies: ImageCopyView[];
}

export const IMAGE_COPY_STATES = ["ready", "copying"] as const;
export type ImageCopyState = (typeof IMAGE_COPY_STATES)[number];

export interface ImageCopyView {
  hostId: string;
  hostName: string;
  state: ImageCopyState;
  copiedBytes: number;
}

/** POST /api/images/:id/copies: the host to copy the image to (its daemon fetches it from a host that has it). */
export const imageCopyRequestSchema = z.strictObject({
  hostId: z.string().regex(/^[a-z0-9]{1,40}$/, "Not a host id: choose one from the Hosts page."),
});

/** A copy of an image to a host, as it goes: "copying" with the bytes so far, then "ready" or "failed" (with why). */
export interface ImageCopyEvent {
  imageId: string;
  imageName: string;
  hostId: string;
  hostName: string;
  state: ImageCopyState | "failed";
  copiedBytes: number;
  sizeBytes: number;
  error: string | null;
}

/** An image and what uses it: the detail page's content. */
export interface ImageDetailView extends ImageView {
  guests: Array<{ id: string; name: string; state: GuestState; snapshots: SnapshotView[] }>;
}

// --- the image library: import and build ---------------------------------------------------

/** A path relative to the import directory: no absolute paths, no `..`, no empty segments. */
export const importPathSchema = z
  .string()
  .min(1, "Name a file in the import directory.")
  .max(1024)
  .refine((p) => !p.startsWith("/"), "Give a path relative to the import directory, not an absolute one.")
  .refine(
    (p) => p.split("/").every((seg) => seg !== ".." && seg !== "." && seg !== ""),
    "The path may not contain '..', '.' or empty segments.",
  )
  .refine((p) => !p.includes("\0"), "The path may not contain a NUL byte.");
export const importImageSchema = z.strictObject({ name: imageNameSchema, path: importPathSchema });
export const uploadImageQuerySchema = z.strictObject({
  name: imageNameSchema,
  /** The file's size in bytes, announced up front so an oversize upload is refused before it starts. */
  size: z.coerce.number().int().min(1, "The file is empty.").optional(),
});

export const DEBIAN_SUITES = ["bookworm", "trixie"] as const;
export const DEBIAN_SIZE_MIB_MIN = 512;
export const DEBIAN_SIZE_MIB_MAX = 65536;
/** Debian package names (Policy §5.6.1), optionally with an architecture qualifier. */
export const debianPackageSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9+.-]{1,62}(:[a-z0-9-]{1,16})?$/, "Not a Debian package name.");
export const debianBuildSchema = z.strictObject({
  name: imageNameSchema,
  suite: z.enum(DEBIAN_SUITES, { error: `Choose a suite: ${DEBIAN_SUITES.join(", ")}.` }),
  sizeMiB: wholeMiB("Size", DEBIAN_SIZE_MIB_MIN, DEBIAN_SIZE_MIB_MAX),
  packages: z
    .array(debianPackageSchema)
    .max(64, "At most 64 extra packages.")
    .refine((p) => new Set(p).size === p.length, "Each package may appear once.")
    .default([]),
});
export type DebianBuildInput = z.input<typeof debianBuildSchema>;

/** The stages of a Debian build, in order, as the page shows them. */
export const IMAGE_BUILD_STAGES = ["download", "extract", "configure", "filesystem"] as const;
export type ImageBuildStage = (typeof IMAGE_BUILD_STAGES)[number];
export const IMAGE_BUILD_STATUSES = ["running", "succeeded", "failed", "cancelled"] as const;
export type ImageBuildStatus = (typeof IMAGE_BUILD_STATUSES)[number];
export const imageBuildIdSchema = z.string().regex(/^[a-z0-9-]{1,64}$/, "Not a build id.");

export interface ImageBuildView {
  id: string;
  name: string;
  suite: string;
  sizeMiB: number;
  packages: string[];
  status: ImageBuildStatus;
  stage: ImageBuildStage | null;
  /** Within the stage, when it can be told; null while it cannot. */
  percent: number | null;
  startedAt: string;
  endedAt: string | null;
  error: string | null;
  /** The registered image, once the build succeeded. */
  imageId: string | null;
}

/** One line of a build's log, with where the build is now; `build` when its status changed. */
export interface ImageBuildEvent {
  buildId: string;
  stage: ImageBuildStage | null;
  percent: number | null;
  line: string | null;
  build?: ImageBuildView;
}
