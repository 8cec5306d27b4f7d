#!/usr/bin/env bash
# `npm start`: install what is missing, then run the host daemon and the web together.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# Every long-lived process runs from a bundle under plain node (server/bundle.ts): tsx would
# keep a loader isolate beside each for life.
node --import tsx scripts/bundled.ts --build serve
exec node build/serve.mjs
