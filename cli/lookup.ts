// Commands name things as people do — a guest, image or user by name (or id), a snapshot by
// name — and the API takes ids: these resolve one to the other, or fail with exit code 4.
import { guestApiPath } from "../lib/shared/api-client";
import type { FleetHostView, GuestView, ImageView, SnapshotView, UserView } from "../lib/shared/protocol";
import { notFound, type Api } from "./api";

export async function findGuest(api: Api, ref: string): Promise<GuestView> {
  const guests = await api.get<GuestView[]>("/api/guests");
  const guest = guests.find((g) => g.name === ref) ?? guests.find((g) => g.id === ref);
  if (!guest) throw notFound(`No guest named "${ref}". \`corral guests list\` shows the guests you can see.`);
  return guest;
}

export async function findImage(api: Api, ref: string): Promise<ImageView> {
  const images = await api.get<ImageView[]>("/api/images");
  const image = images.find((i) => i.name === ref) ?? images.find((i) => i.id === ref);
  if (!image) throw notFound(`No image named "${ref}". \`corral images list\` shows the images.`);
  return image;
}

export async function findHost(api: Api, ref: string): Promise<FleetHostView> {
  const hosts = await api.get<FleetHostView[]>("/api/hosts");
  const host = hosts.find((h) => h.name === ref) ?? hosts.find((h) => h.id === ref);
  if (!host) throw notFound(`No host named "${ref}". \`corral hosts fleet\` lists the fleet's hosts.`);
  return host;
}

export async function findUser(api: Api, ref: string): Promise<UserView> {
  const users = await api.get<UserView[]>("/api/users");
  const user = users.find((u) => u.username === ref) ?? users.find((u) => u.id === ref);
  if (!user) throw notFound(`No user named "${ref}". \`corral users list\` shows the accounts.`);
  return user;
}

export async function findSnapshot(api: Api, guest: GuestView, ref: string): Promise<SnapshotView> {
  const snapshots = await api.get<SnapshotView[]>(guestApiPath(guest.id, "snapshots"));
  const snapshot = snapshots.find((s) => s.name === ref) ?? snapshots.find((s) => s.id === ref);
  if (!snapshot)
    throw notFound(
      `Guest "${guest.name}" has no snapshot "${ref}". \`corral guests snapshots ${guest.name}\` lists them.`,
    );
  return snapshot;
}
