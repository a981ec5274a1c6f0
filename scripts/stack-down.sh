#!/usr/bin/env bash
# Stops exactly what scripts/stack-up.sh started (per .run/pids/), newest first, including after
# a failed or interrupted stack-up. A Redis that stack-up did not start is left alone. Data in
# .run/data and .run/redis is kept unless --purge.
#
#   bash scripts/stack-down.sh [--purge]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/stack-common.sh"

PURGE=0
for arg in "$@"; do
  case $arg in
    --purge) PURGE=1 ;;
    -h | --help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $arg (try --help)" ;;
  esac
done
TIMEOUT=${STACK_STOP_TIMEOUT:-20}

# STACK_DOWN_ONLY: set by a failing stack-up (which holds the lock) to the services it started.
if [[ -n ${STACK_DOWN_ONLY:-} ]]; then
  read -r -a TO_STOP <<<"$STACK_DOWN_ONLY"
else
  TO_STOP=(redis "${SERVICES[@]}")
  if [[ -d $RUN_DIR ]]; then
    exec 9>"$RUN_DIR/.lock"
    flock -n 9 || die "another stack-up or stack-down is running on $RUN_DIR"
  fi
fi

# Waits for every process of a group to go; SIGKILLs the group after the timeout.
wait_gone() {
  local name=$1 pgid=$2 deadline=$((SECONDS + TIMEOUT))
  while kill -0 -- "-$pgid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      echo "warning: $name (process group $pgid) ignored SIGTERM for ${TIMEOUT}s; sending SIGKILL" >&2
      kill -KILL -- "-$pgid" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.2
  done
}

stop_service() {
  local name=$1 pgid
  if ! pgid=$(running_group "$name"); then
    # An older stack-up's live process: keep its state file, so the hint is given again next time.
    legacy_hint "$name" || return 0
    if [[ -f $PID_DIR/$name.pid ]]; then info "$name: not running (stale state file removed)"; fi
    rm -f "$PID_DIR/$name.pid"
    return
  fi
  info "$name: stopping process group $pgid"
  # SHUTDOWN rather than a signal, so Redis fsyncs the append-only file before it exits.
  if [[ $name == redis ]] && redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown >/dev/null 2>&1; then :
  else kill -TERM -- "-$pgid" 2>/dev/null || true; fi
  wait_gone "$name" "$pgid"
  rm -f "$PID_DIR/$name.pid"
}

[[ -d $PID_DIR ]] || info "nothing recorded in $PID_DIR"
for ((i = ${#TO_STOP[@]} - 1; i >= 0; i--)); do stop_service "${TO_STOP[i]}"; done
if [[ -z ${STACK_DOWN_ONLY:-} ]] && redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1; then
  info "redis: the one on 127.0.0.1:$REDIS_PORT was not started by stack-up; leaving it running"
fi

if ((PURGE)); then
  info "purging data in $RUN_DIR (data/, redis/, logs/)"
  rm -rf "${RUN_DIR:?}/data" "${RUN_DIR:?}/redis" "${RUN_DIR:?}/logs"
fi
info "stack stopped"
