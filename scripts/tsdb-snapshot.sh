#!/usr/bin/env bash
# Takes a Prometheus TSDB snapshot through the admin API and moves it into a dated backup dir.
#
#   bash scripts/tsdb-snapshot.sh [--dest DIR] [--skip-head]
#
#   PROMETHEUS_URL       default http://127.0.0.1:9090
#   PROMETHEUS_DATA_DIR  TSDB directory of that Prometheus (default .run/data/prometheus, where
#                        stack-up puts it); the snapshot is created under <it>/snapshots/<name>
#   BACKUP_DIR           parent of the dated directories (default backups/)
#
# Result: $BACKUP_DIR/prometheus-YYYY-mm-dd-HHMMSS/ containing the snapshot's blocks; restore by
# starting Prometheus with --storage.tsdb.path pointing at a copy of it.
set -euo pipefail
REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

PROMETHEUS_URL=${PROMETHEUS_URL:-http://127.0.0.1:9090}
PROMETHEUS_DATA_DIR=${PROMETHEUS_DATA_DIR:-$REPO_DIR/.run/data/prometheus}
BACKUP_DIR=${BACKUP_DIR:-$REPO_DIR/backups}
SKIP_HEAD=false
DEST=""

die() { echo "error: $*" >&2; exit 1; }

while [[ $# -gt 0 ]]; do
  case $1 in
    --dest) [[ $# -ge 2 ]] || die "--dest needs a directory"; DEST=$2; shift ;;
    # skip_head leaves out the in-memory head block (the last ~2h): faster, but less recent.
    --skip-head) SKIP_HEAD=true ;;
    -h | --help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1 (try --help)" ;;
  esac
  shift
done
DEST=${DEST:-$BACKUP_DIR/prometheus-$(date +%Y-%m-%d-%H%M%S)}
[[ -e $DEST ]] && die "$DEST already exists; refusing to overwrite a backup"

body=$(mktemp)
trap 'rm -f "$body"' EXIT
url="${PROMETHEUS_URL%/}/api/v1/admin/tsdb/snapshot?skip_head=$SKIP_HEAD"
if ! status=$(curl -sS -m 120 -o "$body" -w '%{http_code}' -X POST "$url"); then
  die "cannot reach Prometheus at $PROMETHEUS_URL (is the stack up? npm run stack:up)"
fi
# Prometheus 2.x answers {"errorType":"unavailable","error":"admin APIs disabled"} (HTTP 500 on
# 2.42) when started without --web.enable-admin-api; match the body, since the status varies.
if grep -q 'admin APIs disabled' "$body"; then
  die "the Prometheus admin API is disabled at $PROMETHEUS_URL. Start Prometheus with --web.enable-admin-api (scripts/stack-up.sh does)."
fi
[[ $status == 200 ]] || die "snapshot failed: HTTP $status from $url: $(head -c 500 "$body")"

# {"status":"success","data":{"name":"20240101T120000Z-0123456789abcdef"}}
name=$(sed -n 's/.*"name":"\([^"]*\)".*/\1/p' "$body")
[[ -n $name ]] || die "unexpected snapshot response: $(head -c 500 "$body")"
src=$PROMETHEUS_DATA_DIR/snapshots/$name
if [[ ! -d $src ]]; then
  die "Prometheus created snapshot $name, but $src does not exist here. Set PROMETHEUS_DATA_DIR to its --storage.tsdb.path (a remote Prometheus keeps the snapshot on its own disk)."
fi

mkdir -p "$(dirname "$DEST")"
# mv keeps the hard links to the block files when on the same filesystem (instant, no extra
# space) and falls back to copy+delete across filesystems; either way Prometheus keeps no copy.
mv "$src" "$DEST"
echo "snapshot $name -> $DEST ($(du -sh "$DEST" | cut -f1))"
