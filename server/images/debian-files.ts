// What a Debian image gets on top of debootstrap's tree so it boots well under UML and
// honours Corral's seed disk. Paths are relative to the root of the tree.

/**
 * The seed contract: Corral attaches a small read-only ext2 disk labelled CORRALSEED as
 * /dev/ubdb to a UML guest, and binds a read-only folder at /mnt/seed in a context guest
 * (server/lxc/seed-dir.ts), each holding the same plain files — `hostname`, `network` (ADDRESS=, GATEWAY=, DNS=, IFACE=
 * lines; absent without a network), and optionally `root-password-hash` (crypt SHA-512)
 * and `authorized_keys`. Values are parsed, never sourced: a seed is data, not a script.
 */
const SEED_SCRIPT = `#!/bin/sh
# corral-seed: applies Corral's per-guest seed at every boot (see corral-seed.service): a UML
# guest's is its disk /dev/ubdb, a context guest's a folder the container engine binds at /mnt/seed.
set -u
DEV=/dev/ubdb
BOUND=/mnt/seed
SEED=/run/corral-seed
MARKER=/var/lib/corral/seeded
NETFILE=/run/systemd/network/10-corral.network

say() { echo "corral-seed: $*"; }

# An image is shared by many guests: host keys made while building it would be shared too.
[ -x /usr/bin/ssh-keygen ] && ssh-keygen -A >/dev/null 2>&1

rm -f "$NETFILE"
if [ -b "$DEV" ] && [ "$(blkid -o value -s LABEL "$DEV" 2>/dev/null)" = CORRALSEED ]; then
  mkdir -p "$SEED"
  mount -o ro,nodev,nosuid,noexec "$DEV" "$SEED" || { say "cannot mount $DEV"; exit 1; }
  trap 'umount "$SEED" 2>/dev/null; rmdir "$SEED" 2>/dev/null' EXIT
elif [ -f "$BOUND/hostname" ]; then
  SEED=$BOUND
else
  say "no seed disk at $DEV nor seed at $BOUND; keeping the image's settings"
  exit 0
fi

value() { sed -n "s/^$1=//p" "$SEED/network" | head -n 1; }

if [ -s "$SEED/hostname" ]; then
  name=$(head -n 1 "$SEED/hostname")
  case "$name" in
    "" | *[!a-z0-9-]* | -*) say "ignoring hostname: not a host name" ;;
    *)
      hostname "$name"
      echo "$name" >/etc/hostname
      sed -i '/^127\\.0\\.1\\.1[[:space:]]/d' /etc/hosts
      printf '127.0.1.1\\t%s\\n' "$name" >>/etc/hosts
      ;;
  esac
fi

if [ -f "$SEED/network" ]; then
  address=$(value ADDRESS) gateway=$(value GATEWAY) dns=$(value DNS) iface=$(value IFACE)
  iface=\${iface:-vec0}
  case "$address$gateway$dns" in *[!0-9a-fA-F.:/\\ ]*) address= ;; esac
  case "$iface" in "" | *[!a-zA-Z0-9_.-]*) address= ;; esac
  if [ -z "$address" ]; then
    say "ignoring network: ADDRESS missing or a value malformed"
  else
    mkdir -p "$(dirname "$NETFILE")"
    {
      printf '[Match]\\nName=%s\\n\\n[Network]\\nAddress=%s\\n' "$iface" "$address"
      [ -n "$gateway" ] && printf 'Gateway=%s\\n' "$gateway"
      for d in $dns; do printf 'DNS=%s\\n' "$d"; done
      printf 'LinkLocalAddressing=no\\nIPv6AcceptRA=no\\n'
    } >"$NETFILE"
    if [ -n "$dns" ] && [ ! -L /etc/resolv.conf ]; then
      for d in $dns; do echo "nameserver $d"; done >/etc/resolv.conf
    fi
  fi
fi

# Root's password and keys are the guest's own once set: apply them on the first boot only.
if [ ! -e "$MARKER" ]; then
  if [ -s "$SEED/root-password-hash" ]; then
    hash=$(head -n 1 "$SEED/root-password-hash")
    case "$hash" in
      '$6$'*) case "$hash" in *[!a-zA-Z0-9./\\$]*) say "ignoring root-password-hash: malformed" ;;
                *) usermod -p "$hash" root && say "root password set" ;; esac ;;
      *) say "ignoring root-password-hash: not a SHA-512 crypt hash" ;;
    esac
  fi
  if [ -s "$SEED/authorized_keys" ]; then
    install -d -m 700 /root/.ssh && install -m 600 "$SEED/authorized_keys" /root/.ssh/authorized_keys
    say "root's authorized_keys installed"
  fi
  mkdir -p "$(dirname "$MARKER")" && touch "$MARKER"
fi
exit 0
`;

const SEED_UNIT = `[Unit]
Description=Corral seed: host name, network and first-boot root access
Documentation=file:/usr/local/sbin/corral-seed
DefaultDependencies=no
After=local-fs.target systemd-remount-fs.service
Before=sysinit.target network-pre.target systemd-networkd.service console-getty.service getty.target shutdown.target
Wants=network-pre.target
Conflicts=shutdown.target

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/usr/local/sbin/corral-seed

[Install]
WantedBy=sysinit.target
`;

// Corral's readiness signal: the exact one (the console's login prompt is the fallback).
const READY_UNIT = `[Unit]
Description=Tell Corral this guest is up
After=getty.target console-getty.service
ConditionPathExists=/proc/mconsole

[Service]
Type=oneshot
# No shell: systemd itself opens /proc/mconsole as echo's output.
ExecStart=/bin/echo corral-ready
StandardOutput=file:/proc/mconsole

[Install]
WantedBy=multi-user.target
`;

export const DEBIAN_FILES: Record<string, { mode: number; text: string }> = {
  "etc/fstab": {
    mode: 0o644,
    text: "# Corral: the root filesystem is UML's first block device.\n/dev/ubda / ext4 defaults 0 1\n",
  },
  // The guest's name comes from the kernel command line (systemd.hostname=) and the seed.
  "etc/hostname": { mode: 0o644, text: "debian\n" },
  "etc/hosts": { mode: 0o644, text: "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n" },
  // Empty: each guest gets its own machine id on its first boot (systemd-firstboot is masked).
  "etc/machine-id": { mode: 0o444, text: "" },
  "usr/local/sbin/corral-seed": { mode: 0o755, text: SEED_SCRIPT },
  "etc/systemd/system/corral-seed.service": { mode: 0o644, text: SEED_UNIT },
  "etc/systemd/system/corral-ready.service": { mode: 0o644, text: READY_UNIT },
};

/** Units enabled through the tree's own systemctl, so each follows its [Install] section. */
export const DEBIAN_ENABLE = [
  "console-getty.service",
  "corral-seed.service",
  "corral-ready.service",
  "systemd-networkd.service",
];
/**
 * Units disabled or masked: UML's console is /dev/tty0 (= /dev/console); the other virtual
 * terminals go nowhere, and a getty on them only spins. The first-boot wizard would ask
 * for a root password on the console.
 */
export const DEBIAN_DISABLE = ["getty@tty1.service"];
export const DEBIAN_MASK = ["getty-static.service", "systemd-firstboot.service"];
/** Corral's graceful stop sends Ctrl-Alt-Del through mconsole: it must power off, not reboot. */
export const DEBIAN_SYMLINKS: Record<string, string> = {
  "etc/systemd/system/ctrl-alt-del.target": "/lib/systemd/system/poweroff.target",
};
/** Left by debootstrap from the host or for the build only; not for guests. */
export const DEBIAN_REMOVE = [
  "etc/resolv.conf",
  "var/lib/dbus/machine-id",
  "etc/ssh/ssh_host_*",
  "var/cache/apt/archives/*.deb",
  "var/cache/apt/*.bin",
  "var/lib/apt/lists/*_*",
  "debootstrap",
];
/** Packages every Debian image gets on top of --variant=minbase. */
export const DEBIAN_BASE_PACKAGES = ["systemd-sysv", "iproute2", "udev"];
