#!/bin/sh
# Runs inside a guest's own user and network namespace (started as
# `unshare -Urn -- guest-netns.sh <linux.uml> <kernel args…>` by the console keeper):
# makes the bridge with the guest's tap (uml0) and slirp4netns's (tap0: slirp4netns, started
# from outside once this is the kernel, opens the persistent tap by name rather than making
# one), then becomes the kernel, keeping its pid. Takes no input but its argv.
set -eu
# One `ip` for all of it (it stops at the first command that fails, and exits non-zero):
# six processes per boot were a visible part of a boot storm's cost, and so were the
# nsenter + ip that joined slirp4netns's tap to the bridge after it started.
ip -batch - <<'COMMANDS'
link set lo up
link add br0 type bridge
link set br0 up
tuntap add uml0 mode tap
link set uml0 master br0
link set uml0 up
tuntap add tap0 mode tap
link set tap0 master br0
link set tap0 up
COMMANDS
exec "$@"
