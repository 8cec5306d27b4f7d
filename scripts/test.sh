#!/usr/bin/env bash
# `npm test`: install what the tests need, then run every test — unit, integration against
# real UML kernels, and end-to-end in Chromium — and check that no kernel was left behind.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test

# Every kernel and keeper this run starts carries the tag in its run directory.
export CORRAL_TEST_TAG="t$$"
mine="uml_dir=/tmp/corral-(e2e-)?run-${CORRAL_TEST_TAG}-"
status=0
# Each step's output is also kept, so the run ends by repeating what failed: a CI log read
# from its end shows the cause, not only the last step's success.
logs="$(mktemp -d /tmp/corral-test-logs-XXXXXX)"
failed=()
step() {
  local name="$1"; shift
  if ! "$@" 2>&1 | tee "$logs/$name.log"; then
    status=1; failed+=("$name")
  fi
}
step typecheck npx tsc --noEmit -p .
# Lint errors (Next, React hooks, typescript-eslint, and the layers: eslint.config.mjs) fail the run.
step lint npx eslint .
step vitest npx vitest run
# The same integration tests again with every daemon on PostgreSQL (a throwaway cluster per
# run: server/test-support/pg-global-setup.ts), so both databases Corral supports are tested
# whole. Files on the fleet rig (server/test-support/fleet-rig.ts) ran on a PostgreSQL of
# their own already, in the step above, and are not repeated.
fleet_tests=()
while IFS= read -r file; do fleet_tests+=(--exclude "$file"); done \
  < <(grep -rl --include='*.int.test.ts' 'test-support/fleet-rig' server cli)
step vitest-postgres env CORRAL_TEST_DATABASE=postgres npx vitest run --project integration "${fleet_tests[@]}"
step e2e npx playwright test
# The fleet in a browser: two hosts' daemons on a throwaway PostgreSQL behind one web.
step e2e-fleet npx playwright test -c playwright.fleet.config.ts

# Processes are never leaked: every kernel a test started must be gone, and every console
# keeper (which exits a few seconds after its last guest) too.
sleep 5
leaked="$(pgrep -a -f "linux.uml.*${mine}|keeper(/main\.ts|\.mjs) /tmp/corral-(e2e-)?run-${CORRAL_TEST_TAG}-|slirp4netns --api-socket /tmp/corral-(e2e-)?run-${CORRAL_TEST_TAG}-|dnsmasq .*--pid-file=/tmp/corral-(e2e-)?run-${CORRAL_TEST_TAG}-|postgres -D /tmp/corral-pg-${CORRAL_TEST_TAG}-" || true)"
if [[ -n "$leaked" ]]; then
  echo "test: processes left behind:"; echo "$leaked"; status=1
fi
# The bridge test's network namespaces (corral-t<pid>) are deleted by the test itself.
if ip netns list 2>/dev/null | grep -q '^corral-t'; then
  echo "test: network namespaces left behind:"; ip netns list | grep '^corral-t'; status=1
fi
if ((${#failed[@]})); then
  echo; echo "test: failed: ${failed[*]}"
  for name in "${failed[@]}"; do
    echo "--- $name: what failed"
    # Vitest's and Playwright's failure lines and their errors, or the step's last lines.
    lines="$(sed 's/\x1b\[[0-9;]*m//g' "$logs/$name.log" |
      grep -E "^ *(FAIL|×|✘)|^ +[0-9]+\) |^ *(AssertionError|Error|TypeError)\b|error TS|  error  " | head -60 || true)"
    if [[ -n "$lines" ]]; then echo "$lines"; else tail -20 "$logs/$name.log"; fi
  done
fi
rm -rf "$logs"
exit $status
