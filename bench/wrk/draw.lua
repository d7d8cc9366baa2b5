-- wrk script for the Tessera benchmarks: builds every request, drawing the token from a file (one per line) at random
-- or in order, into the JSON body {"token": ...} or the Authorization header. Prints one WRK_JSON line at the end.
-- args: method path into(none|body|bearer) file order(random|sequential) body ["Name: value" ...]
local method, path, into, file, order, body
local headers = {}
local tokens, n, i = {}, 0, 0

function init(args)
  method, path, into, file, order, body = args[1], args[2], args[3], args[4], args[5], args[6]
  for k = 7, #args do
    local name, value = args[k]:match("^([^:]+):%s*(.*)$")
    if name then headers[name] = value end
  end
  if into ~= "none" then
    for line in io.lines(file) do
      if #line > 0 then n = n + 1; tokens[n] = line end
    end
  end
  math.randomseed(os.time())
end

function request()
  if into == "none" then
    return wrk.format(method, path, headers, body ~= "" and body or nil)
  end
  local tok
  if order == "sequential" then i = i % n + 1; tok = tokens[i] else tok = tokens[math.random(n)] end
  if into == "body" then
    return wrk.format(method, path, headers, '{"token":"' .. tok .. '"}')
  end
  headers["authorization"] = "Bearer " .. tok
  return wrk.format(method, path, headers, nil)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"duration_us":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,' ..
    '"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
