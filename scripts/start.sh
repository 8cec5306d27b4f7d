#!/usr/bin/env bash
# `npm start`: install what is missing, then run the host daemon and the web together.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec node --import tsx scripts/serve.ts
