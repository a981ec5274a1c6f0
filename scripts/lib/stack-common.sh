# Shared by stack-up.sh and stack-down.sh: where the native stack keeps its state, and how to
# tell whether a process we recorded is still one we started. Sourced, not executed.
#
# Each service is started under setsid, so its pid is also the id of a new process group that
# holds everything it spawns. The state file $PID_DIR/<name>.pid is written the moment the
# process is spawned and holds "<pid> <start time>": the start time (field 22 of
# /proc/<pid>/stat, see proc(5)) tells our process from a stranger that got a recycled pid. We
# never look at command lines: npm, for one, rewrites its own while it starts.

REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RUN_DIR=${RUN_DIR:-$REPO_DIR/.run}
PID_DIR=$RUN_DIR/pids
LOG_DIR=$RUN_DIR/logs

PROMETHEUS_PORT=${PROMETHEUS_PORT:-9090}
ALERTMANAGER_PORT=${ALERTMANAGER_PORT:-9093}
ROUTER_PORT=${ROUTER_PORT:-8080}
DEMO_PORT=${DEMO_PORT:-8000}
REDIS_PORT=${REDIS_PORT:-6379}
NODE_EXPORTER_PORT=${NODE_EXPORTER_PORT:-9100}
PUSHGATEWAY_PORT=${PUSHGATEWAY_PORT:-9091}
FEATURE_STORE_EXPORTER_PORT=${FEATURE_STORE_EXPORTER_PORT:-9101}
MODEL_REGISTRY_EXPORTER_PORT=${MODEL_REGISTRY_EXPORTER_PORT:-9102}
GPU_EXPORTER_PORT=${GPU_EXPORTER_PORT:-9103}
DB_EXPORTER_PORT=${DB_EXPORTER_PORT:-9104}
ML_DEMO_PORT=${ML_DEMO_PORT:-5000}
# The machine's PostgreSQL: the demo's feature store lives in it, postgres-exporter watches it.
PG_URL=${PG_URL:-postgresql://postgres@127.0.0.1:5432/postgres}
FEATURE_STORE_SCHEMA=${FEATURE_STORE_SCHEMA:-feature_store}

# Services in start order; stack-down stops them in reverse (Redis, started first, stops last).
SERVICES=(prometheus alertmanager inference-gateway alert-router node-exporter pushgateway ml-platform
  feature-store-exporter model-registry-exporter gpu-exporter postgres-exporter)

die() { echo "error: $*" >&2; exit 1; }
info() { echo "==> $*"; }

# The port a service listens on, and the variable that moves it.
service_port() {
  case $1 in
    prometheus) echo "$PROMETHEUS_PORT PROMETHEUS_PORT" ;;
    alertmanager) echo "$ALERTMANAGER_PORT ALERTMANAGER_PORT" ;;
    inference-gateway) echo "$DEMO_PORT DEMO_PORT" ;;
    alert-router) echo "$ROUTER_PORT ROUTER_PORT" ;;
    redis) echo "$REDIS_PORT REDIS_PORT" ;;
    node-exporter) echo "$NODE_EXPORTER_PORT NODE_EXPORTER_PORT" ;;
    pushgateway) echo "$PUSHGATEWAY_PORT PUSHGATEWAY_PORT" ;;
    feature-store-exporter) echo "$FEATURE_STORE_EXPORTER_PORT FEATURE_STORE_EXPORTER_PORT" ;;
    model-registry-exporter) echo "$MODEL_REGISTRY_EXPORTER_PORT MODEL_REGISTRY_EXPORTER_PORT" ;;
    gpu-exporter) echo "$GPU_EXPORTER_PORT GPU_EXPORTER_PORT" ;;
    postgres-exporter) echo "$DB_EXPORTER_PORT DB_EXPORTER_PORT" ;;
    ml-platform) echo "$ML_DEMO_PORT ML_DEMO_PORT" ;;
    *) die "unknown service $1" ;;
  esac
}

# Field <n> of /proc/<pid>/stat (proc(5)); fails if the process does not exist. The fields after
# the last ')' (the command name may hold anything) start at field 3.
stat_field() {
  local stat fields
  stat=$(<"/proc/$1/stat") 2>/dev/null || return 1
  stat=${stat##*) }
  read -r -a fields <<<"$stat"
  echo "${fields[$2 - 3]}"
}
# The kernel's start time of a process (clock ticks since boot): survives exec, differs for a
# recycled pid.
start_time() { stat_field "$1" 22; }

# Records a process group we just spawned (its leader's pid is its pgid), once setsid has made
# it a group leader: until then a signal to the group would reach nobody.
record_started() {
  local name=$1 pid=$2 started pgrp tries=0
  started=$(start_time "$pid") || started=gone
  echo "$pid $started" >"$PID_DIR/$name.pid"
  while pgrp=$(stat_field "$pid" 5) && [[ $pgrp != "$pid" ]] && ((tries++ < 100)); do sleep 0.05; done
}

# Prints the pgid recorded for a service if any process of that group still runs and the group
# is the one we started; fails otherwise. A pid is never handed out while a process group of
# that number exists, so a live group whose leader is gone is still ours.
running_group() {
  local file=$PID_DIR/$1.pid pid recorded now
  [[ -f $file ]] || return 1
  read -r pid recorded <"$file" || true
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  if now=$(start_time "$pid"); then
    [[ $now == "$recorded" ]] || return 1
  else
    kill -0 -- "-$pid" 2>/dev/null || return 1
  fi
  echo "$pid"
}

# A state file of the stack-up before process groups were recorded with start times holds only a
# pid, which cannot be told from a recycled one: say how to stop it rather than guess (and fail).
legacy_hint() {
  local file=$PID_DIR/$1.pid pid rest
  [[ -f $file ]] || return 0
  read -r pid rest <"$file" || true
  if [[ $pid =~ ^[0-9]+$ && -z $rest ]] && kill -0 "$pid" 2>/dev/null; then
    echo "note: $file is from an older stack-up; if pid $pid is its $1, stop it with: kill -- -$pid" >&2
    return 1
  fi
}

# Succeeds if something accepts TCP connections on 127.0.0.1:<port>.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# "redis-server (pid 123)" for whatever listens on a port, as far as ss can tell.
port_owner() {
  local line
  line=$(ss -Hltnp "sport = :$1" 2>/dev/null | head -n 1)
  if [[ $line =~ \(\(\"([^\"]+)\",pid=([0-9]+) ]]; then
    # ss shows the thread name (/proc/pid/comm), which Node 24 sets to "MainThread": the
    # executable's name says what it is, where we may read it.
    local exe
    exe=$(readlink "/proc/${BASH_REMATCH[2]}/exe" 2>/dev/null) || exe=${BASH_REMATCH[1]}
    echo "${exe##*/} (pid ${BASH_REMATCH[2]})"
  else
    echo "another process"
  fi
}
