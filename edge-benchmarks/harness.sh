# Shared by load.sh and soak.sh (sourced, not run): prerequisites, the temp directory, starting and
# stopping the processes a scenario needs, and reading a process's memory. Expects ROOT to be set.
# shellcheck shell=bash

SERVER_JAR=${SERVER_JAR:-$ROOT/edge-server/target/edge-server.jar}
BENCH_JAR=${BENCH_JAR:-$ROOT/edge-benchmarks/target/benchmarks.jar}
KEYS_LUA=$ROOT/edge-benchmarks/wrk/keys.lua
SERVER_JAVA=${SERVER_JAVA:-java}
STUB_PORT=${STUB_PORT:-8010}

log() { printf '%s\n' "$*" >&2; }

# Prerequisites are not installed here: .ci/install does, once.
need_wrk() {
  command -v wrk >/dev/null || { log "wrk not found: run .ci/install or apt-get install wrk"; exit 1; }
}

need_jars() {
  if [[ ! -f $SERVER_JAR || ! -f $BENCH_JAR ]]; then
    log "building jars: ./mvnw -B -q install -DskipTests"
    (cd "$ROOT" && ./mvnw -B -q install -DskipTests)
  fi
}

# make_work PREFIX: a temp directory in WORK, removed on exit (KEEP=1 keeps it) after every process in
# PIDS has been stopped.
make_work() {
  WORK=$(mktemp -d "/tmp/$1.XXXXXX")
  PIDS=()
  trap cleanup EXIT
}
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ ${KEEP:-0} == 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}

stop() { # stop one process started here, by pid
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

wait_ready() { # url, name (log file $WORK/<name>.log), pid, [timeout s, default 60]
  local deadline=$((SECONDS + ${4:-60}))
  while ((SECONDS < deadline)); do
    if curl -fsS -o /dev/null "$1" 2>/dev/null; then return 0; fi
    if ! kill -0 "$3" 2>/dev/null; then log "$2 exited during start-up:"; cat "$WORK/$2.log" >&2; exit 1; fi
    sleep 0.2
  done
  log "$2 not ready after ${4:-60} s: $1"; tail -50 "$WORK/$2.log" >&2; exit 1
}

# require_free_port PORT NAME: fail early, with the variable to set, if something already listens there
# (a leftover server would otherwise answer the health checks and the load).
require_free_port() {
  if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
    log "port $1 ($2) is already in use: stop what listens there or set $2 to a free port"
    exit 1
  fi
}

# start_stub SPEC CHANGE_EVERY POLL_SECONDS [more UpstreamStub options]: the upstream stand-in on
# STUB_PORT serving SPEC (e.g. heavy:200), writing $WORK/stub-config.json for edge-server on PORT.
start_stub() {
  local spec=$1 change=$2 poll=$3
  shift 3
  require_free_port "$STUB_PORT" STUB_PORT
  java -Xmx256m -XX:+UseSerialGC -cp "$BENCH_JAR" dev.flagedge.benchmarks.UpstreamStub \
    --environments "$spec" --port "$STUB_PORT" --change-every "$change" \
    --write-config "$WORK/stub-config.json" --server-port "$PORT" --poll-seconds "$poll" "$@" \
    >"$WORK/stub.log" 2>&1 &
  STUB_PID=$!; PIDS+=("$STUB_PID")
  wait_ready "http://127.0.0.1:$STUB_PORT/stub/state" stub "$STUB_PID"
}

stub_state() { # the stub's one-line state: generation=… value=… documents=…
  curl -fsS "http://127.0.0.1:$STUB_PORT/stub/state"
}

# start_server CONFIG NAME: edge-server with SERVER_JAVA and SERVER_JAVA_OPTS, log in $WORK/NAME.log;
# SERVER_PID is the JVM's own pid (for /proc/<pid>/status).
start_server() {
  require_free_port "$PORT" PORT
  # shellcheck disable=SC2086
  "$SERVER_JAVA" $SERVER_JAVA_OPTS -jar "$SERVER_JAR" --config "$1" >"$WORK/$2.log" 2>&1 &
  SERVER_PID=$!; PIDS+=("$SERVER_PID")
}

# proc_mb PID FIELD: VmRSS (resident now) or VmHWM (peak resident) of a live process, in MB; "-" if
# the process is gone.
proc_mb() {
  local status
  status=$(cat "/proc/$1/status" 2>/dev/null || true)
  awk -v f="$2:" '$1 == f { printf "%.0f", $2 / 1024; found = 1 } END { if (!found) print "-" }' \
    <<<"$status"
}

# stat_ticks FILE: utime + stime, in clock ticks, from a /proc/<pid>[/task/<tid>]/stat file (0 if it
# is gone); sets STAT_NAME to the process's or thread's name
stat_ticks() {
  local line
  local -a fields
  line=$(cat "$1" 2>/dev/null) || { STAT_NAME=""; echo 0; return; }
  STAT_NAME=${line#*(}; STAT_NAME=${STAT_NAME%)*}
  read -r -a fields <<<"${line##*) }"
  echo $((fields[11] + fields[12]))
}

# cpu_seconds PID: the CPU seconds (user + system) a process has used so far
cpu_seconds() {
  awk -v t="$(stat_ticks "/proc/$1/stat")" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", t / hz }'
}

# gc_counts PID: "young-collections young-seconds full-collections full-seconds" so far, from jstat
# (the JVM's own counters; no flags needed); "0 0 0 0" if jstat cannot read them
gc_counts() {
  jstat -gc "$1" 2>/dev/null | awk 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i }
    NR == 2 { print $col["YGC"], $col["YGCT"], $col["FGC"], $col["FGCT"]; found = 1 }
    END { if (!found) print "0 0 0 0" }'
}

alive() { # yes/no
  if kill -0 "$1" 2>/dev/null; then echo yes; else echo no; fi
}

machine_line() {
  echo "$(date -u +%Y-%m-%dT%H:%MZ) | $(nproc) cores | $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" \
    "| server: $("$SERVER_JAVA" -version 2>&1 | head -1) ${SERVER_JAVA_OPTS:-(default JVM flags)}" \
    "| load average: $(cut -d' ' -f1-3 /proc/loadavg)"
}

# identity_body FILE TRAITS: a POST /identities/ body with identifier "bench-user-1" (keys.lua
# replaces it per request) and heavy's traits trait_0 … trait_{TRAITS-1} = "v0".
identity_body() {
  local traits="" i
  for ((i = 0; i < $2; i++)); do
    traits+="${traits:+,}{\"trait_key\":\"trait_$i\",\"trait_value\":\"v0\"}"
  done
  printf '{"identifier":"bench-user-1","traits":[%s]}' "$traits" >"$1"
}

# ofrep_body FILE TRAITS: the same identity as an OFREP evaluation context: targetingKey
# "bench-user-1" (keys.lua replaces it per request) and trait_0 … trait_{TRAITS-1} = "v0".
ofrep_body() {
  local context="" i
  for ((i = 0; i < $2; i++)); do
    context+=",\"trait_$i\":\"v0\""
  done
  printf '{"context":{"targetingKey":"bench-user-1"%s}}' "$context" >"$1"
}

# warm_up SECONDS RUN [ARGS…]: `RUN <seconds> ARGS…` for SECONDS in two runs, a quarter then the
# rest, output dropped, so that connections close and reopen during the warm-up: the first time
# they do, the JVM drops and recompiles the selector's compiled code, with the routes inlined in it
# (0.6-0.8 s of C2 on two cores), which would otherwise land in the measured run. RUN is wrk_keys
# or a function of the same shape.
warm_up() {
  local seconds=$1 run=$2 first
  shift 2
  first=$(((seconds + 3) / 4))
  "$run" "$first" "$@" >/dev/null
  if ((seconds > first)); then "$run" "$((seconds - first))" "$@" >/dev/null; fi
}

# wrk_keys SECONDS URL METHOD KEY_PREFIX COUNT [BODY_FILE]: one wrk run with keys.lua; prints its
# RESULT line (RESULT rps p50 p99 errors requests p99.9 max), or "RESULT 0 0 0 -1 0 0 0" if wrk
# failed. With PACED_RATE set (requests/s), keys.lua paces the requests to that rate. Sets WRK_CPU to
# the CPU seconds (user + system) wrk itself used.
wrk_keys() {
  local seconds=$1 url=$2
  shift 2
  local out
  out=$(RATE=${PACED_RATE:-0} WRK_THREADS=${THREADS:-2} /usr/bin/time -f 'WRKCPU %U %S' \
    wrk -t"${THREADS:-2}" -c"${CONNECTIONS:-32}" -d"${seconds}s" --latency -s "$KEYS_LUA" "$url" \
    -- "$@" 2>&1) || true
  printf '%s\n' "$out" >>"$WORK/wrk-output.txt"
  WRK_CPU=$(awk '$1 == "WRKCPU" { printf "%.1f", $2 + $3 }' <<<"$out")
  grep '^RESULT' <<<"$out" || echo "RESULT 0 0 0 -1 0 0 0"
}
