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
# The same daemons on PostgreSQL (a throwaway cluster: server/test-support/pg-cluster.ts), for
# the tests that lean on the database: migrations, the read model's search/sort/paging,
# unique-constraint conflicts, raw SQL (metrics), the audit chain, tokens, every route's
# refusals and permissions, and hosts. The whole integration project on PostgreSQL would
# double the run (`npm run test:integration:postgres`; README, "The database").
pg_tests=(
  server/migrate.int.test.ts
  server/guests/guest-list.int.test.ts
  server/http/conflicts.int.test.ts
  server/metrics/metrics.int.test.ts
  server/audit/audit.int.test.ts
  server/auth/api-tokens.int.test.ts
  server/http/permissions.int.test.ts
  server/hosts/hosts.int.test.ts
)
step vitest-postgres env CORRAL_TEST_DATABASE=postgres npx vitest run --project integration "${pg_tests[@]}"
step e2e npx playwright test
# The fleet in a browser: two hosts' daemons on a throwaway PostgreSQL behind one web.
step e2e-fleet npx playwright test -c playwright.fleet.config.ts

# Processes are never leaked: every kernel a test started must be gone, and every console
# keeper (which exits a few seconds after its last guest) too.
sleep 5
leaked="$(pgrep -a -f "linux.uml.*${mine}|keeper/main.ts /tmp/corral-(e2e-)?run-${CORRAL_TEST_TAG}-|slirp4netns --api-socket /tmp/corral-(e2e-)?run-${CORRAL_TEST_TAG}-|dnsmasq .*--pid-file=/tmp/corral-(e2e-)?run-${CORRAL_TEST_TAG}-|postgres -D /tmp/corral-pg-${CORRAL_TEST_TAG}-" || true)"
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
