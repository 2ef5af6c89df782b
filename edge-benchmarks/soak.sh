#!/usr/bin/env bash
# Soak runs of edge-server (not part of CI except their --smoke). Two modes:
#
# default: steady GET /api/v1/flags/ load for DURATION seconds while the (simple) environment document
# file changes every second; per minute requests/s, p99, errors, the heap after a full GC, and whether
# the newest document was being served.
#
#   edge-benchmarks/soak.sh                 # 10 minutes
#   DURATION=120 edge-benchmarks/soak.sh    # shorter
#
# Overrides: DURATION (s, 600), SLICE (s, 60), CONNECTIONS (16), THREADS (2; 1 for --scale), PORT (8000),
# SERVER_JAVA_OPTS (-Xmx256m). Needs the jars (mvn -B -q install -DskipTests) and wrk and jcmd.
#
# --scale [N]: POST /api/v1/identities/ with a new identifier per request (4 traits) and the
# X-Environment-Key cycling over N heavy environments (default 20) served by UpstreamStub, which changes
# every document every CHANGE seconds (10; poll POLL seconds, 10); the server runs with SERVER_JAVA_OPTS
# (default "-Xmx384m -XX:+ExitOnOutOfMemoryError") on SERVER_JAVA (java). Per SLICE: requests/s, p99,
# errors, RSS and peak RSS (VmRSS, VmHWM), whether the process is alive, the stub's generation; at the
# end: alive, and whether every environment serves the newest document (waits up to POLL + 5 s).
#
#   edge-benchmarks/soak.sh --scale              # 20 environments, 10 minutes
#   edge-benchmarks/soak.sh --scale 100          # 100 environments
#   edge-benchmarks/soak.sh --scale --smoke      # 2 environments, 2 × 1 s, changes every second
#
# Overrides as above plus STUB_PORT (8010), TRAITS (15), KEEP (1 = keep the temp dir).
set -euo pipefail

SCALE=0; SMOKE=0; N=""
while (($# > 0)); do
  case "$1" in
    --scale) SCALE=1; if [[ ${2:-} =~ ^[0-9]+$ ]]; then N=$2; shift; fi ;;
    --scale=*) SCALE=1; N=${1#*=} ;;
    --smoke) SMOKE=1 ;;
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (usage: soak.sh [--scale [N]] [--smoke])" >&2; exit 2 ;;
  esac
  shift
done
if [[ $SMOKE == 1 && $SCALE == 0 ]]; then
  echo "--smoke is for --scale (the default soak has no smoke mode)" >&2; exit 2
fi

soak_scale() {
  ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  # shellcheck source=harness.sh
  source "$ROOT/edge-benchmarks/harness.sh"
  if [[ $SMOKE == 1 ]]; then
    N=${N:-2}; DURATION=${DURATION:-2}; SLICE=${SLICE:-1}; CHANGE=${CHANGE:-1}; POLL=${POLL:-1}
  fi
  N=${N:-20}; DURATION=${DURATION:-600}; SLICE=${SLICE:-60}; CHANGE=${CHANGE:-10}; POLL=${POLL:-10}
  # One wrk thread, as load.sh --scale: on 2 cores a second one takes the server's CPU and the p99
  # measures that (edge-server/README.md, "The HTTP layer").
  CONNECTIONS=${CONNECTIONS:-16}; THREADS=${THREADS:-1}; PORT=${PORT:-8000}
  local traits=${TRAITS:-15}
  if [[ -z ${SERVER_JAVA_OPTS+x} ]]; then SERVER_JAVA_OPTS="-Xmx384m -XX:+ExitOnOutOfMemoryError"; fi
  need_jars
  need_wrk
  make_work flagedge-soak
  identity_body "$WORK/identity.json" "$traits"
  start_stub "heavy:$N" "$CHANGE" "$POLL"
  start_server "$WORK/stub-config.json" edge-server
  wait_ready "http://127.0.0.1:$PORT/proxy/health/readiness" edge-server "$SERVER_PID" 300
  local feature
  feature=$(stub_state | sed -n 's/.* feature=\([^ ]*\).*/\1/p')

  echo
  machine_line
  echo "soak --scale: POST /api/v1/identities/, new identifier per request, $traits traits, keys over $N" \
    "heavy environments; wrk -t$THREADS -c$CONNECTIONS, ${SLICE}s slices for ${DURATION}s;" \
    "UpstreamStub changes every document every ${CHANGE}s, poll ${POLL}s"
  echo
  printf '| %5s | %9s | %8s | %7s | %7s | %9s | %5s | %10s |\n' slice "req/s" "p99 ms" errors "RSS MB" \
    "peak RSS" alive generation
  printf '|------:|----------:|---------:|--------:|--------:|----------:|------:|-----------:|\n'
  local slice _ rps p50 p99 errors state_now alive_now
  for ((slice = 1; slice <= DURATION / SLICE; slice++)); do
    read -r _ rps p50 p99 errors _ <<<"$(wrk_keys "$SLICE" "http://127.0.0.1:$PORT/api/v1/identities/" \
      POST heavy_ "$N" "$WORK/identity.json")"
    alive_now=$(alive "$SERVER_PID")
    state_now=$(stub_state | sed -n 's/^generation=\([0-9]*\).*/\1/p')
    printf '| %5s | %9.0f | %8.2f | %7s | %7s | %9s | %5s | %10s |\n' "$slice" "$rps" "$p99" "$errors" \
      "$(proc_mb "$SERVER_PID" VmRSS)" "$(proc_mb "$SERVER_PID" VmHWM)" "$alive_now" "$state_now"
    if [[ $alive_now == no ]]; then break; fi
  done

  # The newest document: every environment serves the generation current when the load stopped, or a
  # later one, within a poll interval (plus 5 s).
  local newest served=0 waited_from=$SECONDS i
  newest=$(stub_state | sed -n 's/^generation=\([0-9]*\).*/\1/p')
  for ((i = 0; i < N; i++)); do
    if ((i > 0)); then echo next; fi
    printf 'url = "http://127.0.0.1:%s/api/v1/flags/?feature=%s"\n' "$PORT" "$feature"
    printf 'header = "X-Environment-Key: heavy_%s"\nwrite-out = "\\n"\n' "$i"
  done >"$WORK/values.curl"
  while kill -0 "$SERVER_PID" 2>/dev/null; do
    served=$(curl -s -K "$WORK/values.curl" | grep -o '"feature_state_value": *"[^"]*"' \
      | sed 's/.*"gen-\([0-9]*\)"$/\1/;s/.*"[^"]*"$/0/' | awk -v g="$newest" '$1 >= g' | wc -l || true)
    if ((served == N || SECONDS - waited_from > POLL + 5)); then break; fi
    sleep 0.5
  done
  echo
  echo "process alive at the end: $(alive "$SERVER_PID") (server: $SERVER_JAVA $SERVER_JAVA_OPTS)"
  echo "newest document served: $([[ $served == "$N" ]] && echo yes || echo no):" \
    "$served of $N environments at generation >= $newest within $((SECONDS - waited_from)) s" \
    "of the load stopping; $(stub_state | sed -n 's/.*\(documents=[0-9]* not_modified=[0-9]*\).*/upstream \1/p')"
  if grep -q 'OutOfMemoryError' "$WORK/edge-server.log"; then
    echo "edge-server log mentions OutOfMemoryError:"; grep -m3 'OutOfMemoryError' "$WORK/edge-server.log"
  fi
}
if [[ $SCALE == 1 ]]; then
  soak_scale
  exit 0
fi

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DURATION=${DURATION:-600}
SLICE=${SLICE:-60}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
PORT=${PORT:-8000}
SERVER_JAVA_OPTS=${SERVER_JAVA_OPTS:--Xmx256m}
SERVER_JAR=${SERVER_JAR:-$ROOT/edge-server/target/edge-server.jar}
BENCH_JAR=$ROOT/edge-benchmarks/target/benchmarks.jar
command -v wrk >/dev/null || { echo "wrk not found: run .ci/install or apt-get install wrk" >&2; exit 1; }
[[ -f $SERVER_JAR && -f $BENCH_JAR ]] || (cd "$ROOT" && mvn -B -q install -DskipTests)

WORK=$(mktemp -d /tmp/flagedge-soak.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

java -cp "$BENCH_JAR" dev.flagedge.benchmarks.Environments "$WORK" simple >/dev/null
KEY=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['api_key'])" "$WORK/simple.json")
cp "$WORK/simple.json" "$WORK/template.json"
cat >"$WORK/config.json" <<JSON
{"environment_files": ["$WORK/simple.json"], "api_poll_frequency_seconds": 1,
 "server": {"port": $PORT}}
JSON
java $SERVER_JAVA_OPTS -jar "$SERVER_JAR" --config "$WORK/config.json" >"$WORK/server.log" 2>&1 &
SERVER=$!
PIDS+=("$SERVER")
for _ in $(seq 1 60); do
  curl -fsS -o /dev/null "http://127.0.0.1:$PORT/proxy/health/readiness" 2>/dev/null && break
  sleep 0.5
done

# A new document every second: the first feature's value carries a counter.
(
  n=0
  while true; do
    n=$((n + 1))
    python3 - "$WORK/template.json" "$WORK/next.json" "$n" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
doc["feature_states"][0]["feature_state_value"] = "soak-%s" % sys.argv[3]
doc["updated_at"] = "2026-11-25T00:00:%02d.%06dZ" % (int(sys.argv[3]) % 60, int(sys.argv[3]))
json.dump(doc, open(sys.argv[2], "w"))
PY
    mv "$WORK/next.json" "$WORK/simple.json"
    echo "$n" >"$WORK/version"
    sleep 1
  done
) &
PIDS+=("$!")

cat >"$WORK/soak.lua" <<'LUA'
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %.0f %.2f %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(99) / 1000, e.connect + e.read + e.write + e.timeout + e.status))
end
LUA

printf '%-7s %10s %9s %7s %12s %s\n' slice rps p99_ms errors heap_MB serving
FEATURE=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['feature_states'][0]['feature']['name'])" "$WORK/template.json")
for slice in $(seq 1 $((DURATION / SLICE))); do
  read -r _ RPS P99 ERRORS < <(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SLICE}s" -s "$WORK/soak.lua" \
    -H "X-Environment-Key: $KEY" "http://127.0.0.1:$PORT/api/v1/flags/" | grep '^RESULT')
  jcmd "$SERVER" GC.run >/dev/null
  HEAP=$(jcmd "$SERVER" GC.heap_info | awk '/used/ {for (i = 1; i <= NF; i++) if ($i == "used") {print $(i+1); exit}}')
  SERVING=$(curl -fsS -H "X-Environment-Key: $KEY" "http://127.0.0.1:$PORT/api/v1/flags/?feature=$FEATURE" \
    | python3 -c "import json,sys; print(json.load(sys.stdin)['feature_state_value'])")
  printf '%-7s %10s %9s %7s %12s %s (latest written: soak-%s)\n' "$slice" "$RPS" "$P99" "$ERRORS" \
    "$(( ${HEAP%K} / 1024 ))" "$SERVING" "$(cat "$WORK/version")"
done
