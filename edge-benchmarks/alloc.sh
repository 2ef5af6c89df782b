#!/usr/bin/env bash
# Bytes the server allocates and CPU time it spends per request, end to end (JDK HTTP server,
# routing, parsing, evaluation, response), measured from outside over a measured wrk run after a
# warm-up, divided by the requests served: allocation from JFR's per-thread counters, CPU from the
# process's user + system time in /proc (so a busy machine changes req/s, but hardly these). Works with any edge-server jar, so two builds can
# be compared:
#
#   edge-benchmarks/alloc.sh                                  # this tree's jar
#   SERVER_JAR=/path/to/other/edge-server.jar edge-benchmarks/alloc.sh
#
# Cases: POST /api/v1/identities/ on the heavy environment with 15 traits, every request a new
# identifier (so no cache answers it); the same with one fixed body (the cached path); the same
# identities as OFREP evaluations, all flags and one flag; GET /api/v1/flags/ on the heavy
# environment. Overrides: DURATION (s, 10), WARMUP (s, 10),
# CONNECTIONS (16), PORT (8000), SERVER_JAVA (java), SERVER_JAVA_OPTS (-Xmx512m), SERVER_JAR.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-10}
CONNECTIONS=${CONNECTIONS:-16}
PORT=${PORT:-8000}
SERVER_JAVA=${SERVER_JAVA:-java}
SERVER_JAVA_OPTS=${SERVER_JAVA_OPTS:--Xmx512m}
SERVER_JAR=${SERVER_JAR:-$ROOT/edge-server/target/edge-server.jar}
BENCH_JAR=$ROOT/edge-benchmarks/target/benchmarks.jar
JAVA_BIN=$(dirname "$(readlink -f "$(command -v "$SERVER_JAVA")")")

command -v wrk >/dev/null || { echo "wrk not found: run .ci/install or apt-get install wrk" >&2; exit 1; }
[[ -f $SERVER_JAR && -f $BENCH_JAR ]] || (cd "$ROOT" && ./mvnw -B -q install -DskipTests)

WORK=$(mktemp -d /tmp/flagedge-alloc.XXXXXX)
SERVER_PID=
cleanup() {
  if [[ -n $SERVER_PID ]]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

java -cp "$BENCH_JAR" dev.flagedge.benchmarks.Environments "$WORK" heavy >/dev/null
# The 15-trait identity as an OFREP context (targetingKey and the same traits).
printf '{"context":{"targetingKey":"bench-user-1"%s}}' \
  "$(for i in $(seq 0 14); do printf ',"trait_%d":"v0"' "$i"; done)" >"$WORK/ofrep-15.json"
cat >"$WORK/config.json" <<JSON
{"environment_files": [{"path": "$WORK/heavy.json", "server_side_key": "ser.bench_heavy"}],
 "server": {"port": $PORT}}
JSON
cat >"$WORK/alloc.jfc" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0" label="allocation per thread">
  <event name="jdk.ThreadAllocationStatistics">
    <setting name="enabled">true</setting>
    <setting name="period">1 s</setting>
  </event>
</configuration>
XML
cat >"$WORK/wrk.lua" <<'LUA'
-- args: method, body file, "unique" to give every request its own identifier
function init(args)
  wrk.method = args[1]
  if args[2] and args[2] ~= "" then
    local file = assert(io.open(args[2], "rb"))
    wrk.body = file:read("*a")
    file:close()
    wrk.headers["Content-Type"] = "application/json"
  end
  unique = args[3] == "unique"
end
local count = 0
function setup(thread) thread:set("id", tostring(thread):sub(-6)) end
function request()
  if not unique then return wrk.format() end
  count = count + 1
  local body = wrk.body:gsub('"bench%-user%-1"', '"alloc-' .. id .. '-' .. count .. '"', 1)
  return wrk.format(nil, nil, nil, body)
end
function done(summary) io.write(string.format("REQUESTS %d\n", summary.requests)) end
LUA

# shellcheck disable=SC2086
"$SERVER_JAVA" $SERVER_JAVA_OPTS -jar "$SERVER_JAR" --config "$WORK/config.json" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 120); do
  curl -fsS -o /dev/null "http://127.0.0.1:$PORT/proxy/health/readiness" 2>/dev/null && break
  sleep 0.5
done

cpu_ticks() { awk '{print $14 + $15}' "/proc/$SERVER_PID/stat"; }

measure() { # name, path, method, body file, unique|fixed
  local name=$1 file=$WORK/${1//[^a-z0-9]/-} url="http://127.0.0.1:$PORT$2" args=(-t1 -c"$CONNECTIONS" -H "X-Environment-Key: bench_heavy"
    -s "$WORK/wrk.lua")
  wrk "${args[@]}" -d"${WARMUP}s" "$url" -- "$3" "$4" "$5" >/dev/null
  "$JAVA_BIN/jcmd" "$SERVER_PID" JFR.start name=alloc settings="$WORK/alloc.jfc" >/dev/null
  sleep 1.5
  local requests ticks_before ticks_after
  ticks_before=$(cpu_ticks)
  requests=$(wrk "${args[@]}" -d"${DURATION}s" "$url" -- "$3" "$4" "$5" | awk '/^REQUESTS/ {print $2}')
  ticks_after=$(cpu_ticks)
  sleep 1.5
  "$JAVA_BIN/jcmd" "$SERVER_PID" JFR.stop name=alloc filename="$file.jfr" >/dev/null
  "$JAVA_BIN/jfr" print --json --events jdk.ThreadAllocationStatistics "$file.jfr" >"$file.json"
  python3 - "$file.json" "$requests" "$name" "$((ticks_after - ticks_before))" "$(getconf CLK_TCK)" <<'PY'
import json, sys
events = json.load(open(sys.argv[1]))["recording"]["events"]
seen = {}
for e in events:
    v = e["values"]
    name = v["thread"]["javaName"] if v.get("thread") else ""
    if name.startswith("JFR "):
        continue  # the recorder's own threads
    tid = v["thread"]["javaThreadId"] if v.get("thread") else None
    first, last = seen.get((tid, name), (v["allocated"], v["allocated"]))
    seen[(tid, name)] = (min(first, v["allocated"]), max(last, v["allocated"]))
total = sum(last - first for first, last in seen.values())
requests = int(sys.argv[2])
cpu_us = int(sys.argv[4]) / int(sys.argv[5]) * 1e6 / requests
print(f"| {sys.argv[3]:<40} | {requests:>9} | {total / requests:>13,.0f} | {cpu_us:>14.1f} |")
PY
}

echo "$(date -u +%Y-%m-%dT%H:%MZ) | $("$SERVER_JAVA" -version 2>&1 | head -1) | $SERVER_JAVA_OPTS | $(basename "$SERVER_JAR")"
echo
echo "| case                                     |  requests | bytes/request | CPU µs/request |"
echo "|------------------------------------------|----------:|--------------:|---------------:|"
measure "identities heavy 15 traits, unique" /api/v1/identities/ POST "$WORK/heavy-identity-15.json" unique
measure "identities heavy 15 traits, cached" /api/v1/identities/ POST "$WORK/heavy-identity-15.json" fixed
measure "OFREP bulk heavy 15 traits, unique" /ofrep/v1/evaluate/flags POST "$WORK/ofrep-15.json" unique
measure "OFREP one flag heavy 15 traits, unique" /ofrep/v1/evaluate/flags/feature_010 POST \
  "$WORK/ofrep-15.json" unique
measure "flags heavy" /api/v1/flags/ GET "" fixed
