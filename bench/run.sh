#!/usr/bin/env bash
# Switchboard benchmarks: starts PostgreSQL, 1 to 3 server nodes, the plain Vert.x baseline and client-sim,
# runs the scenarios, samples server CPU and RSS from /proc, writes every result under bench/results/, prints a
# summary table, and stops everything it started (by PID, on any exit).
#
#   bench/run.sh quick        # under a minute: fan-out on one node and on plain Vert.x, with the overhead ratio
#   bench/run.sh full         # every target of docs/benchmarks.md (about 20 to 40 minutes on 2 cores)
#   bench/run.sh NAME...      # some of: baseline fanout1 chat chatlight chat2 notify fanout3 idle storm reconnect
#                             #   fanout-protocols
#   bench/run.sh fanout-protocols   # fan-out to 10,000 on one node, all JSON, all Protobuf, half and half
#   bench/run.sh handshake    # a fresh node, 3 rounds of 10,000 connects (JWT + one subscribe): cold and warm CPU
#                             #   per connect, RSS per idle connection (SERVER_JAVA_OPTS= the node's JVM flags)
#   bench/run.sh restart      # the reconnect storm: 15,000 clients on one node, restarted (SIGTERM, then kill -9);
#                             #   client-sim's `storm` times every client back after the node is ready again
#   bench/run.sh chat-proxy   # chat on one node without, then with, a publish proxy on every message (docs/proxy.md)
#   bench/run.sh fanout-pusher  # fan-out to 10,000 on one node: Centrifugo JSON clients, then Pusher clients
#                             #   published through the server API (pusher-api) and through the Pusher HTTP API (pusher),
#                             #   PROTOCOLS_ROUNDS times; and Soketi when SOKETI_BIN is set (PUSHER_RUNS picks and orders)
#
# Sizes can be changed through the environment (see the defaults below), e.g. FANOUT_N=5000 bench/run.sh fanout1.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

: "${FANOUT_N:=15000}" "${FANOUT_RATE:=10}" "${FANOUT_BYTES:=100}" "${FANOUT_DURATION:=15s}"
: "${IDLE_N:=45000}" "${IDLE_DURATION:=20s}"
: "${STORM_N:=30000}" "${STORM_CONCURRENCY:=1000}"
: "${CHAT_N:=5000}" "${CHAT_ROOM:=50}" "${CHAT_INTERVAL:=250ms}" "${CHAT_DURATION:=15s}" "${CHAT_LIGHT_INTERVAL:=5s}"
: "${CHAT2_N:=10000}" "${CHAT2_INTERVAL:=500ms}"   # chat2: rooms of 2, so persistence, not fan-out, is the limit
# Warm-up before the measured window: the JIT is still compiling the hot paths for the first ~30 s of load.
: "${WARMUP:=10s}"
: "${NOTIFY_N:=10000}" "${NOTIFY_RATE:=5000}" "${NOTIFY_DURATION:=15s}"
: "${RECONNECT_PROCS:=1}" "${RECONNECT_N:=15000}" "${RECONNECT_RATE:=200}" "${RECONNECT_DURATION:=60s}" "${RECONNECT_KILL_AFTER:=10s}"
: "${CLIENT_PROCS:=3}"
: "${RESTART_N:=15000}" "${RESTART_ROOM:=10}" "${RESTART_RATE:=100}" "${RESTART_DURATION:=45s}" "${RESTART_AFTER:=10s}"
: "${RESTART_SIGNALS:=term kill}"
# handshake, restart: client-sim's lean WebSocket client, so that the storm measures the server, not client-sim
: "${WS_CLIENT:=lean}"
# handshake: one fresh node, HANDSHAKE_ROUNDS rounds of HANDSHAKE_N connects; round 1 is cold, the last warm
: "${HANDSHAKE_N:=10000}" "${HANDSHAKE_ROUNDS:=3}" "${HANDSHAKE_HOLD:=30s}"
# fanout-protocols: one fresh node per run, in this order, ROUNDS times (alternating rounds even out drift)
: "${PROTOCOLS_N:=10000}" "${PROTOCOLS:=json protobuf mixed}" "${PROTOCOLS_ROUNDS:=1}"
SOURCE_IPS=127.0.0.2,127.0.0.3,127.0.0.4
COMMON=(--ramp-timeout 900s --concurrency 300 --connect-timeout 30s --warmup "$WARMUP")

run_baseline() {      # fan-out on plain Vert.x: the reference for Switchboard's overhead
  start_baseline
  sim fanout-baseline fanout --raw --url "ws://127.0.0.1:$BASELINE_PORT/ws" --api "http://127.0.0.1:$BASELINE_PORT/api" \
    -n "$FANOUT_N" --rate "$FANOUT_RATE" --payload-bytes "$FANOUT_BYTES" --duration "$FANOUT_DURATION" \
    --procs 2 --server-pids "$BASELINE_PID" "${COMMON[@]}"
  stop_baseline
}

run_single() {        # one node: fan-out, chat (at the target's load, and light), notify
  local what=("$@")
  start_cluster 1
  local u; u=$(node_url 1); local a; a=$(node_api 1)
  for w in "${what[@]}"; do
    case $w in
      fanout1) sim fanout-1node fanout --url "$u" --api "$a" -n "$FANOUT_N" --rate "$FANOUT_RATE" \
        --payload-bytes "$FANOUT_BYTES" --duration "$FANOUT_DURATION" --procs 2 --server-pids "$(node_pids)" "${COMMON[@]}" ;;
      chat) sim chat-1node chat --url "$u" --api "$a" -n "$CHAT_N" --room-size "$CHAT_ROOM" \
        --publish-interval "$CHAT_INTERVAL" --duration "$CHAT_DURATION" --server-pids "$(node_pids),$(pg_pid)" "${COMMON[@]}" ;;
      chatlight) sim chat-light-1node chat --url "$u" --api "$a" -n "$CHAT_N" --room-size "$CHAT_ROOM" \
        --publish-interval "$CHAT_LIGHT_INTERVAL" --duration "$CHAT_DURATION" --server-pids "$(node_pids),$(pg_pid)" "${COMMON[@]}" ;;
      chat2) sim chat-rooms-of-2 chat --url "$u" --api "$a" -n "$CHAT2_N" --room-size 2 \
        --publish-interval "$CHAT2_INTERVAL" --duration "$CHAT_DURATION" --server-pids "$(node_pids),$(pg_pid)" "${COMMON[@]}" ;;
      notify) sim notify-1node notify --url "$u" --api "$a" -n "$NOTIFY_N" --rate "$NOTIFY_RATE" \
        --duration "$NOTIFY_DURATION" --server-pids "$(node_pids),$(pg_pid)" "${COMMON[@]}" ;;
    esac
  done
  stop_node 1
}

run_three() {         # three clustered nodes: fan-out, idle, connect storm, then the node kill
  local what=("$@")
  start_cluster 3
  local urls=(--url "$(node_url 1)" --url "$(node_url 2)" --url "$(node_url 3)")
  local apis=(--api "$(node_api 1)" --api "$(node_api 2)" --api "$(node_api 3)")
  for w in "${what[@]}"; do
    case $w in
      fanout3) sim fanout-3nodes fanout "${urls[@]}" "${apis[@]}" -n "$FANOUT_N" --rate "$FANOUT_RATE" \
        --payload-bytes "$FANOUT_BYTES" --duration "$FANOUT_DURATION" --procs 2 --server-pids "$(node_pids)" "${COMMON[@]}" ;;
      idle) sim idle-3nodes idle "${urls[@]}" -n "$IDLE_N" --duration "$IDLE_DURATION" \
        --procs "$CLIENT_PROCS" --source-ips "$SOURCE_IPS" --server-pids "$(node_pids)" "${COMMON[@]}" ;;
      storm) sim connect-storm-3nodes connect-storm "${urls[@]}" -n "$STORM_N" --duration 1s --warmup 0s \
        --procs "$CLIENT_PROCS" --source-ips "$SOURCE_IPS" --server-pids "$(node_pids)" \
        --ramp-timeout 900s --connect-timeout 60s --concurrency "$STORM_CONCURRENCY" ;;
      reconnect)
        # every client on node 1, which is killed; the API publishes through node 2
        local victim=${NODE_PID[1]}
        sim reconnect-kill reconnect --pin-first-url "${urls[@]}" --api "$(node_api 2)" --api "$(node_api 3)" \
          -n "$RECONNECT_N" --rate "$RECONNECT_RATE" --duration "$RECONNECT_DURATION" \
          --drop-after "$RECONNECT_KILL_AFTER" --kill-pid "$victim" --procs "$RECONNECT_PROCS" \
          --server-pids "${NODE_PID[2]},${NODE_PID[3]}" "${COMMON[@]}"
        wait "$victim" 2>/dev/null || true
        unset "NODE_PID[1]" ;;
    esac
  done
  local i; for i in "${!NODE_PID[@]}"; do stop_node "$i"; done
}

run_protocols() {     # one node: the same fan-out with every client on JSON, on Protobuf, and half and half
  local r p name
  for r in $(seq "$PROTOCOLS_ROUNDS"); do
    for p in $PROTOCOLS; do
      name="fanout-$p"; [ "$PROTOCOLS_ROUNDS" -eq 1 ] || name+="-$r"
      start_node 1 1; wait_node 1
      sim "$name" fanout --protocol "$p" --url "$(node_url 1)" --api "$(node_api 1)" -n "$PROTOCOLS_N" \
        --rate "$FANOUT_RATE" --payload-bytes "$FANOUT_BYTES" --duration "$FANOUT_DURATION" --procs 2 \
        --server-pids "$(node_pids)" "${COMMON[@]}"
      stop_node 1
    done
  done
}

run_pusher() {        # one node: the same fan-out to Centrifugo JSON clients and to Pusher protocol clients, alternating
  local app=bench key=bench-key secret=bench-secret-0123456789abcdef r p name
  export SWITCHBOARD_PUSHER_APP_ID=$app SWITCHBOARD_PUSHER_APP_KEY=$key SWITCHBOARD_PUSHER_APP_SECRET=$secret
  # the app's public namespace, so that the server API may publish onto its channels (no history, as without it)
  sed "s/^push:/channels:\n  namespaces:\n    pusher_$app: {}\npush:/" bench/bench.yaml > "$OUT/bench-pusher.yaml"
  export BENCH_CONF="$OUT/bench-pusher.yaml"
  local sizes=(-n "$PROTOCOLS_N" --rate "$FANOUT_RATE" --payload-bytes "$FANOUT_BYTES" --duration "$FANOUT_DURATION" --procs 2)
  for r in $(seq "$PROTOCOLS_ROUNDS"); do
    for p in ${PUSHER_RUNS:-json pusher-api pusher soketi}; do
      name="fanout-$p-$r"
      case $p in
        json|pusher|pusher-api)
          start_node 1 1; wait_node 1
          if [ "$p" = json ]; then
            sim "$name" fanout --url "$(node_url 1)" --api "$(node_api 1)" "${sizes[@]}" --server-pids "$(node_pids)" "${COMMON[@]}"
          elif [ "$p" = pusher-api ]; then
            sim "$name" fanout --protocol pusher --url "ws://127.0.0.1:$(node_port 1)/app/$key" --api "$(node_api 1)" \
              --pusher-app "$app:$key:$secret" --pusher-publish api "${sizes[@]}" --server-pids "$(node_pids)" "${COMMON[@]}"
          else
            sim "$name" fanout --protocol pusher --url "ws://127.0.0.1:$(node_port 1)/app/$key" \
              --api "http://127.0.0.1:$(node_port 1)" --pusher-app "$app:$key:$secret" "${sizes[@]}" \
              --server-pids "$(node_pids)" "${COMMON[@]}"
          fi
          stop_node 1 ;;
        soketi)   # SOKETI_BIN: the launcher bench/soketi/install.sh prints (Soketi installed outside the repo)
          [ -n "${SOKETI_BIN:-}" ] || { log "SOKETI_BIN not set: no Soketi run"; continue; }
          local port=$((BENCH_PORT_BASE + 96))
          SOKETI_DEFAULT_APP_ID=$app SOKETI_DEFAULT_APP_KEY=$key SOKETI_DEFAULT_APP_SECRET=$secret SOKETI_PORT=$port \
            SOKETI_METRICS_ENABLED=false "$SOKETI_BIN" start > "$OUT/soketi-$r.log" 2>&1 &
          SOKETI_PID=$!
          for _ in $(seq 300); do curl -fs -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
          sim "$name" fanout --protocol pusher --url "ws://127.0.0.1:$port/app/$key" --api "http://127.0.0.1:$port" \
            --pusher-app "$app:$key:$secret" "${sizes[@]}" --server-pids "$SOKETI_PID" "${COMMON[@]}"
          stop_pid "$SOKETI_PID" 10 ;;
      esac
    done
  done
  unset SWITCHBOARD_PUSHER_APP_ID SWITCHBOARD_PUSHER_APP_KEY SWITCHBOARD_PUSHER_APP_SECRET BENCH_CONF
}

run_chat_proxy() {    # chat without and with a publish proxy to a local backend that answers at once, ROUNDS times
  local port=$((BENCH_PORT_BASE + 95)) r
  sed "s/^push:/proxies:\n  - {name: app, endpoint: \"http:\/\/127.0.0.1:$port\/publish\", timeout: 1s}\nchannels:\n  namespaces:\n    chat:\n      publish_proxy: app\npush:/" \
    bench/bench.yaml > "$OUT/bench-proxy.yaml"
  # shellcheck disable=SC2086
  "$JAVA" $SERVER_JAVA_OPTS -cp "$SIM_JAR" bench/ProxyBackend.java "$port" > "$OUT/proxy-backend.log" 2>&1 &
  PROXY_BACKEND_PID=$!
  for _ in $(seq 600); do grep -q 'proxy backend on' "$OUT/proxy-backend.log" 2>/dev/null && break; sleep 0.1; done
  for r in $(seq "${PROXY_ROUNDS:-1}"); do
    for mode in ${PROXY_MODES:-plain proxy}; do    # PROXY_MODES=proxy: the proxy run alone
      if [ "$mode" = proxy ]; then export BENCH_CONF="$OUT/bench-proxy.yaml"; else export BENCH_CONF=bench/bench.yaml; fi
      start_node 1 1; wait_node 1
      sim "chat-$mode-$r" chat --url "$(node_url 1)" --api "$(node_api 1)" -n "$CHAT_N" --room-size "$CHAT_ROOM" \
        --publish-interval "$CHAT_INTERVAL" --duration "$CHAT_DURATION" --server-pids "$(node_pids),$(pg_pid)" "${COMMON[@]}"
      stop_node 1
    done
  done
  unset BENCH_CONF
  stop_pid "$PROXY_BACKEND_PID" 10
}

run_handshake() {     # a fresh node: ROUNDS x N connects (handshake + JWT + one subscribe), held idle, then closed
  local r
  start_node 1 1; wait_node 1
  for r in $(seq "$HANDSHAKE_ROUNDS"); do
    [ -z "${HANDSHAKE_PROFILER:-}" ] ||   # async-profiler's libasyncProfiler.so: a CPU profile of every round
      "$JAVA" bench/Attach.java "${NODE_PID[1]}" "$HANDSHAKE_PROFILER" "start,event=itimer,interval=500us" >/dev/null
    sim "handshake-$r" connect-storm --room-size 1 --url "$(node_url 1)" -n "$HANDSHAKE_N" --duration "$HANDSHAKE_HOLD" \
      --ws-client "$WS_CLIENT" --warmup 0s --procs 2 --server-pids "$(node_pids)" --ramp-timeout 900s --connect-timeout 60s --concurrency 500
    if [ -n "${HANDSHAKE_PROFILER:-}" ]; then
      "$JAVA" bench/Attach.java "${NODE_PID[1]}" "$HANDSHAKE_PROFILER" "dump,collapsed,file=$OUT/handshake-$r.collapsed"
      "$JAVA" bench/Attach.java "${NODE_PID[1]}" "$HANDSHAKE_PROFILER" "stop,file=$OUT/handshake-$r-flame.html"
    fi
    sleep 3   # the closes of this round are not the next round's connects
  done
  stop_node 1
}

run_restart() {       # reconnect storm: clients on one node, which is stopped (TERM, then KILL) and started again
  local sig old simjob t0 t1
  for sig in $RESTART_SIGNALS; do
    start_node 1 1; wait_node 1
    old=${NODE_PID[1]}
    sim "storm-$sig" storm --url "$(node_url 1)" --api "$(node_api 1)" -n "$RESTART_N" --room-size "$RESTART_ROOM" \
      --rate "$RESTART_RATE" --duration "$RESTART_DURATION" --drop-after "$RESTART_AFTER" --kill-pid "$old" \
      --signal "$sig" --ready-url "http://127.0.0.1:$(node_port 1)/health/ready" --ws-client "$WS_CLIENT" --procs 2 \
      "${COMMON[@]}" &
    simjob=$!
    wait "$old" 2>/dev/null || true   # client-sim signals it; then it is started again at once, as a supervisor would
    log "node 1 (pid $old) exited; starting it again"
    start_node 1 1; wait_node 1
    t0=$(cpu_ticks "${NODE_PID[1]}")
    wait "$simjob" || true
    t1=$(cpu_ticks "${NODE_PID[1]}")
    echo "restarted node: cpu $(( (t1 - t0) * 10 )) ms from ready to the end of the run, $(( t0 * 10 )) ms to ready" \
      | tee "$OUT/storm-$sig-server.txt" >&2
    stop_node 1
  done
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }   # utime + stime, in clock ticks (1/100 s)

run_aot_train() {     # a JDK 25 AOT cache trained on connects: $OUT/switchboard.aot (then SERVER_JAVA_OPTS+=" -XX:AOTCache=...")
  local opts=$SERVER_JAVA_OPTS
  SERVER_JAVA_OPTS="$opts -XX:AOTCacheOutput=$OUT/switchboard.aot"
  start_node 1 1; wait_node 1
  SERVER_JAVA_OPTS=$opts
  sim aot-training connect-storm --room-size 1 --url "$(node_url 1)" -n "$HANDSHAKE_N" --duration 2s --warmup 0s \
    --ws-client "$WS_CLIENT" \
    --procs 2 --server-pids "$(node_pids)" --ramp-timeout 900s --connect-timeout 60s --concurrency 500
  stop_node 1   # the cache is written as the JVM exits
  ls -l "$OUT/switchboard.aot" >&2
}

run_quick() {         # one standalone node (embedded PostgreSQL) against plain Vert.x, small and short
  local n=${QUICK_N:-1000}
  start_baseline
  sim quick-fanout-baseline fanout --raw --url "ws://127.0.0.1:$BASELINE_PORT/ws" --api "http://127.0.0.1:$BASELINE_PORT/api" \
    -n "$n" --rate 10 --duration 5s --warmup 2s --server-pids "$BASELINE_PID"
  stop_baseline
  start_node 1 0; wait_node 1
  sim quick-fanout-1node fanout --url "$(node_url 1)" --api "$(node_api 1)" -n "$n" --rate 10 --duration 5s --warmup 2s \
    --server-pids "$(node_pids)"
  stop_node 1
}

main() {
  local mode=${1:-quick}
  local started=$SECONDS
  bench_init "$mode"
  build_if_needed
  case $mode in
    quick) run_quick ;;
    full)
      run_baseline
      start_pg
      run_single fanout1 chat chatlight chat2 notify
      run_three fanout3 idle storm reconnect ;;
    *)
      local single=() three=() protocols="" chatproxy="" handshake="" restart="" aot="" pusher="" w
      for w in "$@"; do
        case $w in
          baseline) run_baseline ;;
          fanout1|chat|chatlight|chat2|notify) single+=("$w") ;;
          fanout3|idle|storm|reconnect) three+=("$w") ;;
          fanout-protocols) protocols=1 ;;
          chat-proxy) chatproxy=1 ;;
          handshake) handshake=1 ;;
          restart) restart=1 ;;
          aot-train) aot=1 ;;
          fanout-pusher) pusher=1 ;;
          *) echo "unknown benchmark '$w' (quick, full, baseline, fanout1, chat, chatlight, chat2, notify, fanout3, idle, storm, reconnect, fanout-protocols, chat-proxy, handshake, restart, aot-train, fanout-pusher)" >&2; exit 2 ;;
        esac
      done
      if [ ${#single[@]} -gt 0 ] || [ ${#three[@]} -gt 0 ] || [ -n "$protocols$chatproxy$handshake$restart$aot$pusher" ]; then start_pg; fi
      [ ${#single[@]} -eq 0 ] || run_single "${single[@]}"
      [ -z "$protocols" ] || run_protocols
      [ -z "$chatproxy" ] || run_chat_proxy
      [ -z "$aot" ] || run_aot_train
      [ -z "$handshake" ] || run_handshake
      [ -z "$restart" ] || run_restart
      [ -z "$pusher" ] || run_pusher
      [ ${#three[@]} -eq 0 ] || run_three "${three[@]}" ;;
  esac
  echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/machine.txt"
  echo "suite seconds: $((SECONDS - started))" >> "$OUT/machine.txt"
  summarize
  log "done in $((SECONDS - started))s; results in $OUT"
}

main "$@"
