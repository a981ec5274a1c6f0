-- wrk script: POST the fixture with a distinct fingerprint per request (never a duplicate).
-- Requests are built ahead in init(): building a 1.6 KB body per request inside wrk costs CPU the
-- service under test then lacks on a 2-core machine, and the bench measures the service, not wrk.
local body_template = nil
local counter = 0
local thread_id = 0
local run_id = ""
local prebuilt = {}
local prebuilt_count = 0

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
end

local function build(i)
  local body = body_template:gsub('"fingerprint":"', '"fingerprint":"' .. run_id .. 't' .. thread_id .. "-" .. i .. "-", 1)
  return wrk.format(nil, nil, nil, body)
end

function init(args)
  local f = assert(io.open(args[1], "r"))
  body_template = f:read("*a")
  f:close()
  thread_id = tid
  -- A run id keeps bodies of successive runs (warm-up, measurement) distinct too.
  run_id = args[2] or ""
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer bench-token"
  prebuilt_count = tonumber(args[3] or "0")
  for i = 1, prebuilt_count do
    prebuilt[i] = build(i)
  end
end

local n = 0
function request()
  n = n + 1
  -- Past the prebuilt ones (a faster machine than expected), keep going with fresh bodies.
  return prebuilt[n] or build(n)
end

function done(summary, latency, requests)
  io.write(string.format("WRK %d %d %d %d %d\n", summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, latency:percentile(50), latency:percentile(99), summary.duration))
end
