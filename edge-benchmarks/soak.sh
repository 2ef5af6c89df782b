#!/usr/bin/env bash
# Soak run of edge-server (not part of CI): steady load for DURATION seconds while the environment
# document changes every second; prints requests/s, p99 and errors per minute, the heap after a full
# GC each minute, and whether the newest document was being served.
#
#   edge-benchmarks/soak.sh                 # 10 minutes
#   DURATION=120 edge-benchmarks/soak.sh    # shorter
#
# Overrides: DURATION (s, 600), SLICE (s, 60), CONNECTIONS (16), THREADS (2), PORT (8000),
# SERVER_JAVA_OPTS (-Xmx256m). Needs the jars (mvn -B -q install -DskipTests) and wrk and jcmd.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DURATION=${DURATION:-600}
SLICE=${SLICE:-60}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
PORT=${PORT:-8000}
SERVER_JAVA_OPTS=${SERVER_JAVA_OPTS:--Xmx256m}
SERVER_JAR=$ROOT/edge-server/target/edge-server.jar
BENCH_JAR=$ROOT/edge-benchmarks/target/benchmarks.jar
command -v wrk >/dev/null || apt-get install -y wrk >/dev/null
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
