#!/usr/bin/env bash
# Starts the monitoring stack natively (no Docker): Redis, Prometheus, Alertmanager, the demo
# inference gateway and alert-router, each in the background with logs in .run/logs/.
#
#   bash scripts/stack-up.sh                    # start (or confirm) the whole stack
#   bash scripts/stack-up.sh --prepare-only     # only generate .run/ configs (used by tests)
#   RUN_DIR=/tmp/x bash scripts/stack-up.sh --prepare-only
#
# Ports: PROMETHEUS_PORT ALERTMANAGER_PORT ROUTER_PORT DEMO_PORT REDIS_PORT; STACK_TIMEOUT (s).
# Running it again starts only what is not already running. Stop with scripts/stack-down.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/stack-common.sh"

PREPARE_ONLY=0
while [[ $# -gt 0 ]]; do
  case $1 in
    --prepare-only | --dry-run) PREPARE_ONLY=1 ;;
    --run-dir) [[ $# -ge 2 ]] || die "--run-dir needs a directory"; RUN_DIR=$2; shift ;;
    -h | --help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1 (try --help)" ;;
  esac
  shift
done
mkdir -p "$RUN_DIR"
RUN_DIR=$(cd "$RUN_DIR" && pwd)
PID_DIR=$RUN_DIR/pids
LOG_DIR=$RUN_DIR/logs
TIMEOUT=${STACK_TIMEOUT:-60}
cd "$REPO_DIR"

ensure_node_modules() {
  [[ -d node_modules ]] && return
  info "node_modules missing: npm ci"
  npm ci --no-audit --no-fund
}

# Debian package names: prometheus ships promtool, prometheus-alertmanager ships amtool.
ensure_binaries() {
  local missing=()
  command -v prometheus >/dev/null || missing+=(prometheus)
  command -v prometheus-alertmanager >/dev/null || missing+=(prometheus-alertmanager)
  command -v redis-server >/dev/null || missing+=(redis-server)
  [[ ${#missing[@]} -eq 0 ]] && return
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    info "installing ${missing[*]} with apt-get"
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
    # The Debian packages start their own systemd services where systemd exists; ours use other dirs.
  else
    die "missing binaries; run: sudo apt-get update && sudo apt-get install -y ${missing[*]}"
  fi
}

prepare_configs() {
  info "generating native configs in $RUN_DIR"
  node_modules/.bin/tsx scripts/lib/prepare-run-config.ts --repo "$REPO_DIR" --run-dir "$RUN_DIR" \
    --port "prometheus=$PROMETHEUS_PORT" --port "alertmanager=$ALERTMANAGER_PORT" \
    --port "alert-router=$ROUTER_PORT" --port "inference-gateway=$DEMO_PORT" --port "redis=$REDIS_PORT"
}

ensure_redis() {
  if redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; then
    if [[ -f $PID_DIR/redis.started-by-stack-up ]]; then info "redis: already running (started by stack-up)"
    else info "redis: already answering on 127.0.0.1:$REDIS_PORT (not ours; stack-down will leave it)"; fi
    return
  fi
  mkdir -p "$RUN_DIR/redis"
  info "redis: starting on 127.0.0.1:$REDIS_PORT"
  # noeviction: BullMQ loses jobs silently under any evicting policy. appendonly: queued
  # deliveries survive a restart, which is the point of queueing them.
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes \
    --maxmemory-policy noeviction --appendonly yes --dir "$RUN_DIR/redis" \
    --pidfile "$PID_DIR/redis.pid" --logfile "$LOG_DIR/redis.log"
  # The marker, not the pid file alone, is what allows stack-down to stop Redis.
  touch "$PID_DIR/redis.started-by-stack-up"
  local deadline=$((SECONDS + TIMEOUT))
  until redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; do
    ((SECONDS < deadline)) || fail_with_log redis "did not answer PING within ${TIMEOUT}s"
    sleep 0.2
  done
}

health_url() {
  case $1 in
    prometheus) echo "http://127.0.0.1:$PROMETHEUS_PORT/-/ready" ;;
    alertmanager) echo "http://127.0.0.1:$ALERTMANAGER_PORT/-/ready" ;;
    inference-gateway) echo "http://127.0.0.1:$DEMO_PORT/healthz" ;;
    alert-router) echo "http://127.0.0.1:$ROUTER_PORT/healthz" ;;
  esac
}

fail_with_log() {
  local name=$1 reason=$2
  echo "error: $name $reason" >&2
  if [[ -f $LOG_DIR/$name.log ]]; then
    echo "---- last 40 lines of $LOG_DIR/$name.log ----" >&2
    tail -n 40 "$LOG_DIR/$name.log" >&2
    echo "----" >&2
  fi
  echo "Other services were left running; stop them with: npm run stack:down" >&2
  exit 1
}

# Sets CMD to the command line of one service (an array, so paths may contain spaces).
service_command() {
  local token=$RUN_DIR/secrets/webhook-token
  case $1 in
    prometheus)
      CMD=(prometheus --config.file "$RUN_DIR/prometheus/prometheus.yml"
        --storage.tsdb.path "$RUN_DIR/data/prometheus" --storage.tsdb.retention.time 31d
        --web.listen-address "127.0.0.1:$PROMETHEUS_PORT" --web.external-url "http://127.0.0.1:$PROMETHEUS_PORT" --web.enable-lifecycle --web.enable-admin-api) ;;
    alertmanager)
      # Empty cluster address: a lone native Alertmanager must not gossip on 9094.
      CMD=(prometheus-alertmanager --config.file "$RUN_DIR/alertmanager/alertmanager.yml"
        --storage.path "$RUN_DIR/data/alertmanager"
        --web.listen-address "127.0.0.1:$ALERTMANAGER_PORT" --web.external-url "http://127.0.0.1:$ALERTMANAGER_PORT" --cluster.listen-address=) ;;
    inference-gateway)
      CMD=(env "PORT=$DEMO_PORT" "DEMO_PORT=$DEMO_PORT" npx tsx demo/inference-gateway.ts) ;;
    alert-router)
      CMD=(env "PORT=$ROUTER_PORT" "WEBHOOK_BEARER_TOKEN_FILE=$token"
        "PROMETHEUS_URL=http://127.0.0.1:$PROMETHEUS_PORT" "ALERTMANAGER_URL=http://127.0.0.1:$ALERTMANAGER_PORT"
        "PUBLIC_URL=http://127.0.0.1:$ROUTER_PORT" "REDIS_URL=redis://127.0.0.1:$REDIS_PORT" npx tsx src/main.ts) ;;
  esac
}

# Starts one service unless it is already up. Returns 0 if it should then be health-checked.
start_service() {
  local name=$1 pid
  if pid=$(running_pid "$name"); then
    info "$name: already running (pid $pid)"
    # Configs were just regenerated; a reload picks up rule or route edits without a restart.
    case $name in
      prometheus | alertmanager) curl -fsS -X POST "$(health_url "$name" | sed 's#/-/ready#/-/reload#')" >/dev/null \
        || echo "warning: $name did not accept /-/reload; see $LOG_DIR/$name.log" >&2 ;;
    esac
    return 0
  fi
  if curl -fsS -m 2 -o /dev/null "$(health_url "$name")" 2>/dev/null; then
    echo "warning: $name: something not started by stack-up already answers $(health_url "$name"); leaving it alone" >&2
    return 1
  fi
  service_command "$name"
  mkdir -p "$RUN_DIR/data/$name"
  info "$name: starting (log: $LOG_DIR/$name.log)"
  echo "---- $(date -Is) starting: ${CMD[*]}" >>"$LOG_DIR/$name.log"
  # setsid makes the pid a process-group leader, so stack-down can stop npx, tsx and node together.
  setsid "${CMD[@]}" >>"$LOG_DIR/$name.log" 2>&1 </dev/null &
  echo $! >"$PID_DIR/$name.pid"
}

wait_healthy() {
  local name=$1 url pid deadline=$((SECONDS + TIMEOUT))
  url=$(health_url "$name")
  until curl -fsS -m 2 -o /dev/null "$url" 2>/dev/null; do
    if [[ -f $PID_DIR/$name.pid ]] && ! pid=$(running_pid "$name"); then
      rm -f "$PID_DIR/$name.pid"
      fail_with_log "$name" "exited during start-up"
    fi
    ((SECONDS < deadline)) || fail_with_log "$name" "not healthy at $url after ${TIMEOUT}s"
    sleep 0.5
  done
  info "$name: healthy ($url)"
}

ensure_node_modules
prepare_configs
if ((PREPARE_ONLY)); then exit 0; fi

ensure_binaries
mkdir -p "$PID_DIR" "$LOG_DIR" "$RUN_DIR/data"
ensure_redis

to_check=()
for name in "${SERVICES[@]}"; do
  if [[ $name == alert-router && ! -f src/main.ts ]]; then
    echo "warning: src/main.ts does not exist yet; alert-router not started" >&2
    continue
  fi
  if start_service "$name"; then to_check+=("$name"); fi
done
for name in "${to_check[@]}"; do wait_healthy "$name"; done

cat <<SUMMARY

Stack is up (state in $RUN_DIR):
  Prometheus       http://127.0.0.1:$PROMETHEUS_PORT   (alerts: /alerts, targets: /targets)
  Alertmanager     http://127.0.0.1:$ALERTMANAGER_PORT
  alert-router     http://127.0.0.1:$ROUTER_PORT/outbox   runbooks: http://127.0.0.1:$ROUTER_PORT/runbooks
  demo gateway     http://127.0.0.1:$DEMO_PORT/metrics
  webhook token    $RUN_DIR/secrets/webhook-token
  logs             $LOG_DIR/

Inject a fault:    npm run demo:fault -- --error-rate 0.2 --duration 600 --url http://127.0.0.1:$DEMO_PORT
Clear it:          npm run demo:fault -- --clear --url http://127.0.0.1:$DEMO_PORT
Stop the stack:    npm run stack:down        (add -- --purge to delete data)
SUMMARY
