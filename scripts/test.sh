#!/usr/bin/env bash
# `npm test`: type-check, then every suite (unit, integration, stack, e2e, browser) one file at a
# time, on the supported Node.js (scripts/lib/use-node.sh fetches it if this machine's is older).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib/use-node.sh
use_node
echo "test: Node.js $(node --version)"
node_modules/.bin/tsc --noEmit
# shellcheck disable=SC2046 # one argument per test file; the paths have no spaces
exec node --import tsx --test --test-concurrency=1 --test-timeout=600000 $(find test -name "*.test.ts" | sort)
