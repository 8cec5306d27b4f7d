#!/bin/sh
# Runs inside a guest's own user and network namespace (started as
# `unshare -Urn -- guest-netns.sh <linux.uml> <kernel args…>` by the console keeper):
# makes the bridge the guest's tap joins — slirp4netns adds its own tap to it from
# outside — then becomes the kernel, keeping its pid. Takes no input but its argv.
set -eu
ip link set lo up
ip link add br0 type bridge
ip link set br0 up
ip tuntap add uml0 mode tap
ip link set uml0 master br0
ip link set uml0 up
exec "$@"
