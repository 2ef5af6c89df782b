#!/usr/bin/env bash
# HTTP load test of edge-server with wrk, against a static-bytes JDK HttpServer baseline.
#
#   edge-benchmarks/load.sh            # full run: 6 cases, 5 s warm-up + 10 s measured each
#   edge-benchmarks/load.sh --smoke    # 3 cases, 1 s + 2 s each: keeps the harness from rotting
#
# Environment overrides: DURATION (s, default 10), WARMUP (s, 5), CONNECTIONS (32), THREADS (2, wrk
# threads), PORT (8000), BASELINE_PORT (8001), SERVER_JAVA_OPTS (-Xmx512m), SERVER_JAR, KEEP (1 = keep
# the temp dir). Builds the jars if they are missing and installs wrk from Debian if it is missing.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SMOKE=0
for arg in "$@"; do
  case "$arg" in
    --smoke) SMOKE=1 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg (usage: load.sh [--smoke])" >&2; exit 2 ;;
  esac
done
if [[ $SMOKE == 1 ]]; then
  DURATION=${DURATION:-2}; WARMUP=${WARMUP:-1}
fi
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-5}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
PORT=${PORT:-8000}
BASELINE_PORT=${BASELINE_PORT:-8001}
SERVER_JAVA_OPTS=${SERVER_JAVA_OPTS:--Xmx512m}
SERVER_JAR=${SERVER_JAR:-$ROOT/edge-server/target/edge-server.jar}
BENCH_JAR=$ROOT/edge-benchmarks/target/benchmarks.jar

log() { printf '%s\n' "$*" >&2; }

# --- prerequisites ---------------------------------------------------------------------------------
if ! command -v wrk >/dev/null; then
  log "installing wrk from Debian"
  apt-get install -y wrk >/dev/null || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
fi
if [[ ! -f $SERVER_JAR || ! -f $BENCH_JAR ]]; then
  log "building jars: mvn -B -q install -DskipTests"
  (cd "$ROOT" && mvn -B -q install -DskipTests)
fi

WORK=$(mktemp -d /tmp/flagedge-load.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ ${KEEP:-0} == 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

stop() { # stop one process started here, by pid
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

wait_ready() { # url, name, pid
  for _ in $(seq 1 120); do
    if curl -fsS -o /dev/null "$1" 2>/dev/null; then return 0; fi
    if ! kill -0 "$3" 2>/dev/null; then log "$2 exited during start-up:"; cat "$WORK/$2.log" >&2; exit 1; fi
    sleep 0.5
  done
  log "$2 not ready after 60 s: $1"; cat "$WORK/$2.log" >&2; exit 1
}

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
  wrk "${args[@]}" -d"${WARMUP}s" "$url" -- "$method" $body >/dev/null
  local out
  out=$(wrk "${args[@]}" -d"${DURATION}s" "$url" -- "$method" $body)
  printf '%s\n' "$out" > "$WORK/$name.wrk.txt"
  read -r _ rps p50 p99 errors _ <<<"$(grep '^RESULT' <<<"$out")"
  NAMES+=("$name"); RPS+=("$rps"); P50+=("$p50"); P99+=("$p99"); ERRORS+=("$errors")
}

# shellcheck disable=SC2086
java $SERVER_JAVA_OPTS -jar "$SERVER_JAR" --config "$WORK/config.json" >"$WORK/edge-server.log" 2>&1 &
SERVER_PID=$!; PIDS+=("$SERVER_PID")
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
  "| $(java -version 2>&1 | head -1) | $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2)"
echo "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s (after ${WARMUP}s warm-up); server: java $SERVER_JAVA_OPTS;" \
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
