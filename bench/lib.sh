# Shared functions of the benchmark scripts. Sourced by bench/run.sh; not meant to be run alone.
# Everything started here is recorded by PID and stopped on exit (trap), whatever happens.

: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME
JAVA="$JAVA_HOME/bin/java"
SERVER_JAR=${SERVER_JAR:-server/target/switchboard-server.jar}  # another build: SERVER_JAR=path bench/run.sh ...
SIM_JAR=client-sim/target/switchboard-client-sim.jar
: "${BENCH_PORT_BASE:=18400}"          # PG = base, nodes = base+1..3, baseline = base+90
# The nodes' JVM flags: by default the file the README command, the image and k8s use (SERVER_JAVA_OPTS=" ": none)
: "${SERVER_JAVA_OPTS:=@conf/jvm.options}"
PG_PORT=$((BENCH_PORT_BASE))
BASELINE_PORT=$((BENCH_PORT_BASE + 90))
export SWITCHBOARD_TOKEN_HMAC_SECRET="bench-secret-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
export SWITCHBOARD_API_KEY="bench-key-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"

declare -A NODE_PID=()
BASELINE_PID=""
PG_PID=""
SIM_PID=""

log() { printf '[bench %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

bench_init() {
  local mode=$1
  # 19k+ sockets per process need the file limit raised up to the hard limit (20,000 on the reference machine).
  ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
  if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt 20000 ]; then
    log "warning: open files limited to $(ulimit -n); the big scenarios need 20000"
  fi
  OUT="${BENCH_OUT:-bench/results/$(date +%Y%m%d-%H%M%S)-$mode}"
  mkdir -p "$OUT"
  OUT=$(cd "$OUT" && pwd)
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
  log "results in $OUT"
  {
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "cores: $(nproc)"
    echo "memory: $(free -g | awk '/Mem:/{print $2" GiB"}')"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
    echo "kernel: $(uname -r)"
    echo "java: $("$JAVA" -version 2>&1 | head -1)"
    echo "open files: $(ulimit -n)"
    echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  } > "$OUT/machine.txt"
}

build_if_needed() {
  if [ -f "$SERVER_JAR" ] && [ -f "$SIM_JAR" ] && [ -z "${BENCH_BUILD:-}" ]; then
    return
  fi
  log "building (mvn package, tests skipped)"
  mvn -q -B -o -DskipTests package || mvn -q -B -DskipTests package
}

# stop PID [seconds]: SIGTERM, then SIGKILL after the grace period. Only our own PIDs are passed here.
stop_pid() {
  local pid=$1 grace=${2:-40}
  [ -n "$pid" ] || return 0
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq $((grace * 10))); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  log "pid $pid did not stop in ${grace}s: SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
}

bench_cleanup() {
  local rc=$?
  trap - EXIT
  [ -n "$SIM_PID" ] && stop_pid "$SIM_PID" 10
  for i in "${!NODE_PID[@]}"; do stop_pid "${NODE_PID[$i]}" 45; done
  stop_pid "$BASELINE_PID" 10
  stop_pid "${PROXY_BACKEND_PID:-}" 10
  stop_pid "${SOKETI_PID:-}" 10
  if [ -n "$PG_PID" ]; then
    exec 7>&- 2>/dev/null || true   # closing the launcher's stdin stops PostgreSQL
    stop_pid "$PG_PID" 60
  fi
  log "stopped everything this run started"
  exit $rc
}

# A throwaway PostgreSQL (the server jar's embedded binaries), data under $OUT/pg. Stops when fd 7 closes.
start_pg() {
  log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
  rm -f "$OUT/pg.stdin"; mkfifo "$OUT/pg.stdin"
  "$JAVA" -cp "$SERVER_JAR" bench/PgLauncher.java "$OUT/pg" "$PG_PORT" < "$OUT/pg.stdin" > "$OUT/pg.log" 2>&1 &
  PG_PID=$!
  exec 7>"$OUT/pg.stdin"
  for _ in $(seq 1200); do
    grep -q '^PG_READY' "$OUT/pg.log" 2>/dev/null && { log "PostgreSQL ready (pid $PG_PID)"; return 0; }
    kill -0 "$PG_PID" 2>/dev/null || { cat "$OUT/pg.log" >&2; return 1; }
    sleep 0.1
  done
  log "PostgreSQL did not start"; return 1
}

node_port() { echo $((BENCH_PORT_BASE + $1)); }
node_url() { echo "ws://127.0.0.1:$(node_port "$1")/connection/websocket"; }
node_api() { echo "http://127.0.0.1:$(node_port "$1")/api"; }

# start_node I SIZE: node I (1-based). SIZE 0: standalone with its own embedded PostgreSQL; 1: standalone on the
# shared PostgreSQL; 2 or more: a member of a cluster of that size on the shared PostgreSQL.
start_node() {
  local i=$1 size=$2 port; port=$(node_port "$i")
  local env=(SWITCHBOARD_HTTP_PORT="$port" SWITCHBOARD_HTTP_HOST=127.0.0.1 SWITCHBOARD_DATA_DIR="$OUT/node$i"
    SWITCHBOARD_DEMO=false SWITCHBOARD_NODE_NAME="bench-$i" SWITCHBOARD_DRAIN_WINDOW=2s SWITCHBOARD_SHUTDOWN_GRACE=20s)
  if [ "$size" -ge 1 ]; then
    env+=(SWITCHBOARD_PG_URL="postgresql://postgres@127.0.0.1:$PG_PORT/switchboard")
  fi
  if [ "$size" -ge 2 ]; then
    local members="" m
    for m in $(seq "$size"); do members+="${members:+,}127.0.0.1:$((BENCH_PORT_BASE + 100 + m))"; done
    env+=(SWITCHBOARD_CLUSTER_MEMBERS="$members" SWITCHBOARD_CLUSTER_HOST=127.0.0.1
      SWITCHBOARD_CLUSTER_PORT=$((BENCH_PORT_BASE + 100 + i)) SWITCHBOARD_EVENTBUS_PORT=$((BENCH_PORT_BASE + 200 + i)))
  fi
  log "starting node $i on 127.0.0.1:$port (cluster size $size)"
  # shellcheck disable=SC2086
  env "${env[@]}" "$JAVA" $SERVER_JAVA_OPTS ${NODE_JAVA_OPTS:-} -jar "$SERVER_JAR" --conf "${BENCH_CONF:-bench/bench.yaml}" > "$OUT/node$i.log" 2>&1 &
  NODE_PID[$i]=$!
}

wait_node() {
  local i=$1 port; port=$(node_port "$i")
  for _ in $(seq 1800); do
    if curl -fs -o /dev/null "http://127.0.0.1:$port/health/ready"; then
      log "node $i ready (pid ${NODE_PID[$i]})"; return 0
    fi
    kill -0 "${NODE_PID[$i]}" 2>/dev/null || { tail -20 "$OUT/node$i.log" >&2; return 1; }
    sleep 0.1
  done
  log "node $i not ready after 180s"; tail -20 "$OUT/node$i.log" >&2; return 1
}

stop_node() {
  local i=$1
  log "stopping node $i"
  stop_pid "${NODE_PID[$i]:-}" 45
  unset "NODE_PID[$i]"
}

# start_cluster N: node 1 first (it runs the migrations), then the others together.
start_cluster() {
  local n=$1 i
  start_node 1 "$n"; wait_node 1
  for i in $(seq 2 "$n"); do start_node "$i" "$n"; done
  for i in $(seq 2 "$n"); do wait_node "$i"; done
}

node_pids() { local IFS=,; echo "${NODE_PID[*]}"; }

# The postmaster of the shared PostgreSQL (pg_ctl detaches it from the launcher, so it is found by its pid file;
# its backends are its children, which the sampler adds).
pg_pid() { head -1 "$OUT/pg/postgres/postmaster.pid"; }

start_baseline() {
  log "starting the plain Vert.x baseline on 127.0.0.1:$BASELINE_PORT"
  "$JAVA" $SERVER_JAVA_OPTS --enable-native-access=ALL-UNNAMED -cp "$SIM_JAR" bench/baseline/BroadcastServer.java "$BASELINE_PORT" > "$OUT/baseline.log" 2>&1 &
  BASELINE_PID=$!
  for _ in $(seq 600); do
    grep -q 'baseline broadcast server on' "$OUT/baseline.log" 2>/dev/null && return 0
    kill -0 "$BASELINE_PID" 2>/dev/null || { cat "$OUT/baseline.log" >&2; return 1; }
    sleep 0.1
  done
  return 1
}

stop_baseline() { stop_pid "$BASELINE_PID" 10; BASELINE_PID=""; }

# sim NAME SCENARIO ARGS...: one client-sim run; result in $OUT/NAME.json and .html, output in $OUT/NAME.log.
sim() {
  local name=$1; shift
  log "run $name: client-sim $*"
  "$JAVA" -Xms256m -Xmx2g -jar "$SIM_JAR" "$@" --json "$OUT/$name.json" > "$OUT/$name.out" 2> >(tee "$OUT/$name.log" >&2) &
  SIM_PID=$!
  local rc=0
  wait "$SIM_PID" || rc=$?
  SIM_PID=""
  cat "$OUT/$name.out" >&2
  [ "$rc" -eq 0 ] || log "run $name ended with exit code $rc"
  return 0
}

summarize() {
  "$JAVA" -cp "$SIM_JAR" bench/Summary.java "$OUT" | tee "$OUT/summary.md"
}
