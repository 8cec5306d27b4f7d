// The Debian bookworm fixtures: guests on an image built by `npm run image:debian`, booted
// through the daemon with a root password, driven from their consoles. Each boot is saved
// as soon as it has ended, so a failure later keeps what was already recorded.
import type { GuestView } from "../../../lib/shared/protocol";
import { RecorderConsole, startBoot, stopGuest, waitForBoot } from "./record-console";
import type { RecorderContext } from "./record-scenarios";

const ROOT_PASSWORD = "corral-fixture-pw";

const BROKEN_UNIT = [
  "[Unit]",
  "Description=Nightly report upload",
  "[Service]",
  "Type=oneshot",
  "ExecStart=/bin/false",
  "[Install]",
  "WantedBy=multi-user.target",
].join("\\n");

async function createDebianGuest(ctx: RecorderContext, name: string, kernelArgs: string[] = []): Promise<GuestView> {
  if (!ctx.debianImageId) throw new Error("the Debian scenarios need --debian-image or a build");
  return ctx.daemon.createGuest(name, {
    imageId: ctx.debianImageId,
    memoryMiB: 256,
    rootPassword: ROOT_PASSWORD,
    kernelArgs,
  });
}

/** Boots 1–4 of one guest: first boot (seed applied), normal, a failing unit, after a power cut. */
export async function recordDebian(ctx: RecorderContext): Promise<void> {
  const { daemon } = ctx;
  const guest = await createDebianGuest(ctx, "deb");
  const login = /deb login: /;
  let con = await startBoot(daemon, guest, 1);
  await con.expect(login);
  await con.login("deb", ROOT_PASSWORD);
  ctx.say("deb: boot 1 up; rebooting for a normal boot");
  await con.run("reboot", login);
  await ctx.save("debian-first", guest, 1);
  await con.login("deb", ROOT_PASSWORD);
  ctx.say("deb: boot 2 up; injecting a failing unit");
  await con.run(`printf '${BROKEN_UNIT}\\n' > /etc/systemd/system/report-upload.service`, /# $/);
  await con.run("systemctl enable report-upload.service && reboot", login);
  await ctx.save("debian", guest, 2);
  await con.login("deb", ROOT_PASSWORD);
  ctx.say("deb: boot 3 up; writing, then cutting the power");
  await con.run("systemctl disable report-upload.service", /# $/);
  // An open file already deleted is an orphan inode; sync puts it in the journal.
  await con.run(
    "exec 3>/root/orphan; head -c 4194304 /dev/urandom >&3; rm /root/orphan; " +
      "head -c 8388608 /dev/urandom >/root/data; sync; echo WROTE-$((6*7))",
    /WROTE-42/,
  );
  await stopGuest(daemon, guest, "force-off");
  await ctx.save("debian-failed-unit", guest, 3);
  con = await startBoot(daemon, guest, 4);
  await con.expect(login);
  await stopGuest(daemon, guest);
  await ctx.save("debian-power-loss", guest, 4);
}

/**
 * A boot whose e2fsck repairs the root filesystem: a link count made wrong and the
 * filesystem marked as having errors, then the power cut; systemd-fsck runs e2fsck, which
 * fixes it (and, root having been mounted, systemd reboots).
 */
export async function recordFsck(ctx: RecorderContext): Promise<void> {
  const { daemon } = ctx;
  const guest = await createDebianGuest(ctx, "deb-fsck");
  const login = /deb-fsck login: /;
  const con = await startBoot(daemon, guest, 1);
  await con.expect(login);
  await con.login("deb-fsck", ROOT_PASSWORD);
  // e2fsck's own words reach the journal only, unless the service also prints to the
  // console (as fsck in an initramfs does): a guest admin's drop-in.
  await con.run(
    "mkdir -p /etc/systemd/system/systemd-fsck-root.service.d && " +
      "printf '[Service]\\nStandardOutput=journal+console\\n' >/etc/systemd/system/systemd-fsck-root.service.d/console.conf",
    /# $/,
  );
  // Frozen, the filesystem's journal is flushed and the superblock clean: what debugfs writes
  // to the device stays as written when the power goes. (tune2fs hangs on a frozen root.)
  await con.run(
    "echo victim >/root/victim; sync; fsfreeze -f / && " +
      "printf 'sif /root/victim links_count 3\\nssv state 3\\n' | debugfs -w -f - /dev/ubda && echo FROZEN-$((6*7))",
    /FROZEN-42/,
  );
  await stopGuest(daemon, guest, "force-off");
  const next = await startBoot(daemon, guest, 2);
  await next.expect(login);
  const last = (await waitForBoot(daemon, guest.id, 2)).lastBoot!.number;
  await stopGuest(daemon, guest);
  await ctx.save("debian-fsck", guest, 2);
  if (last > 2) ctx.say(`deb-fsck: the repair rebooted boot 2; boot ${last} reached the login`);
}

/** A Debian guest booted with printk.time=1: kernel lines carry their own timestamps. */
export async function recordPrintkTime(ctx: RecorderContext): Promise<void> {
  const guest = await createDebianGuest(ctx, "deb-printk", ["printk.time=1"]);
  const con: RecorderConsole = await startBoot(ctx.daemon, guest, 1);
  await con.expect(/deb-printk login: /);
  await stopGuest(ctx.daemon, guest);
  await ctx.save("debian-printk", guest, 1);
}
