-- Benchmark (issue 5), for profiles and collector comparisons: flireo.parallel linking
-- every assistant of the account to a shared default number, four rounds in one process.
-- usage: flireo link-rounds.lua [gen|incremental|generational]
--   (gen: the collector flireo starts with, as lua does; the others switch before the rounds)
local mode = arg[1] or "gen"
if mode ~= "gen" then collectgarbage(mode) end
local fixture = flireo.request("GET", "/_sandbox/fixture").data
local number = fixture.default_numbers[1]
local assistants = flireo.assistants({page_size = 100}):list()
flireo.config.warnings = false
local rates = {}
for round = 1, 4 do
  local start = flireo.clock()
  flireo.parallel(assistants, function(a) return a:link(number) end, {concurrency = 32})
  rates[round] = math.floor(#assistants / (flireo.clock() - start))
end
print(mode, "links/s by round: " .. table.concat(rates, " "))
