-- Benchmark: what one request costs at each layer, at concurrency 32 against the sandbox
-- (CPU time of the whole flireo process per item, all threads).
-- usage: FLIREO_BASE_URL=… FLIREO_API_KEY=… flireo --rate-limit off pieces.lua
local fx = flireo.request("GET", "/_sandbox/fixture").data
local number = fx.default_numbers[1]
local assistants = flireo.assistants({page_size = 100}):list()
flireo.config.warnings = false
local function bench(name, fn)
  local c0, t0 = os.clock(), flireo.clock()
  local _, f = flireo.parallel(assistants, fn, {concurrency = 32})
  local t, c = flireo.clock() - t0, os.clock() - c0
  print(("%-28s %6.0f /s  %5.1f µs CPU each  failures %s"):format(name, #assistants / t, c / #assistants * 1e6, f and "yes" or "no"))
end
bench("sleep(0) (scheduler only)", function() sleep(0) end)
bench("raw request GET", function(a) return flireo.request("GET", "/v1/assistants/" .. a.id .. "/phone-number") end)
bench("a:phone()", function(a) return a:phone() end)
bench("raw request POST link", function(a) return flireo.request("POST", "/v1/assistants/" .. a.id .. "/phone-number", {phone_number_id = number}) end)
bench("a:link(id)", function(a) return a:link(number) end)
