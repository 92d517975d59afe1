-- The demo `make run` plays when stdin is not a terminal: a tour of what flireo adds
-- to Lua. Changes no data.
print("flireo demo: Lua " .. _VERSION:match("%d+%.%d+") .. " with JSON and concurrency")
local doc = json.decode('{"assistants": 3, "numbers": [1, 2.5], "empty": []}')
print("json round trip:", json.encode(doc))
local started = os.clock()
local results = parallel({1, 2, 3, 4}, function(n) sleep(0.05) return n * n end, {concurrency = 4})
print("parallel squares:", table.concat(results, ", "))
