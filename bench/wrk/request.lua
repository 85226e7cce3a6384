-- One scenario's request, from the environment (set by bench/bench.py):
--   METHOD, REQ_PATH, BODY (form-encoded), KEY (Bearer), ACCOUNT (Stripe-Account),
--   IDEMPOTENT=1: a fresh Idempotency-Key on every request (RUN keeps runs apart),
--   CODES=file: one OAuth code per line, each exchanged once (the thread stops when its share
--   is spent).
-- `done` prints one JSON line the harness reads: counts and latency percentiles in µs.
local method = os.getenv("METHOD") or "GET"
local path = os.getenv("REQ_PATH") or "/"
local body = os.getenv("BODY")
local key = os.getenv("KEY")
local account = os.getenv("ACCOUNT")
local idempotent = os.getenv("IDEMPOTENT") == "1"
local run = os.getenv("RUN") or "0"
local codes_file = os.getenv("CODES")

local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

local counter = 0
local codes = {}
function init(args)
  if codes_file then
    local n = 0
    local total = tonumber(os.getenv("THREADS") or "1")
    for line in io.lines(codes_file) do
      if n % total == (id - 1) then table.insert(codes, line) end
      n = n + 1
    end
  end
end

function request()
  local headers = {}
  if key then headers["Authorization"] = "Bearer " .. key end
  if account then headers["Stripe-Account"] = account end
  local payload = body
  if codes_file then
    counter = counter + 1
    local code = codes[counter]
    if code == nil then
      wrk.thread:stop()
      code = "spent"
    end
    payload = "grant_type=authorization_code&code=" .. code
  end
  if payload then headers["Content-Type"] = "application/x-www-form-urlencoded" end
  if idempotent then
    counter = counter + 1
    headers["Idempotency-Key"] = "bench-" .. run .. "-" .. id .. "-" .. counter
  end
  return wrk.format(method, path, headers, payload)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "non2xx": %d, "socket_errors": %d, "p50_us": %d, "p99_us": %d}\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
