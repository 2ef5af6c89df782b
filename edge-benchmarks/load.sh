#!/usr/bin/env bash
# HTTP load scenarios for edge-server. Each prints a Markdown table; none has thresholds.
#
#   edge-benchmarks/load.sh                  # default: wrk on 6 cases vs a static-bytes baseline (~2 min)
#   edge-benchmarks/load.sh --scale [N]      # N heavy environments (default 200) from UpstreamStub:
#                                            #   POST /identities/ with a new identifier per request and
#                                            #   X-Environment-Key cycling over all N keys, GET /flags/ over
#                                            #   N keys; then a server with 1 heavy + 1 simple environment:
#                                            #   unique identities on 1 key, the same identities as
#                                            #   OFREP (bulk, one flag), and GET /flags/ simple.
#                                            #   Per case req/s, p50, p99, p99.9, max, errors, peak RSS
#                                            #   (VmHWM), RSS; identities also paced at PACE req/s.
#   edge-benchmarks/load.sh --startup [N]    # launch to all N heavy environments (default 1000) loaded
#                                            #   (readiness 200, then GET /flags/ on every key); idle RSS;
#                                            #   the server's CPU seconds by thread group at readiness
#   edge-benchmarks/load.sh --slow-clients [N]  # N connections (default 200) trickling a POST body at 1
#                                            #   byte/s while a client makes 20 GET /flags/ 0.5 s apart
#                                            #   (5 s deadline each); also a row with no slow clients
#   edge-benchmarks/load.sh --streams [N]    # N open realtime streams (default 10000): memory per
#                                            #   stream, change -> last client's event, GET /flags/
#                                            #   throughput with and without them
#   edge-benchmarks/load.sh --otel           # OpenTelemetry's cost: one heavy environment, GET /flags/
#                                            #   and unique 15-trait identities with tracing off, every
#                                            #   request sampled, and traceidratio 0.01, exporting to
#                                            #   OtlpSink on this machine; req/s against off and the
#                                            #   spans that reached the collector per request
#   add --smoke to any of them: tiny N and 1-2 s per case (CI runs every --smoke in LoadScriptSmokeIT)
#
# Environment overrides: DURATION (s, default 10), WARMUP (s, 5), CONNECTIONS (32), THREADS (2, wrk
# threads), PORT (8000, edge-server), BASELINE_PORT (8001), STUB_PORT (8010, UpstreamStub),
# SERVER_JAVA (java: the server's JVM, e.g. /usr/lib/jvm/temurin-25-jdk-amd64/bin/java),
# SERVER_JAVA_OPTS (default scenario -Xmx512m; the others none, i.e. plain `java -jar`: set e.g.
# "-Xmx384m -XX:+ExitOnOutOfMemoryError"), SERVER_JAR, KEEP (1 = keep the temp dir with configs, logs
# and raw wrk output). --scale: TRAITS ("15 4": traits per identity request, one case per number;
# the first also for the paced and OFREP cases), PACE (10000 requests/s for the paced case, 0 = none),
# POLL (10, poll seconds).
# --startup: STARTUP_TIMEOUT (300 s), IDLE_WAIT (5 s before reading idle RSS).
# --slow-clients: REQUESTS (20), INTERVAL_MS (500), TIMEOUT_MS (5000). --streams: CHANGES (3).
# --otel: WARMUP defaults to 60 s (the JIT compiles the tracing paths too), ROUNDS (3: each mode once
# per round, rounds in a rotated order, ratios within a round and their median), SINK_PORT (14318).
# The harness's own helpers (UpstreamStub, SlowClients, StreamClients, StaticBytesServer) run on the default
# `java`. Builds the jars if they are missing and installs wrk from Debian if it is missing.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=harness.sh
source "$ROOT/edge-benchmarks/harness.sh"

SMOKE=0
SCENARIO=default
N=""
usage() {
  echo "usage: load.sh [--scale [N] | --startup [N] | --slow-clients [N] | --streams [N] | --otel] [--smoke]" >&2
  exit 2
}
set_scenario() {
  [[ $SCENARIO == default ]] || { echo "one scenario at a time" >&2; usage; }
  SCENARIO=$1
}
while (($# > 0)); do
  case "$1" in
    --smoke) SMOKE=1 ;;
    --scale|--startup|--slow-clients|--streams)
      set_scenario "${1#--}"
      if [[ ${2:-} =~ ^[0-9]+$ ]]; then N=$2; shift; fi ;;
    --scale=*|--startup=*|--slow-clients=*|--streams=*)
      set_scenario "$(cut -d= -f1 <<<"${1#--}")"; N=${1#*=}
      [[ $N =~ ^[0-9]+$ ]] || usage ;;
    --otel) set_scenario otel ;;
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; usage ;;
  esac
  shift
done

PORT=${PORT:-8000}
BASELINE_PORT=${BASELINE_PORT:-8001}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
if [[ -z ${SERVER_JAVA_OPTS+x} ]]; then
  if [[ $SCENARIO == default ]]; then SERVER_JAVA_OPTS=-Xmx512m; else SERVER_JAVA_OPTS=""; fi
fi

need_jars
make_work flagedge-load

# ====================================================================================================
# default: simple and heavy documents from files, wrk per case, static-bytes baseline
# ====================================================================================================
scenario_default() {
if [[ $SMOKE == 1 ]]; then
  DURATION=${DURATION:-2}; WARMUP=${WARMUP:-1}
fi
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-5}
need_wrk

# --- fixtures --------------------------------------------------------------------------------------
java -cp "$BENCH_JAR" dev.flagedge.benchmarks.Environments "$WORK" simple heavy >&2
cat >"$WORK/config.json" <<EOF
{"environment_files": [
   {"path": "$WORK/simple.json", "server_side_key": "ser.bench_simple"},
   {"path": "$WORK/heavy.json", "server_side_key": "ser.bench_heavy"}],
 "server": {"port": $PORT}}
EOF
# wrk script: optional method and body file as script arguments; prints one parseable RESULT line.
# wrk-unique.lua also gives every request its own identifier, so that edge-server's identity response
# cache (keyed by the request body) never hits and each request is evaluated.
cat >"$WORK/wrk.lua" <<'EOF'
function init(args)
  if args[1] then wrk.method = args[1] end
  if args[2] then
    local file = assert(io.open(args[2], "rb"))
    wrk.body = file:read("*a")
    file:close()
    wrk.headers["Content-Type"] = "application/json"
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %.1f %.3f %.3f %d %d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, e.connect + e.read + e.write + e.status + e.timeout,
    summary.requests))
end
EOF
cat "$WORK/wrk.lua" - >"$WORK/wrk-unique.lua" <<'EOF'

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("prefix", "bench-" .. os.time() .. "-" .. threads .. "-")
end

local count = 0
function request()
  count = count + 1
  local body = wrk.body:gsub('"bench%-user%-1"', '"' .. prefix .. count .. '"', 1)
  return wrk.format(nil, nil, nil, body)
end
EOF

# --- measurement -----------------------------------------------------------------------------------
NAMES=(); RPS=(); P50=(); P99=(); ERRORS=()
run_case() { # name, url, key ("" for none), method, body file ("" for none), script (wrk|wrk-unique)
  local name=$1 url=$2 key=$3 method=$4 body=$5 script=${6:-wrk}
  local args=(-t"$THREADS" -c"$CONNECTIONS" --latency -s "$WORK/$script.lua")
  [[ -n $key ]] && args+=(-H "X-Environment-Key: $key")
  log "== $name: ${WARMUP}s warm-up, ${DURATION}s measured ($script.lua)"
  case_wrk() { wrk "${args[@]}" -d"$1s" "$url" -- "$method" $body; }
  warm_up "$WARMUP" case_wrk
  local out
  out=$(case_wrk "$DURATION")
  printf '%s\n' "$out" > "$WORK/$name.wrk.txt"
  read -r _ rps p50 p99 errors _ <<<"$(grep '^RESULT' <<<"$out")"
  NAMES+=("$name"); RPS+=("$rps"); P50+=("$p50"); P99+=("$p99"); ERRORS+=("$errors")
}

start_server "$WORK/config.json" edge-server
wait_ready "http://127.0.0.1:$PORT/proxy/health/readiness" edge-server "$SERVER_PID"
BASE=http://127.0.0.1:$PORT/api/v1
curl -fsS -H "X-Environment-Key: bench_simple" "$BASE/flags/" -o "$WORK/simple-flags-response.json"

run_case "flags simple" "$BASE/flags/" bench_simple GET ""
run_case "identities simple, 5 traits" "$BASE/identities/" bench_simple POST \
  "$WORK/simple-identity-5.json" wrk-unique
if [[ $SMOKE == 0 ]]; then
  run_case "flags heavy" "$BASE/flags/" bench_heavy GET ""
  run_case "identities heavy, 15 traits" "$BASE/identities/" bench_heavy POST \
    "$WORK/heavy-identity-15.json" wrk-unique
  run_case "identities heavy, 15, cached" "$BASE/identities/" bench_heavy POST \
    "$WORK/heavy-identity-15.json" wrk
fi
stop "$SERVER_PID"

require_free_port "$BASELINE_PORT" BASELINE_PORT
java -cp "$BENCH_JAR" dev.flagedge.benchmarks.StaticBytesServer "$BASELINE_PORT" \
  "$WORK/simple-flags-response.json" >"$WORK/baseline.log" 2>&1 &
BASELINE_PID=$!; PIDS+=("$BASELINE_PID")
wait_ready "http://127.0.0.1:$BASELINE_PORT/" baseline "$BASELINE_PID"
run_case "baseline (static bytes)" "http://127.0.0.1:$BASELINE_PORT/" "" GET ""
stop "$BASELINE_PID"

# --- report ----------------------------------------------------------------------------------------
BASE_RPS=${RPS[-1]}
echo
echo "$(date -u +%Y-%m-%dT%H:%MZ) | $(nproc) cores | $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" \
  "| $("$SERVER_JAVA" -version 2>&1 | head -1) | $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2)"
echo "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s (after ${WARMUP}s warm-up); server: $SERVER_JAVA $SERVER_JAVA_OPTS;" \
  "load average before report: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
printf '| %-30s | %10s | %8s | %8s | %11s | %6s |\n' case rps "p50 ms" "p99 ms" "vs baseline" errors
printf '|%s|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..32})" "-----------:" "---------:" "---------:" \
  "------------:" "-------:"
for i in "${!NAMES[@]}"; do
  ratio=$(awk -v a="${RPS[$i]}" -v b="$BASE_RPS" 'BEGIN { printf "%.0f%%", 100 * a / b }')
  printf '| %-30s | %10.0f | %8.2f | %8.2f | %11s | %6s |\n' "${NAMES[$i]}" "${RPS[$i]}" "${P50[$i]}" \
    "${P99[$i]}" "$ratio" "${ERRORS[$i]}"
done
for i in "${!NAMES[@]}"; do
  if [[ ${ERRORS[$i]} != 0 ]]; then log "warning: ${NAMES[$i]} had ${ERRORS[$i]} errors (see wrk output)"; fi
done
}

# ====================================================================================================
# --scale: many heavy environments from the upstream stub, unique identities, memory
# ====================================================================================================
ROWS=()
row() { # case, envs, rps, p50, p99, p99.9, max, errors, CPU server/wrk, GCs, peak RSS MB, RSS MB
  ROWS+=("$(printf '| %-60s | %5s | %9s | %7s | %7s | %8s | %7s | %6s | %11s | %12s | %9s | %7s |' "$@")")
}
measured_row() { # case, envs, RESULT line, server pid, server CPU s, wrk CPU s, seconds, GCs
  local _ rps p50 p99 errors requests p999 max
  read -r _ rps p50 p99 errors requests p999 max <<<"$3"
  row "$1" "$2" "$(printf '%.0f' "$rps")" "$(printf '%.2f' "$p50")" "$(printf '%.2f' "$p99")" \
    "$(printf '%.2f' "${p999:-0}")" "$(printf '%.1f' "${max:-0}")" "$errors" \
    "$(awk -v s="$5" -v w="${6:-0}" -v d="$7" 'BEGIN { printf "%.0f/%.0f", 100 * s / d, 100 * w / d }')" \
    "$8" "$(proc_mb "$4" VmHWM)" "$(proc_mb "$4" VmRSS)"
}
idle_row() { # case, envs, server pid
  row "$1" "$2" - - - - - - - - "$(proc_mb "$3" VmHWM)" "$(proc_mb "$3" VmRSS)"
}
print_rows() {
  printf '| %-60s | %5s | %9s | %7s | %7s | %8s | %7s | %6s | %11s | %12s | %9s | %7s |\n' case envs \
    "req/s" "p50 ms" "p99 ms" "p99.9 ms" "max ms" errors "CPU % s/wrk" "GCs, avg ms" "peak RSS" \
    "RSS MB"
  printf '|%s|------:|----------:|--------:|--------:|---------:|--------:|-------:|------------:|-------------:|----------:|--------:|\n' \
    "$(printf -- '-%.0s' {1..62})"
  printf '%s\n' "${ROWS[@]}"
}

# gc_delta BEFORE AFTER (gc_counts lines): "<collections>, <average pause ms>" in between
gc_delta() {
  awk -v b="$1" -v a="$2" 'BEGIN { split(b, x, " "); split(a, y, " ")
    n = (y[1] - x[1]) + (y[3] - x[3]); t = (y[2] - x[2]) + (y[4] - x[4])
    if (n > 0) printf "%d, %.1f", n, 1000 * t / n; else printf "0, -" }'
}

# keys_case NAME ENVS URL METHOD PREFIX COUNT [BODY]: warm-up, then the measured run; one table row.
# PACED_RATE (requests/s), when set, paces both runs.
keys_case() {
  local name=$1 envs=$2 url=$3
  shift 3
  log "== $name: ${WARMUP}s warm-up, ${DURATION}s measured"
  if ((WARMUP > 0)); then warm_up "$WARMUP" wrk_keys "$url" "$@"; fi
  local before gc_before result
  gc_before=$(gc_counts "$SERVER_PID")
  before=$(cpu_seconds "$SERVER_PID")
  wrk_keys "$DURATION" "$url" "$@" >"$WORK/result.txt"
  result=$(<"$WORK/result.txt") # not $(wrk_keys …): the subshell would lose WRK_CPU
  measured_row "$name" "$envs" "$result" "$SERVER_PID" \
    "$(awk -v a="$before" -v b="$(cpu_seconds "$SERVER_PID")" 'BEGIN { print b - a }')" "$WRK_CPU" \
    "$DURATION" "$(gc_delta "$gc_before" "$(gc_counts "$SERVER_PID")")"
}

scenario_scale() {
  if [[ $SMOKE == 1 ]]; then
    N=${N:-3}; DURATION=${DURATION:-1}; WARMUP=${WARMUP:-0}; TRAITS=${TRAITS:-15}; PACE=${PACE:-200}
  fi
  N=${N:-200}; DURATION=${DURATION:-10}; WARMUP=${WARMUP:-5}
  local -a traits_list
  read -r -a traits_list <<<"${TRAITS:-15 4}"
  local pace=${PACE:-10000} poll=${POLL:-10} t
  local first=${traits_list[0]}
  need_wrk
  for t in "${traits_list[@]}"; do
    [[ $t =~ ^[0-9]+$ ]] || { log "TRAITS: numbers of traits separated by spaces, e.g. \"15 4\""; exit 2; }
    identity_body "$WORK/identity-$t.json" "$t"
  done
  ofrep_body "$WORK/ofrep.json" "$first"
  start_stub "simple:1,heavy:$N" 0 "$poll"
  local base=http://127.0.0.1:$PORT/api/v1 ofrep=http://127.0.0.1:$PORT/ofrep/v1/evaluate/flags

  # server A: the N heavy environments only (the stub's config lists simple_0 first, one line)
  grep -v '"simple_0"' "$WORK/stub-config.json" >"$WORK/config-scale.json"
  start_server "$WORK/config-scale.json" edge-server-scale
  wait_ready "http://127.0.0.1:$PORT/proxy/health/readiness" edge-server-scale "$SERVER_PID" 300
  idle_row "idle after start, $N heavy environments" "$N" "$SERVER_PID"
  for t in "${traits_list[@]}"; do
    keys_case "identities heavy, $t traits, new id, $N keys" "$N" "$base/identities/" POST heavy_ \
      "$N" "$WORK/identity-$t.json"
  done
  if ((pace > 0)); then
    PACED_RATE=$pace keys_case "identities heavy, $first traits, new id, $N keys, paced $pace/s" \
      "$N" "$base/identities/" POST heavy_ "$N" "$WORK/identity-$first.json"
  fi
  keys_case "flags heavy, $N keys" "$N" "$base/flags/" GET heavy_ "$N"
  local alive_a; alive_a=$(alive "$SERVER_PID")
  stop "$SERVER_PID"

  # server B: one heavy and one simple environment
  cat >"$WORK/config-one.json" <<JSON
{"environment_key_pairs": [
   {"server_side_key": "ser.heavy_0", "client_side_key": "heavy_0"},
   {"server_side_key": "ser.simple_0", "client_side_key": "simple_0"}],
 "api_url": "http://127.0.0.1:$STUB_PORT/api/v1", "api_poll_frequency_seconds": $poll,
 "server": {"port": $PORT}}
JSON
  start_server "$WORK/config-one.json" edge-server-one
  wait_ready "http://127.0.0.1:$PORT/proxy/health/readiness" edge-server-one "$SERVER_PID"
  idle_row "idle after start, 1 heavy + 1 simple environment" 2 "$SERVER_PID"
  for t in "${traits_list[@]}"; do
    keys_case "identities heavy, $t traits, new id, 1 key" 2 "$base/identities/" POST heavy_ 1 \
      "$WORK/identity-$t.json"
  done
  keys_case "OFREP bulk heavy, $first traits, new id, 1 key" 2 "$ofrep" POST heavy_ 1 \
    "$WORK/ofrep.json"
  keys_case "OFREP one flag heavy, $first traits, new id, 1 key" 2 "$ofrep/feature_010" POST \
    heavy_ 1 "$WORK/ofrep.json"
  keys_case "flags simple, 1 key" 2 "$base/flags/" GET simple_ 1
  local alive_b; alive_b=$(alive "$SERVER_PID")
  stop "$SERVER_PID"

  echo
  machine_line
  echo "scale: wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s (after ${WARMUP}s warm-up), keys.lua;" \
    "identities: a new identifier per request, traits trait_0 … trait_<n-1> = \"v0\";" \
    "paced: at most $pace requests/s (keys.lua's RATE); CPU: the server's and wrk's CPU time over" \
    "the measured run, in % of one core; GCs: the server's collections in the measured run and their" \
    "average pause (jstat); RSS from /proc/<pid>/status at the end" \
    "of each case (peak = VmHWM since start); upstream: UpstreamStub, poll ${poll}s"
  echo
  print_rows
  echo
  echo "server alive at the end: $N environments: $alive_a; 1 heavy + 1 simple: $alive_b"
}

# ====================================================================================================
# --startup: time from `java -jar` to every environment loaded and served; idle RSS
# ====================================================================================================
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# thread_cpu PID: the CPU seconds (user + system) the JVM's threads have used so far, by group, from
# /proc/PID/task/*/stat: "total (sync threads S, JIT compilers S, GC S, other S)"
thread_cpu() {
  local stat ticks total=0 sync=0 jit=0 gc=0
  for stat in /proc/"$1"/task/*/stat; do
    stat_ticks "$stat" >"$WORK/ticks"
    ticks=$(<"$WORK/ticks") # not $(stat_ticks …): the subshell would lose STAT_NAME
    total=$((total + ticks))
    case $STAT_NAME in
      edge-sync*) sync=$((sync + ticks)) ;;
      C1\ Compiler* | C2\ Compiler*) jit=$((jit + ticks)) ;;
      GC\ Thread* | G1\ *) gc=$((gc + ticks)) ;;
    esac
  done
  awk -v hz="$(getconf CLK_TCK)" -v t="$total" -v s="$sync" -v j="$jit" -v g="$gc" 'BEGIN {
    printf "%.1f s (sync threads %.1f, JIT compilers %.1f, GC %.1f, other %.1f)",
      t / hz, s / hz, j / hz, g / hz, (t - s - j - g) / hz }'
}

scenario_startup() {
  if [[ $SMOKE == 1 ]]; then N=${N:-5}; IDLE_WAIT=${IDLE_WAIT:-1}; fi
  N=${N:-1000}
  local idle_wait=${IDLE_WAIT:-5} timeout=${STARTUP_TIMEOUT:-300}
  start_stub "heavy:$N" 0 10
  cp "$WORK/stub-config.json" "$WORK/config.json"
  # one curl for all N keys: GET /flags/ per key, one status per line
  local i
  for ((i = 0; i < N; i++)); do
    if ((i > 0)); then echo next; fi
    printf 'url = "http://127.0.0.1:%s/api/v1/flags/"\nheader = "X-Environment-Key: heavy_%s"\n' \
      "$PORT" "$i"
    printf 'output = "/dev/null"\nwrite-out = "%%{http_code}\\n"\n'
  done >"$WORK/flags-all.curl"

  local t0 listening="" ready="" code cpu_at_ready="-"
  t0=$(now_ms)
  start_server "$WORK/config.json" edge-server
  while true; do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 \
      "http://127.0.0.1:$PORT/proxy/health/readiness" 2>/dev/null || true)
    if [[ -z $listening && $code != 000 && -n $code ]]; then listening=$(($(now_ms) - t0)); fi
    if [[ $code == 200 ]]; then ready=$(($(now_ms) - t0)); cpu_at_ready=$(thread_cpu "$SERVER_PID"); break; fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then log "edge-server exited:"; tail -50 "$WORK/edge-server.log" >&2; break; fi
    if (($(now_ms) - t0 > timeout * 1000)); then log "not ready after ${timeout}s"; break; fi
    sleep 0.05
  done
  local served all_served=""
  served=$(curl -s -K "$WORK/flags-all.curl" | grep -c '^200$' || true)
  if [[ $served == "$N" ]]; then all_served=$(($(now_ms) - t0)); fi
  local loaded
  loaded=$(curl -s "http://127.0.0.1:$PORT/proxy/health" | grep -o '"loaded":true' | wc -l || true)
  sleep "$idle_wait"
  local rss hwm fetches
  rss=$(proc_mb "$SERVER_PID" VmRSS); hwm=$(proc_mb "$SERVER_PID" VmHWM)
  fetches=$(stub_state | sed -n 's/.* documents=\([0-9]*\).*/\1/p')
  local alive_now; alive_now=$(alive "$SERVER_PID")
  stop "$SERVER_PID"

  echo
  machine_line
  echo "startup: $N heavy environments from UpstreamStub; times from launching the JVM; readiness" \
    "polled every 50 ms; then GET /api/v1/flags/ for every key (one curl); idle RSS ${idle_wait}s later"
  echo
  printf '| %5s | %12s | %14s | %14s | %11s | %12s | %11s | %11s | %5s |\n' envs "listening s" \
    "all loaded s" "flags 200 of N" "all flags s" "upstream 200s" "idle RSS MB" "peak RSS MB" alive
  printf '|------:|-------------:|---------------:|---------------:|------------:|--------------:|------------:|------------:|------:|\n'
  sec() { if [[ -n $1 ]]; then awk -v ms="$1" 'BEGIN { printf "%.2f", ms / 1000 }'; else echo "-"; fi; }
  printf '| %5s | %12s | %14s | %14s | %11s | %12s | %11s | %11s | %5s |\n' "$N" "$(sec "$listening")" \
    "$(sec "$ready")" "$served/$N" "$(sec "$all_served")" "${fetches:--}" "$rss" "$hwm" "$alive_now"
  echo
  echo "health: $loaded of $N environments report \"loaded\":true"
  echo "server CPU at readiness: $cpu_at_ready"
}

# ====================================================================================================
# --slow-clients: slow connections trickling a body while a well-behaved client makes requests
# ====================================================================================================
scenario_slow_clients() {
  local requests interval timeout
  if [[ $SMOKE == 1 ]]; then
    N=${N:-5}; requests=${REQUESTS:-4}; interval=${INTERVAL_MS:-250}
  fi
  N=${N:-200}; requests=${requests:-${REQUESTS:-20}}; interval=${interval:-${INTERVAL_MS:-500}}
  timeout=${TIMEOUT_MS:-5000}
  start_stub "heavy:1" 0 10
  start_server "$WORK/stub-config.json" edge-server
  wait_ready "http://127.0.0.1:$PORT/proxy/health/readiness" edge-server "$SERVER_PID"
  local lines=() slow
  for slow in 0 "$N"; do
    log "== $slow slow clients, $requests requests ${interval} ms apart"
    lines+=("$(java -cp "$BENCH_JAR" dev.flagedge.benchmarks.SlowClients --port "$PORT" --key heavy_0 \
      --slow "$slow" --requests "$requests" --interval-ms "$interval" --timeout-ms "$timeout" \
      2>>"$WORK/slow-clients.log" | grep '^SLOWCLIENTS' || echo "SLOWCLIENTS slow=$slow failed=probe")")
  done
  local alive_now; alive_now=$(alive "$SERVER_PID")
  stop "$SERVER_PID"

  echo
  machine_line
  echo "slow clients: each sends POST /api/v1/identities/ headers with Content-Length: 1000, then 1 body" \
    "byte/s; then $requests sequential GET /api/v1/flags/ on new connections, ${interval} ms apart," \
    "${timeout} ms deadline each"
  echo
  printf '| %12s | %9s | %13s | %8s | %4s | %6s | %9s | %7s | %8s |\n' "slow clients" connected \
    "cut by server" requests ok failed "timed out" "p50 ms" "worst ms"
  printf '|-------------:|----------:|--------------:|---------:|-----:|-------:|----------:|--------:|---------:|\n'
  local line
  field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }
  for line in "${lines[@]}"; do
    printf '| %12s | %9s | %13s | %8s | %4s | %6s | %9s | %7s | %8s |\n' "$(field slow "$line")" \
      "$(field slow_connected "$line")" "$(field slow_closed_by_server "$line")" \
      "$(field requests "$line")" "$(field ok "$line")" "$(field failed "$line")" \
      "$(field timed_out "$line")" "$(field p50_ms "$line")" "$(field worst_ms "$line")"
  done
  echo
  for line in "${lines[@]}"; do
    echo "latencies ms with $(field slow "$line") slow clients (T = timed out, F<status> = failed):" \
      "$(field latencies_ms "$line")"
  done
  echo "server alive at the end: $alive_now"
}

# ====================================================================================================
# --streams: N open realtime streams: memory per stream, change -> last client's event, GET /flags/
# throughput with and without them
# ====================================================================================================
scenario_streams() {
  local changes=${CHANGES:-3}
  if [[ $SMOKE == 1 ]]; then N=${N:-20}; DURATION=${DURATION:-1}; WARMUP=${WARMUP:-0}; changes=1; fi
  N=${N:-10000}; DURATION=${DURATION:-10}; WARMUP=${WARMUP:-10}
  need_wrk
  start_stub "simple:1" 0 60
  # Streams stay open for the whole run; changes are pushed through queue-change.
  export SSE_AUTHENTICATION_TOKEN=bench-token SSE_MAX_STREAM_AGE_SECONDS=0
  start_server "$WORK/stub-config.json" edge-server
  unset SSE_AUTHENTICATION_TOKEN SSE_MAX_STREAM_AGE_SECONDS
  wait_ready "http://127.0.0.1:$PORT/proxy/health/readiness" edge-server "$SERVER_PID"
  local url=http://127.0.0.1:$PORT/api/v1/flags/
  log "== GET /flags/ without streams: ${WARMUP}s warm-up, ${DURATION}s measured"
  if ((WARMUP > 0)); then warm_up "$WARMUP" wrk_keys "$url" GET simple_ 1; fi
  local without; without=$(wrk_keys "$DURATION" "$url" GET simple_ 1)
  local rss_before; rss_before=$(proc_mb "$SERVER_PID" VmRSS)
  log "== opening $N streams, $changes change(s)"
  java -cp "$BENCH_JAR" dev.flagedge.benchmarks.StreamClients --port "$PORT" --stub-port "$STUB_PORT" \
    --key simple_0 --streams "$N" --token bench-token --changes "$changes" --hold $((DURATION + 15)) \
    >"$WORK/streams.out" 2>>"$WORK/streams.log" &
  local probe=$!; PIDS+=("$probe")
  local deadline=$((SECONDS + 300))
  until grep -q '^STREAMS_HOLDING' "$WORK/streams.out"; do
    if ! kill -0 "$probe" 2>/dev/null || ((SECONDS > deadline)); then
      log "stream probe failed:"; cat "$WORK/streams.out" "$WORK/streams.log" >&2; exit 1
    fi
    sleep 0.5
  done
  local rss_streams; rss_streams=$(proc_mb "$SERVER_PID" VmRSS)
  log "== GET /flags/ with $N streams open: ${DURATION}s measured"
  local with; with=$(wrk_keys "$DURATION" "$url" GET simple_ 1)
  wait "$probe" || true
  local alive_now; alive_now=$(alive "$SERVER_PID")
  stop "$SERVER_PID"

  field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }
  local open_line; open_line=$(grep '^STREAMS_OPEN' "$WORK/streams.out")
  local rps_without rps_with
  rps_without=$(awk '{printf "%.0f", $2}' <<<"$without"); rps_with=$(awk '{printf "%.0f", $2}' <<<"$with")
  echo
  machine_line
  echo "streams: StreamClients opens N GET /sse/environments/simple_0/stream from one selector thread" \
    "(sse_max_stream_age_seconds=0); each change: POST /stub/change, then queue-change; wrk -t$THREADS" \
    "-c$CONNECTIONS GET /api/v1/flags/ before and while the streams are open"
  echo
  printf '| %7s | %10s | %13s | %12s | %9s | %14s | %12s | %6s |\n' streams "open ms" "RSS before MB" \
    "RSS with MB" "KB/stream" "flags without" "flags with" change
  printf '|--------:|-----------:|--------------:|-------------:|----------:|---------------:|-------------:|-------:|\n'
  printf '| %7s | %10s | %13s | %12s | %9s | %14s | %12s | %6s |\n' "$(field streams "$open_line")" \
    "$(field open_ms "$open_line")" "$rss_before" "$rss_streams" \
    "$(awk -v a="$rss_before" -v b="$rss_streams" -v n="$N" 'BEGIN { printf "%.1f", (b - a) * 1024 / n }')" \
    "$rps_without" "$rps_with" \
    "$(awk -v a="$rps_without" -v b="$rps_with" 'BEGIN { if (a > 0) printf "%+.0f%%", (b - a) * 100 / a; else print "-" }')"
  echo
  grep '^STREAMS_CHANGE' "$WORK/streams.out" | while read -r line; do
    echo "change $(field round "$line"): first event after $(field first_ms "$line") ms, last after" \
      "$(field last_ms "$line") ms, $(field received "$line") of $N streams"
  done
  echo "$(grep '^STREAMS_DONE' "$WORK/streams.out" || echo 'STREAMS_DONE missing'); server alive at the end: $alive_now"
}

# ====================================================================================================
# --otel: the cost of tracing every request, or 1 in 100, against tracing off
# ====================================================================================================
scenario_otel() {
  if [[ $SMOKE == 1 ]]; then DURATION=${DURATION:-1}; WARMUP=${WARMUP:-0}; ROUNDS=${ROUNDS:-1}; fi
  DURATION=${DURATION:-10}; WARMUP=${WARMUP:-60}; ROUNDS=${ROUNDS:-3}
  [[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || { log "ROUNDS: a whole number of rounds, e.g. 3"; exit 2; }
  local sink_port=${SINK_PORT:-14318} round m k
  local -a modes=(off "every request sampled" "traceidratio 0.01") kinds=(flags identities)
  local -A rps=() spans=() sink_cpu=()
  need_wrk
  identity_body "$WORK/identity.json" 15
  start_stub "heavy:1" 0 "${POLL:-10}"
  require_free_port "$sink_port" SINK_PORT
  java -Xmx256m -cp "$BENCH_JAR" dev.flagedge.benchmarks.OtlpSink "$sink_port" >"$WORK/sink.log" 2>&1 &
  SINK_PID=$!; PIDS+=("$SINK_PID")
  wait_ready "http://127.0.0.1:$sink_port/count" sink "$SINK_PID"
  # Each round starts with a different mode, so a slow minute of a shared machine does not always
  # land on the same one; ratios are taken within a round, where off and on ran minutes apart.
  for ((round = 1; round <= ROUNDS; round++)); do
    for ((k = 0; k < ${#modes[@]}; k++)); do
      m=$(((round - 1 + k) % ${#modes[@]}))
      otel_mode "$m" "${modes[$m]}" "http://127.0.0.1:$sink_port" "$round"
    done
  done

  echo
  machine_line
  echo "otel: one heavy environment from UpstreamStub; $ROUNDS rounds, each mode on a fresh server," \
    "in a rotated order; wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s (after ${WARMUP}s warm-up)," \
    "keys.lua; OTLP/HTTP to OtlpSink on the same machine (it reads and drops each export, counting" \
    "its spans); spans kept: the spans the collector received during the measured run per request" \
    "served (a span the queue dropped never arrives); collector CPU: OtlpSink's CPU over the" \
    "measured run, % of one core, taken from the same two cores as the server's"
  echo
  print_rows
  echo
  echo "| case | req/s vs tracing off, each round | median | spans kept | collector CPU % |"
  echo "|---|---|---:|---:|---:|"
  for ((m = 1; m < ${#modes[@]}; m++)); do
    for k in "${kinds[@]}"; do
      local per_round="" kept="" collector=""
      for ((round = 1; round <= ROUNDS; round++)); do
        per_round+="${rps[$m,$k,$round]} ${rps[0,$k,$round]} "
        kept+="${kept:+, }${spans[$m,$k,$round]}"
        collector+="${collector:+, }${sink_cpu[$m,$k,$round]}"
      done
      echo "| $k, tracing ${modes[$m]} | $(ratio_cells "$per_round") | $kept | $collector |"
    done
  done
}

# ratio_cells "ON OFF ON OFF …": "a%, b%, … | median%" of ON/OFF per pair
ratio_cells() {
  awk -v pairs="$1" 'BEGIN {
    n = split(pairs, v, " ")
    for (i = 1; i < n; i += 2) { r[++c] = (v[i + 1] > 0 ? 100 * v[i] / v[i + 1] : 0); out = out (c > 1 ? ", " : "") sprintf("%.0f%%", r[c]) }
    for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (r[j] < r[i]) { t = r[i]; r[i] = r[j]; r[j] = t }
    printf "%s | %.0f%%", out, (c % 2 ? r[(c + 1) / 2] : (r[c / 2] + r[c / 2 + 1]) / 2) }'
}

# otel_mode INDEX MODE SINK ROUND: a fresh server with that tracing mode; its flags and identities cases
otel_mode() {
  local m=$1 mode=$2 endpoint=$3 round=$4 base=http://127.0.0.1:$PORT/api/v1
  case $mode in
    off) start_server "$WORK/stub-config.json" "edge-server-off-$round" ;;
    every*) OTEL_EXPORTER_OTLP_ENDPOINT=$endpoint start_server "$WORK/stub-config.json" \
              "edge-server-on-$round" ;;
    *) OTEL_EXPORTER_OTLP_ENDPOINT=$endpoint OTEL_TRACES_SAMPLER=parentbased_traceidratio \
         OTEL_TRACES_SAMPLER_ARG=0.01 start_server "$WORK/stub-config.json" "edge-server-ratio-$round" ;;
  esac
  wait_ready "http://127.0.0.1:$PORT/proxy/health/readiness" "edge-server-${mode%% *}" "$SERVER_PID"
  otel_case "$m,flags,$round" "flags heavy, tracing $mode, round $round" "$base/flags/" GET heavy_ 1
  otel_case "$m,identities,$round" "identities heavy, 15 traits, new id, tracing $mode, round $round" \
    "$base/identities/" POST heavy_ 1 "$WORK/identity.json"
  stop "$SERVER_PID"
}

# otel_case KEY NAME URL METHOD PREFIX COUNT [BODY]: keys_case; rps[KEY], spans[KEY] (the spans the
# sink received per request in the measured run, counted from the end of the warm-up) and
# sink_cpu[KEY] (the sink's CPU meanwhile, % of one core)
otel_case() {
  local key=$1 name=$2 url=$3 before after
  shift 3
  if ((WARMUP > 0)); then
    log "== $name: ${WARMUP}s warm-up"
    warm_up "$WARMUP" wrk_keys "$url" "$@"
  fi
  local cpu_before; cpu_before=$(cpu_seconds "$SINK_PID")
  before=$(curl -fsS "http://127.0.0.1:${SINK_PORT:-14318}/count")
  WARMUP=0 keys_case "$name" 1 "$url" "$@"
  after=$(curl -fsS "http://127.0.0.1:${SINK_PORT:-14318}/count")
  sink_cpu[$key]=$(awk -v a="$cpu_before" -v b="$(cpu_seconds "$SINK_PID")" -v d="$DURATION" \
    'BEGIN { printf "%.0f", 100 * (b - a) / d }')
  local _ r requests
  read -r _ r _ _ _ requests _ <"$WORK/result.txt"
  rps[$key]=$r
  spans[$key]=$(awk -v a="$before" -v b="$after" -v n="$requests" \
    'BEGIN { printf "%.2f", (n > 0 ? (b - a) / n : 0) }')
}

case "$SCENARIO" in
  default) scenario_default ;;
  scale) scenario_scale ;;
  startup) scenario_startup ;;
  slow-clients) scenario_slow_clients ;;
  streams) scenario_streams ;;
  otel) scenario_otel ;;
esac
