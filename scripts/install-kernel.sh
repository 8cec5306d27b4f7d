#!/usr/bin/env bash
# Installs the UML kernel Corral boots guests with, into vendor/kernel/.
#
# Why not bookworm's /usr/bin/linux.uml: UML 6.1 (and trixie's 6.12) save guest FPU state
# in a fixed-size buffer, and hosts with AMX (Sapphire Rapids and later) need an 11 KiB
# XSAVE area, so every guest's init dies with "ptrace set fp regs failed, errno = 14".
# UML 7.x sizes that buffer from the host. We take Debian's own user-mode-linux package
# from sid (signature-checked by apt, nothing installed system-wide) together with sid's
# libc, which that build needs (bookworm's glibc 2.36 lacks __isoc23_strtol), and point the
# binary at that libc with patchelf. UML re-executes argv[0] on reboot, so the patched
# binary must be self-contained — a wrapper script or `ld.so --library-path` would not be.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
dest="${CORRAL_KERNEL_DIR:-$root/vendor/kernel}"
suite="${CORRAL_KERNEL_SUITE:-sid}"

if [[ -x "$dest/linux.uml" ]] && "$dest/linux.uml" --version >/dev/null 2>&1; then
  echo "kernel: $("$dest/linux.uml" --version) already in $dest"
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/debs"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $suite main" >"$work/sources.list"
apt_opts=(-q -o "Dir::Etc::sourcelist=$work/sources.list" -o Dir::Etc::sourceparts=-
  -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache")
# apt drops privileges to _apt for downloads, which cannot write into our private folders.
if [[ $(id -u) -eq 0 ]]; then apt_opts+=(-o APT::Sandbox::User=root); fi

echo "kernel: fetching user-mode-linux and libc6 from Debian $suite"
apt-get "${apt_opts[@]}" update >/dev/null
(cd "$work/debs" && apt-get "${apt_opts[@]}" download user-mode-linux libc6 >/dev/null)
for deb in "$work"/debs/*.deb; do dpkg-deb -x "$deb" "$work/root"; done

staging="$dest.new"
rm -rf "$staging"
mkdir -p "$staging/lib"
cp "$work/root/usr/bin/linux.uml" "$staging/linux.uml"
cp "$work/root/usr/lib/x86_64-linux-gnu/libc.so.6" "$work/root/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" "$staging/lib/"
patchelf --set-interpreter "$dest/lib/ld-linux-x86-64.so.2" --set-rpath "$dest/lib" "$staging/linux.uml"
rm -rf "$dest"
mv "$staging" "$dest"
"$dest/linux.uml" --version >/dev/null
echo "kernel: installed $("$dest/linux.uml" --version) in $dest"
