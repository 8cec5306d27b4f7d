#!/usr/bin/env bash
# `npm run test:slow [-- [--pin] [command …]]`: runs the whole suite (or the command given)
# on a machine made slow on purpose, so that a test which only passes at this machine's
# speed fails here instead of on someone else's machine. Run it before adding a test.
#
#   default  one CPU-burning process per core runs alongside, at the tests' own priority:
#            the tests, their kernels and browsers get about half of every core.
#   --pin    also pins the tests (and every process they start) to one core, which that
#            core's burner shares: about a quarter of this machine.
#
# Every burner is stopped when this script ends, however it ends.
set -euo pipefail
cd "$(dirname "$0")/.."

pin=0
if [[ "${1:-}" == "--pin" ]]; then
  pin=1
  shift
fi
(($#)) || set -- scripts/test.sh

cores="$(nproc)"
burners=()
stop_burners() {
  ((${#burners[@]})) && kill "${burners[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop_burners EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

for ((i = 0; i < cores; i++)); do
  if ((pin)); then taskset -c 0 yes >/dev/null & else yes >/dev/null & fi
  burners+=($!)
done
echo "test-slow: ${#burners[@]} CPU burners running$( ((pin)) && echo ", tests pinned to core 0"); running: $*"

started=$SECONDS
status=0
if ((pin)); then taskset -c 0 "$@" || status=$?; else "$@" || status=$?; fi
echo "test-slow: exit $status after $(((SECONDS - started) / 60)) min $(((SECONDS - started) % 60)) s"
exit $status
