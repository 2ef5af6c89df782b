-- wrk script for the load and soak scenarios: every request carries an X-Environment-Key cycling over
-- many client keys and, for POST /identities/, its own identifier (so edge-server's identity response
-- cache never hits and every request is evaluated). Prints one parseable line when done:
--   RESULT <requests/s> <p50 ms> <p99 ms> <errors> <requests> <p99.9 ms> <max ms>
-- where errors = connect + read + write + timeout errors + non-2xx/3xx responses.
--
-- Paced mode: with RATE (requests/s over all threads) and WRK_THREADS (wrk's -t) in the environment,
-- each thread sends at most its share: a request waits for the next free slot of a schedule RATE /
-- WRK_THREADS per second, so the server sees a steady rate instead of as many requests as it can
-- answer. wrk times a request from when it is sent, so a paced run's latencies are the server's
-- (and the network's), not the time a request waited for its slot.
--
-- Script arguments (after wrk's --):  METHOD KEY_PREFIX COUNT [BODY_FILE]
--   keys are KEY_PREFIX0 … KEY_PREFIX{COUNT-1}, e.g. heavy_ 200 → heavy_0 … heavy_199;
--   BODY_FILE is a JSON body whose identifier "bench-user-1" is replaced per request.

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_id", threads)
end

local method, keys, head, tail, headers
local rate = tonumber(os.getenv("RATE") or "0") or 0
local count = 0
local prefix = ""

function init(args)
  method = args[1] or "GET"
  local key_prefix = args[2] or "heavy_"
  local n = tonumber(args[3] or "1")
  keys = {}
  for i = 0, n - 1 do keys[#keys + 1] = key_prefix .. i end
  headers = {}
  if args[4] then
    local file = assert(io.open(args[4], "rb"))
    local body = file:read("*a")
    file:close()
    local s, e = body:find('"bench-user-1"', 1, true)
    assert(s, "the body must hold the identifier \"bench-user-1\"")
    head = body:sub(1, s)
    tail = body:sub(e)
    headers["Content-Type"] = "application/json"
  end
  local id = thread_id or 1
  prefix = "load-" .. os.time() .. "-" .. id .. "-"
  -- threads start at different keys so that they do not move over the keys in step
  count = (id - 1) * 7919
end

function request()
  count = count + 1
  headers["X-Environment-Key"] = keys[count % #keys + 1]
  if head then
    return wrk.format(method, nil, headers, head .. prefix .. count .. tail)
  end
  return wrk.format(method, nil, headers, nil)
end

if rate > 0 then
  -- wrk calls delay() before each request only when the script defines it, so only paced runs do.
  local ffi = require("ffi")
  ffi.cdef [[
    typedef struct { long tv_sec; long tv_nsec; } flagedge_timespec;
    int clock_gettime(int clock_id, flagedge_timespec *tp);
  ]]
  local CLOCK_MONOTONIC = 1
  local now = ffi.new("flagedge_timespec")
  local function now_ms()
    ffi.C.clock_gettime(CLOCK_MONOTONIC, now)
    return tonumber(now.tv_sec) * 1000 + tonumber(now.tv_nsec) / 1e6
  end
  local interval = 1000 * (tonumber(os.getenv("WRK_THREADS") or "1") or 1) / rate
  local next_slot = nil

  function delay()
    local t = now_ms()
    -- a schedule that fell behind (the server was slower than the rate) restarts from now rather
    -- than sending a burst to catch up
    if next_slot == nil or next_slot < t - interval then next_slot = t end
    next_slot = next_slot + interval
    return math.max(0, next_slot - interval - t)
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %.1f %.3f %.3f %d %d %.3f %.3f\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, e.connect + e.read + e.write + e.status + e.timeout,
    summary.requests, latency:percentile(99.9) / 1000, latency.max / 1000))
end
