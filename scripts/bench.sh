#!/usr/bin/env bash
# `npm run bench [-- flags]`: one command from a fresh machine. Runs setup first when this
# checkout was never set up (no build or no busybox rootfs); the bench installs its own
# reference engines and tools (scripts/apt/bench.txt) when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f dist/bench/main.js ] || [ ! -f build/busybox.tar ] || [ ! -d node_modules ]; then
  echo "bench: this checkout is not set up yet: running scripts/setup.sh" >&2
  bash scripts/setup.sh
fi
exec node dist/bench/main.js "$@"
