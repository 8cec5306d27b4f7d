// The files of the built-in busybox guest, as data: what goes in /etc.
export const BUSYBOX_FILES: Record<string, { mode: number; text: string }> = {
  "etc/inittab": {
    mode: 0o644,
    text: `# Corral's built-in busybox guest.
::sysinit:/etc/init.d/rcS
# Init runs every sysinit entry (an admin's too) before any wait entry: then it is ready.
::wait:/etc/init.d/ready
# A root shell on the console (UML's con0 is /dev/tty0), respawned when it exits.
tty0::respawn:-/bin/sh
# Ctrl-Alt-Del (Corral's graceful stop sends it through mconsole) powers off cleanly.
::ctrlaltdel:/bin/poweroff
::shutdown:/bin/sync
::shutdown:/bin/umount -a -r
`,
  },
  "etc/init.d/rcS": {
    mode: 0o755,
    text: `#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t tmpfs -o mode=1777 tmpfs /tmp
mount -o remount,rw /
# Corral's seed, read-only: a UML guest's is its disk /dev/ubdb; a context guest's is a
# folder LXC binds at /mnt/seed. This guest's name, its network if it has one, and on the
# first boot only root's password hash and SSH keys (the guest's own once set).
# Each process costs a UML guest's kernel dearly (its pages mapped through the host, fault
# by fault): what the shell can do itself (read, echo, a redirection) it does. A container's
# /proc/sys is read-only: there the hostname applet sets the name.
# The seed disk begins with a header (server/uml/seed-disk.ts: its first line the magic, then
# KEY=value lines to END) that the shell reads from the disk itself: no mount, no process.
# The file system is mounted only for a first boot with a password or keys (FIRSTBOOT=1), or
# when the disk has no header.
seed= header= name= iface= address= gateway= dns= dhcp= firstboot=
if [ -b /dev/ubdb ]; then
  {
    read -r magic
    if [ "$magic" = "CORRAL-SEED 1" ]; then
      header=1
      while IFS== read -r key value && [ "$key" != END ]; do
        case "$key" in
          HOSTNAME) name=$value ;; IFACE) iface=$value ;; ADDRESS) address=$value ;; GATEWAY) gateway=$value ;;
          DNS) dns=$value ;; DHCP) dhcp=$value ;; FIRSTBOOT) firstboot=$value ;;
        esac
      done
    fi
  } < /dev/ubdb
fi
if [ -z "$header" ] || { [ "$firstboot" = 1 ] && [ ! -e /etc/corral-seeded ]; }; then
  if mount -t ext2 -o ro /dev/ubdb /mnt 2>/dev/null; then
    seed=/mnt
  elif [ -f /mnt/seed/hostname ]; then
    seed=/mnt/seed
  fi
fi
if [ -z "$header" ] && [ -n "$seed" ]; then
  [ -f "$seed/hostname" ] && read -r name < "$seed/hostname"
  if [ -f "$seed/network" ]; then
    while IFS== read -r key value; do
      case "$key" in
        IFACE) iface=$value ;; ADDRESS) address=$value ;; GATEWAY) gateway=$value ;; DNS) dns=$value ;; DHCP) dhcp=$value ;;
      esac
    done < "$seed/network"
  fi
fi
if [ -z "$name" ]; then
  hostname -F /etc/hostname
else
  { echo "$name" > /proc/sys/kernel/hostname; } 2>/dev/null || hostname "$name"
fi
# An interface up as \`ip link set IFACE up\` does, through its sysfs flags (IFF_UP is 1): no
# process. A read-only /sys leaves it to ip.
link_up() {
  { read -r flags < "/sys/class/net/$1/flags" && echo $((flags | 1)) > "/sys/class/net/$1/flags"; } 2>/dev/null ||
    ip link set "$1" up
}
if [ -n "$iface" ]; then
  link_up lo
  link_up "$iface"
  if [ "$dhcp" = 1 ]; then
    udhcpc -i "$iface" -s /etc/udhcpc.script -n -q -t 5 -T 1 || echo "corral: no DHCP answer on $iface"
  else
    ip addr add "$address" dev "$iface"
    ip route add default via "$gateway"
  fi
  [ -n "$dns" ] && echo "nameserver $dns" > /etc/resolv.conf
fi
# Seeded once the files were read, or when the header says there are none to read.
if [ ! -e /etc/corral-seeded ] && { [ -n "$seed" ] || { [ -n "$header" ] && [ "$firstboot" != 1 ]; }; }; then
  if [ -n "$seed" ] && [ -s "$seed/root-password-hash" ]; then
    read -r hash < "$seed/root-password-hash"
    case "$hash" in
      *[!a-zA-Z0-9./\\$]*) echo "corral: ignoring root-password-hash: malformed" ;;
      '$6$'*) echo "root:$hash:0:0:99999:7:::" > /etc/shadow && chmod 600 /etc/shadow ;;
      *) echo "corral: ignoring root-password-hash: not a SHA-512 crypt hash" ;;
    esac
  fi
  if [ -n "$seed" ] && [ -s "$seed/authorized_keys" ]; then
    mkdir -p -m 700 /root/.ssh && cp "$seed/authorized_keys" /root/.ssh/authorized_keys && chmod 600 /root/.ssh/authorized_keys
  fi
  : > /etc/corral-seeded
fi
[ "$seed" = /mnt ] && umount /mnt
exit 0
`,
  },
  // Tells the host daemon this guest is ready (UML's mconsole user notification).
  "etc/init.d/ready": {
    mode: 0o755,
    text: `#!/bin/sh
[ -w /proc/mconsole ] && echo corral-ready > /proc/mconsole
exit 0
`,
  },
  // udhcpc's hook: apply the lease it was given (busybox has no default script in this image).
  "etc/udhcpc.script": {
    mode: 0o755,
    text: `#!/bin/sh
case "$1" in
  deconfig) ip addr flush dev "$interface" ;;
  bound|renew)
    ip addr flush dev "$interface"
    ip addr add "$ip/\${mask:-24}" dev "$interface"
    for r in $router; do ip route replace default via "$r" dev "$interface"; break; done
    ;;
esac
exit 0
`,
  },
  "etc/profile": {
    mode: 0o644,
    text: `export PATH=/bin:/sbin
export PS1='\\h:\\w# '
`,
  },
  "etc/hostname": { mode: 0o644, text: "corral\n" },
  "etc/passwd": { mode: 0o644, text: "root:x:0:0:root:/root:/bin/sh\n" },
  "etc/group": { mode: 0o644, text: "root:x:0:\n" },
  "etc/fstab": { mode: 0o644, text: "/dev/ubda / ext4 defaults 0 1\n" },
};

export const BUSYBOX_DIRS = ["bin", "sbin", "etc/init.d", "proc", "sys", "dev", "tmp", "root", "mnt", "var/log"];
