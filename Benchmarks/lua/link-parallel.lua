-- Benchmark (issue 5): flireo.parallel linking every assistant of the account to a shared
-- default number, the same request Benchmarks/sandbox/link.lua makes for wrk.
-- usage: flireo link-parallel.lua [concurrency]
local concurrency = tonumber(arg[1]) or 32
local fixture = flireo.request("GET", "/_sandbox/fixture").data
local number = fixture.default_numbers[1]
local assistants = flireo.assistants({page_size = 100}):list()
flireo.config.warnings = false
local start = flireo.clock()
-- ensure: the seed puts one assistant on that number already, and its request may reach
-- the server before another link has released it: the server then rightly answers
-- already_linked, which for this job is done.
local _, failures = flireo.parallel(assistants, function(a) return a:link(number, {ensure = true}) end,
  {concurrency = concurrency})
local elapsed = flireo.clock() - start
local failed, first = 0, nil
for _, e in pairs(failures or {}) do
  failed = failed + 1
  first = first or e
end
if first then io.stderr:write("first failure: ", tostring(first), "\n") end
print(("%d links in %.3f s: %.0f links/s, %d failed (concurrency %d)"):format(
  #assistants, elapsed, #assistants / elapsed, failed, concurrency))
