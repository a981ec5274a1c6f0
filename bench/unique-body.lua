-- wrk script: POST the fixture with a distinct fingerprint per request (never a duplicate).
local body_template = nil
local counter = 0
local thread_id = 0
local run_id = ""

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
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
end

local n = 0
function request()
  n = n + 1
  local body = body_template:gsub('"fingerprint":"', '"fingerprint":"' .. run_id .. 't' .. thread_id .. "-" .. n .. "-", 1)
  return wrk.format(nil, nil, nil, body)
end

function done(summary, latency, requests)
  io.write(string.format("WRK %d %d %d %d %d\n", summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, latency:percentile(50), latency:percentile(99), summary.duration))
end
