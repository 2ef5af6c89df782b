-- wrk script for the load and soak scenarios: every request carries an X-Environment-Key cycling over
-- many client keys and, for POST /identities/, its own identifier (so edge-server's identity response
-- cache never hits and every request is evaluated). Prints one parseable line when done:
--   RESULT <requests/s> <p50 ms> <p99 ms> <errors> <requests>
-- where errors = connect + read + write + timeout errors + non-2xx/3xx responses.
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

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %.1f %.3f %.3f %d %d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, e.connect + e.read + e.write + e.status + e.timeout,
    summary.requests))
end
