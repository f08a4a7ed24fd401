-- Every scenario's load: cycle through the requests listed in a file written by bench/scenarios.py.
-- One request per line: METHOD <tab> PATH <tab> TOKEN <tab> BODY [<tab> HEADER] (token and body may
-- be empty; HEADER, one more header as "Name: value", may be left out with its tab).
-- A "{n}" in a body becomes a number unique to this run (new article titles); each wrk thread
-- starts at its own place in the list, so connections spread over offsets, users and slugs.
-- done() prints one JSON line that bench/load.py reads.

local threads = 0

function setup(thread)
   thread:set("id", threads)
   threads = threads + 1
end

function init(args)
   requests = {}
   for line in io.lines(args[1]) do
      local method, path, token, body, header = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t([^\t]*)\t?(.*)$")
      local headers = {}
      if token ~= "" then headers["Authorization"] = "Token " .. token end
      if header ~= "" then
         local name, value = header:match("^([^:]+): (.*)$")
         headers[name] = value
      end
      if body ~= "" then headers["Content-Type"] = "application/json" else body = nil end
      local templated = body ~= nil and body:find("{n}", 1, true) ~= nil
      local request = {method = method, path = path, headers = headers, body = body, templated = templated}
      if not templated then request.formatted = wrk.format(method, path, headers, body) end
      requests[#requests + 1] = request
   end
   position = (id * 7919) % #requests
   sent = 0
end

function request()
   position = position % #requests + 1
   sent = sent + 1
   local r = requests[position]
   if r.formatted then return r.formatted end
   local body = r.body:gsub("{n}", id .. "-" .. sent)
   return wrk.format(r.method, r.path, r.headers, body)
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      '{"requests": %d, "duration_us": %d, "bytes": %d, "errors_connect": %d, "errors_read": %d,' ..
      ' "errors_write": %d, "errors_timeout": %d, "status_errors": %d, "p50_us": %d, "p90_us": %d,' ..
      ' "p99_us": %d, "mean_us": %.1f, "max_us": %d}\n',
      summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.timeout, e.status,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean, latency.max))
end
