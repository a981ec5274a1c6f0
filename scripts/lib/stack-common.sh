# Shared by stack-up.sh and stack-down.sh: where the native stack keeps its state, and how to
# tell whether a process we recorded is still the one we started. Sourced, not executed.

REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RUN_DIR=${RUN_DIR:-$REPO_DIR/.run}
PID_DIR=$RUN_DIR/pids
LOG_DIR=$RUN_DIR/logs

PROMETHEUS_PORT=${PROMETHEUS_PORT:-9090}
ALERTMANAGER_PORT=${ALERTMANAGER_PORT:-9093}
ROUTER_PORT=${ROUTER_PORT:-8080}
DEMO_PORT=${DEMO_PORT:-8000}
REDIS_PORT=${REDIS_PORT:-6379}

# Services in start order; stack-down stops them in reverse.
SERVICES=(prometheus alertmanager inference-gateway alert-router)

die() { echo "error: $*" >&2; exit 1; }
info() { echo "==> $*"; }

# A substring of /proc/<pid>/cmdline that only our process has: guards against a recycled pid
# making us skip a start, or worse, signal a stranger.
service_marker() {
  case $1 in
    prometheus) echo "prometheus" ;;
    alertmanager) echo "alertmanager" ;;
    inference-gateway) echo "demo/inference-gateway.ts" ;;
    alert-router) echo "src/main.ts" ;;
    redis) echo "redis-server" ;;
    *) die "unknown service $1" ;;
  esac
}

# Prints the recorded pid if that process is alive and still ours; fails otherwise.
running_pid() {
  local name=$1 pidfile=$PID_DIR/$1.pid pid
  [[ -f $pidfile ]] || return 1
  pid=$(<"$pidfile")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$(service_marker "$name")" || return 1
  echo "$pid"
}
