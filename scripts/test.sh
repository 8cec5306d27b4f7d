#!/usr/bin/env bash
# `npm test`: install what the tests need, then run every test — unit, integration against
# real UML kernels, and end-to-end in Chromium — and check that no kernel was left behind.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test

before="$(pgrep -c -f 'linux.uml.*uml_dir=/tmp/corral-' || true)"
status=0
npx tsc --noEmit -p . || status=1
npx vitest run || status=1
npx playwright test || status=1

# Processes are never leaked: every kernel a test started must be gone.
sleep 1
leaked="$(pgrep -a -f 'linux.uml.*uml_dir=/tmp/corral-' || true)"
if [[ -n "$leaked" && "$(pgrep -c -f 'linux.uml.*uml_dir=/tmp/corral-' || true)" -gt "${before:-0}" ]]; then
  echo "test: UML processes left behind:"; echo "$leaked"; status=1
fi
exit $status
