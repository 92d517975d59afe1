-- Benchmark (issues 3 and 5): one request at a time, as a REPL user or a plain loop makes
-- them: N links of the shared default number (each releases the assistant before), then
-- N a:phone() reads; the time each takes, request and Lua call together.
-- usage: flireo --rate-limit off sequential.lua [N]
local n = tonumber(arg[1]) or 3000
local number = flireo.request("GET", "/_sandbox/fixture").data.default_numbers[1]
local assistants = flireo.assistants({page_size = 100}):list()
assert(#assistants >= n, "the account needs at least " .. n .. " assistants")
flireo.config.warnings = false
local function timed(name, fn)
  local cpu, start = os.clock(), flireo.clock()
  for i = 1, n do fn(assistants[i]) end
  local elapsed, used = flireo.clock() - start, os.clock() - cpu
  print(("%-12s %d in %.3f s: %4.0f µs each, %4.0f µs of CPU"):format(name, n, elapsed, elapsed / n * 1e6, used / n * 1e6))
end
timed("a:link", function(a) a:link(number, {ensure = true}) end)
timed("a:phone()", function(a) a:phone() end)
