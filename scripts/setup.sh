#!/usr/bin/env bash
# Installs whatever is missing for Corral on Debian/Ubuntu: system packages, npm packages
# (and the generated Prisma client), the UML kernel, and a production build of the web.
# Safe to run again: each step is skipped when already done.
#   scripts/setup.sh          what running Corral needs
#   scripts/setup.sh --test   also what the tests need (Chromium for Playwright)
set -euo pipefail
cd "$(dirname "$0")/.."

want_tests=0
[[ "${1:-}" == "--test" ]] && want_tests=1

sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi

packages=(busybox-static e2fsprogs patchelf ca-certificates debian-archive-keyring slirp4netns iproute2 util-linux dnsmasq-base debootstrap)
# Context guests (server/lxc/): the LXC engine, newuidmap/newgidmap, a compiler for the idmap helper.
packages+=(lxc uidmap gcc libc6-dev)
# postgresql: the integration tests also run on a throwaway PostgreSQL cluster (scripts/test.sh).
((want_tests)) && packages+=(chromium fonts-dejavu-core procps postgresql)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "setup: installing npm packages (better-sqlite3 compiles from source: about two minutes)"
  npm ci --no-audit --no-fund
fi

scripts/install-kernel.sh

# Context guests map each guest's root to its own block of 65536 host ids, carved from root's
# subordinate range (1000 guests). An existing root range is left as it is.
for f in /etc/subuid /etc/subgid; do
  if ! grep -qs '^root:' "$f"; then
    echo "setup: giving root a subordinate id range in $f"
    echo "root:100000:65536000" | "${sudo_cmd[@]}" tee -a "$f" >/dev/null
  fi
done
if [[ ! -x build/idmap-mount || server/lxc/idmap-mount.c -nt build/idmap-mount ]]; then
  echo "setup: building the idmapped-mount helper for context guests"
  mkdir -p build
  gcc -O2 -Wall -o build/idmap-mount server/lxc/idmap-mount.c
fi

if [[ ! -f .next/BUILD_ID ]] || [[ -n "$(find app components lib next.config.ts package-lock.json -newer .next/BUILD_ID -print -quit)" ]]; then
  echo "setup: building the web"
  npx next build
fi
echo "setup: done"
