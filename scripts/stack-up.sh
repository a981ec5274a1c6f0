#!/usr/bin/env bash
# Starts the monitoring stack natively (no Docker): Redis, Prometheus, Alertmanager, the demo
# inference gateway and alert-router, node-exporter, the Pushgateway, the ML-platform demo, the
# feature-store, model-registry and GPU exporters and postgres-exporter (against the machine's
# PostgreSQL, PG_URL), each in the background with logs in .run/logs/.
#
#   bash scripts/stack-up.sh                    # start (or confirm) the whole stack
#   bash scripts/stack-up.sh --prepare-only     # only generate .run/ configs (used by tests)
#   RUN_DIR=/tmp/x bash scripts/stack-up.sh --prepare-only
#
# Ports: PROMETHEUS_PORT ALERTMANAGER_PORT ROUTER_PORT DEMO_PORT REDIS_PORT NODE_EXPORTER_PORT
# PUSHGATEWAY_PORT FEATURE_STORE_EXPORTER_PORT MODEL_REGISTRY_EXPORTER_PORT GPU_EXPORTER_PORT
# DB_EXPORTER_PORT ML_DEMO_PORT; PG_URL, FEATURE_STORE_SCHEMA; STACK_TIMEOUT (s).
# Running it again keeps what it started earlier and starts the rest. If a start fails, what this
# run started is stopped again. Stop with scripts/stack-down.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/stack-common.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/use-node.sh"

PREPARE_ONLY=0
while [[ $# -gt 0 ]]; do
  case $1 in
    --prepare-only | --dry-run) PREPARE_ONLY=1 ;;
    --run-dir) [[ $# -ge 2 ]] || die "--run-dir needs a directory"; RUN_DIR=$2; shift ;;
    -h | --help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1 (try --help)" ;;
  esac
  shift
done
mkdir -p "$RUN_DIR"
RUN_DIR=$(cd "$RUN_DIR" && pwd)
PID_DIR=$RUN_DIR/pids
SIGNING_SECRET=$RUN_DIR/secrets/slack-signing-secret
LOG_DIR=$RUN_DIR/logs
TIMEOUT=${STACK_TIMEOUT:-60}
cd "$REPO_DIR"
# alert-router and the demo run on the supported Node.js, fetched once if this machine's is older.
use_node

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
  command -v prometheus-node-exporter >/dev/null || missing+=(prometheus-node-exporter)
  command -v prometheus-pushgateway >/dev/null || missing+=(prometheus-pushgateway)
  command -v prometheus-postgres-exporter >/dev/null || missing+=(prometheus-postgres-exporter)
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
    --port "alert-router=$ROUTER_PORT" --port "inference-gateway=$DEMO_PORT" --port "redis=$REDIS_PORT" \
    --port "node-exporter=$NODE_EXPORTER_PORT" --port "pushgateway=$PUSHGATEWAY_PORT" \
    --port "feature-store-exporter=$FEATURE_STORE_EXPORTER_PORT" --port "model-registry-exporter=$MODEL_REGISTRY_EXPORTER_PORT" \
    --port "gpu-exporter=$GPU_EXPORTER_PORT" --port "postgres-exporter=$DB_EXPORTER_PORT" --port "ml-platform=$ML_DEMO_PORT"
}

# The demo's Slack signing secret: with one, alert-router's Slack messages carry Slack actions
# (Acknowledge, the Silence menu) and the outbox shows them. Nothing in the demo signs clicks with
# it; a real Slack app's comes from its settings. Kept once made, like the webhook token
# (scripts/lib/prepare-run-config.ts): a running alert-router read it at start-up. An empty file
# would turn actions off, so it is made anew.
ensure_signing_secret() {
  if [[ ! -s $SIGNING_SECRET ]]; then
    # umask 077: the directory (if new) and the file are never readable by others, not even briefly.
    (umask 077 && mkdir -p "${SIGNING_SECRET%/*}" \
      && od -An -vtx1 -N32 /dev/urandom | tr -d ' \n' >"$SIGNING_SECRET.tmp" && echo >>"$SIGNING_SECRET.tmp" \
      && mv "$SIGNING_SECRET.tmp" "$SIGNING_SECRET")
  fi
  chmod 600 "$SIGNING_SECRET"
}

health_url() {
  case $1 in
    prometheus) echo "http://127.0.0.1:$PROMETHEUS_PORT/-/ready" ;;
    alertmanager) echo "http://127.0.0.1:$ALERTMANAGER_PORT/-/ready" ;;
    inference-gateway) echo "http://127.0.0.1:$DEMO_PORT/healthz" ;;
    alert-router) echo "http://127.0.0.1:$ROUTER_PORT/healthz" ;;
    node-exporter) echo "http://127.0.0.1:$NODE_EXPORTER_PORT/metrics" ;;
    pushgateway) echo "http://127.0.0.1:$PUSHGATEWAY_PORT/-/ready" ;;
    ml-platform) echo "http://127.0.0.1:$ML_DEMO_PORT/healthz" ;;
    feature-store-exporter) echo "http://127.0.0.1:$FEATURE_STORE_EXPORTER_PORT/healthz" ;;
    model-registry-exporter) echo "http://127.0.0.1:$MODEL_REGISTRY_EXPORTER_PORT/healthz" ;;
    gpu-exporter) echo "http://127.0.0.1:$GPU_EXPORTER_PORT/healthz" ;;
    postgres-exporter) echo "http://127.0.0.1:$DB_EXPORTER_PORT/metrics" ;;
  esac
}

healthy() {
  if [[ $1 == redis ]]; then redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG
  else curl -fsS -m 2 -o /dev/null "$(health_url "$1")" 2>/dev/null; fi
}

# What this run started, so a failure part-way can stop exactly that again.
STARTED=()
on_failure() {
  ((${#STARTED[@]})) || return 0
  echo "stopping what this run started: ${STARTED[*]}" >&2
  STACK_DOWN_ONLY="${STARTED[*]}" bash "$REPO_DIR/scripts/stack-down.sh" >&2 || true
}

fail_with_log() {
  local name=$1 reason=$2
  echo "error: $name $reason" >&2
  if [[ -f $LOG_DIR/$name.log ]]; then
    echo "---- last 40 lines of $LOG_DIR/$name.log ----" >&2
    tail -n 40 "$LOG_DIR/$name.log" >&2
    echo "----" >&2
  fi
  on_failure
  exit 1
}

# Sets CMD to the command line of one service (an array, so paths may contain spaces). The node
# programs run as `node --import tsx` with no npm/npx wrapper in between.
service_command() {
  local token=$RUN_DIR/secrets/webhook-token
  case $1 in
    redis)
      # noeviction: BullMQ loses jobs silently under any evicting policy. appendonly: queued
      # deliveries survive a restart, which is the point of queueing them. Not daemonized, so it
      # stays the process (and group) we recorded.
      CMD=(redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize no
        --maxmemory-policy noeviction --appendonly yes --dir "$RUN_DIR/redis") ;;
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
      CMD=(env "PORT=$DEMO_PORT" "DEMO_PORT=$DEMO_PORT" node --import tsx demo/inference-gateway.ts) ;;
    alert-router)
      CMD=(env "PORT=$ROUTER_PORT" "WEBHOOK_BEARER_TOKEN_FILE=$token" "SLACK_SIGNING_SECRET_FILE=$SIGNING_SECRET"
        "PROMETHEUS_URL=http://127.0.0.1:$PROMETHEUS_PORT" "ALERTMANAGER_URL=http://127.0.0.1:$ALERTMANAGER_PORT"
        "PUBLIC_URL=http://127.0.0.1:$ROUTER_PORT" "REDIS_URL=redis://127.0.0.1:$REDIS_PORT" node --import tsx src/main.ts) ;;
    node-exporter)
      CMD=(prometheus-node-exporter "--web.listen-address=127.0.0.1:$NODE_EXPORTER_PORT") ;;
    pushgateway)
      CMD=(prometheus-pushgateway "--web.listen-address=127.0.0.1:$PUSHGATEWAY_PORT"
        "--persistence.file=$RUN_DIR/data/pushgateway/persistence" --persistence.interval=5m) ;;
    ml-platform)
      CMD=(env "ML_DEMO_PORT=$ML_DEMO_PORT" "FEATURE_STORE_DATABASE_URL=$PG_URL" "FEATURE_STORE_SCHEMA=$FEATURE_STORE_SCHEMA" "GPU_QUERY_FILE=$GPU_QUERY_FILE"
        node --import tsx demo/ml-platform.ts) ;;
    feature-store-exporter)
      CMD=(env "EXPORTER_PORT=$FEATURE_STORE_EXPORTER_PORT" "FEATURE_STORE_DATABASE_URL=$PG_URL" "FEATURE_STORE_SCHEMA=$FEATURE_STORE_SCHEMA"
        node --import tsx exporters/feature-store/main.ts) ;;
    model-registry-exporter)
      CMD=(env "EXPORTER_PORT=$MODEL_REGISTRY_EXPORTER_PORT" "MLFLOW_TRACKING_URI=http://127.0.0.1:$ML_DEMO_PORT"
        node --import tsx exporters/model-registry/main.ts) ;;
    gpu-exporter)
      CMD=(env "EXPORTER_PORT=$GPU_EXPORTER_PORT" "GPU_QUERY_FILE=$GPU_QUERY_FILE" node --import tsx exporters/gpu/main.ts) ;;
    postgres-exporter)
      # The exporter takes its connection string from the environment only.
      CMD=(env "DATA_SOURCE_NAME=$(pg_dsn)" prometheus-postgres-exporter "--web.listen-address=127.0.0.1:$DB_EXPORTER_PORT") ;;
  esac
}

# postgres-exporter's libpq URL: PG_URL with sslmode=disable unless PG_URL sets one (a local
# server has no TLS, and the exporter's driver otherwise insists on it).
pg_dsn() {
  if [[ $PG_URL == *sslmode=* ]]; then echo "$PG_URL"
  elif [[ $PG_URL == *\?* ]]; then echo "$PG_URL&sslmode=disable"
  else echo "$PG_URL?sslmode=disable"; fi
}

# Without a GPU here, the GPU exporter reads nvidia-smi output from a file the demo's GPU fault
# writes (no file: "no devices"); with nvidia-smi on the machine it reads the real GPUs.
if command -v nvidia-smi >/dev/null 2>&1; then GPU_QUERY_FILE=; else GPU_QUERY_FILE=$RUN_DIR/gpu/nvidia-smi.csv; fi

# Debian's packaged exporters may already run as system services on their default ports; one
# answering there is used as it is, like a Redis already on its port.
reusable() {
  case $1 in
    redis | node-exporter | pushgateway) return 0 ;;
    *) return 1 ;;
  esac
}

# Starts one service unless our earlier run's copy is still up. A port held by anything else
# stops the run: it is not ours to use or to stop.
start_service() {
  local name=$1 pgid port var
  read -r port var <<<"$(service_port "$name")"
  if pgid=$(running_group "$name"); then
    info "$name: already running from an earlier stack-up (process group $pgid); keeping it"
    # Configs were just regenerated; a reload picks up rule or route edits without a restart.
    case $name in
      prometheus | alertmanager) curl -fsS -X POST "$(health_url "$name" | sed 's#/-/ready#/-/reload#')" >/dev/null \
        || echo "warning: $name did not accept /-/reload; see $LOG_DIR/$name.log" >&2 ;;
    esac
    return 0
  fi
  # An older stack-up's live process holds the port: stop here with the hint, keeping its state file.
  legacy_hint "$name" || return 1
  rm -f "$PID_DIR/$name.pid"
  if port_open "$port"; then
    if reusable "$name" && healthy "$name"; then
      info "$name: using the $name already answering on 127.0.0.1:$port (not ours; stack-down leaves it and its data)"
      return 0
    fi
    echo "error: port $port ($name) is taken by $(port_owner "$port"), which stack-up did not start; stop it or set $var to a free port" >&2
    on_failure
    exit 1
  fi
  service_command "$name"
  mkdir -p "$RUN_DIR/data/$name"
  info "$name: starting (log: $LOG_DIR/$name.log)"
  echo "---- $(date -Is) starting: ${CMD[*]}" >>"$LOG_DIR/$name.log"
  # The script runs without job control, so the background child is not a group leader and
  # setsid makes it one in place (no fork): $! is the new group's id from the first instant.
  # 9>&-: the service must not inherit (and so hold) the lock.
  setsid "${CMD[@]}" >>"$LOG_DIR/$name.log" 2>&1 </dev/null 9>&- &
  record_started "$name" $!
  STARTED+=("$name")
}

wait_healthy() {
  local name=$1 deadline=$((SECONDS + TIMEOUT)) what
  what=$([[ $name == redis ]] && echo "PING on 127.0.0.1:$REDIS_PORT" || health_url "$name")
  until healthy "$name"; do
    if [[ -f $PID_DIR/$name.pid ]] && ! running_group "$name" >/dev/null; then
      fail_with_log "$name" "exited during start-up"
    fi
    ((SECONDS < deadline)) || fail_with_log "$name" "not healthy at $what after ${TIMEOUT}s"
    sleep 0.5
  done
  info "$name: healthy ($what)"
}

ensure_node_modules
prepare_configs
ensure_signing_secret
if ((PREPARE_ONLY)); then exit 0; fi

ensure_binaries
mkdir -p "$PID_DIR" "$LOG_DIR" "$RUN_DIR/data" "$RUN_DIR/redis" "$RUN_DIR/gpu"
# One stack-up or stack-down at a time per run directory.
exec 9>"$RUN_DIR/.lock"
flock -n 9 || die "another stack-up or stack-down is running on $RUN_DIR"
trap 'on_failure; exit 130' INT TERM

start_service redis
wait_healthy redis
for name in "${SERVICES[@]}"; do start_service "$name"; done
for name in "${SERVICES[@]}"; do wait_healthy "$name"; done
trap - INT TERM

cat <<SUMMARY

Stack is up (state in $RUN_DIR):
  Prometheus       http://127.0.0.1:$PROMETHEUS_PORT   (alerts: /classic/alerts, targets: /classic/targets)
  Alertmanager     http://127.0.0.1:$ALERTMANAGER_PORT   (Debian's package has no web UI, so Silence links
                   open an empty page; silence with: amtool --alertmanager.url=http://127.0.0.1:$ALERTMANAGER_PORT silence add alertname=...)
  alert-router     http://127.0.0.1:$ROUTER_PORT/outbox   runbooks: http://127.0.0.1:$ROUTER_PORT/runbooks
                   its health: http://127.0.0.1:$ROUTER_PORT/status   failed deliveries: http://127.0.0.1:$ROUTER_PORT/failures
  demo gateway     http://127.0.0.1:$DEMO_PORT/metrics
  ML platform demo http://127.0.0.1:$ML_DEMO_PORT/fault   (MLflow API: /api/2.0/mlflow/; feature store in PostgreSQL, PG_URL)
  exporters        node :$NODE_EXPORTER_PORT  pushgateway :$PUSHGATEWAY_PORT  feature-store :$FEATURE_STORE_EXPORTER_PORT  model-registry :$MODEL_REGISTRY_EXPORTER_PORT  gpu :$GPU_EXPORTER_PORT  postgres :$DB_EXPORTER_PORT
  Grafana          not in the native stack: the dashboards (:3000) run with docker compose up
  webhook token    $RUN_DIR/secrets/webhook-token
  Slack signing    $SIGNING_SECRET   (Slack actions on: the outbox shows Acknowledge and Silence)
  logs             $LOG_DIR/

Inject a fault:    npm run demo:fault -- --error-rate 0.2 --duration 600 --url http://127.0.0.1:$DEMO_PORT
Exporter faults:   npm run demo:fault -- --stale-feature-view driver_hourly_stats   (or --gpu-temp 92, --db-pool-exhaustion, --slow-query)
Clear it:          npm run demo:fault -- --clear --url http://127.0.0.1:$DEMO_PORT
Old demo state:    npm run reset -- --yes    (after stack:down: deletes alert-router's keys in Redis; without --yes it lists them)
Stop the stack:    npm run stack:down        (add -- --purge to delete data)
SUMMARY
