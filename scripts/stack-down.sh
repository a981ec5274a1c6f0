#!/usr/bin/env bash
# Stops exactly what scripts/stack-up.sh started (per .run/pids/), newest first. Redis is
# stopped only if stack-up started it. Data in .run/data and .run/redis is kept unless --purge.
#
#   bash scripts/stack-down.sh [--purge]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/stack-common.sh"

PURGE=0
for arg in "$@"; do
  case $arg in
    --purge) PURGE=1 ;;
    -h | --help) sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $arg (try --help)" ;;
  esac
done
TIMEOUT=${STACK_STOP_TIMEOUT:-20}

# Waits for a pid to disappear; SIGKILLs its group after the timeout.
wait_gone() {
  local name=$1 pid=$2 deadline=$((SECONDS + TIMEOUT))
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      echo "warning: $name (pid $pid) ignored SIGTERM for ${TIMEOUT}s; sending SIGKILL" >&2
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.2
  done
}

stop_service() {
  local name=$1 pid
  if ! pid=$(running_pid "$name"); then
    if [[ -f $PID_DIR/$name.pid ]]; then info "$name: not running (stale pid file removed)"; fi
    rm -f "$PID_DIR/$name.pid"
    return
  fi
  info "$name: stopping pid $pid"
  # stack-up ran each service under setsid, so its pid is also its process group: signalling the
  # group reaches tsx's child node process, which a plain kill of npx would orphan.
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid"
  wait_gone "$name" "$pid"
  rm -f "$PID_DIR/$name.pid"
}

stop_redis() {
  if [[ ! -f $PID_DIR/redis.started-by-stack-up ]]; then
    if redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1; then
      info "redis: not started by stack-up; leaving it running"
    fi
    return 0
  fi
  local pid=""
  pid=$(running_pid redis) || true
  info "redis: shutting down"
  # SHUTDOWN (not a signal) so Redis fsyncs the append-only file before exiting.
  redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown >/dev/null 2>&1 || { [[ -n $pid ]] && kill -TERM "$pid"; } || true
  if [[ -n $pid ]]; then wait_gone redis "$pid"; fi
  rm -f "$PID_DIR/redis.pid" "$PID_DIR/redis.started-by-stack-up"
}

[[ -d $PID_DIR ]] || info "nothing recorded in $PID_DIR"
for ((i = ${#SERVICES[@]} - 1; i >= 0; i--)); do stop_service "${SERVICES[i]}"; done
stop_redis

if ((PURGE)); then
  info "purging data in $RUN_DIR (data/, redis/, logs/)"
  rm -rf "${RUN_DIR:?}/data" "${RUN_DIR:?}/redis" "${RUN_DIR:?}/logs"
fi
info "stack stopped"
