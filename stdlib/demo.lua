-- The tour `make run` plays when stdin is not a terminal (on the embedded sandbox):
-- what flireo adds to Lua, in a dozen lines. Changes only the sandbox's data.
local inspect = require "flireo.inspect"
print(("flireo %s on %s"):format(flireo.version, flireo.base_url))

local assistants = flireo.assistants():list()
print(("%d assistants; the first: %s"):format(#assistants, tostring(assistants[1])))
print("its number:", inspect(assistants[1]:phone()))

local free = flireo.phone_numbers({available = true}):list()
local a = flireo.assistant(assistants[2].id)
local result = a:link(free[1].number)          -- an E.164 number, an id, or a number table
print("linked:", result.phone_number.number, "previous:", result.previous_phone_number_id)

local ok, err = pcall(a.link, a, free[1].number)  -- errors are tables with a code
print("again:", ok, err.code, err.status)

local phones = flireo.parallel(assistants, function(x) return x:phone() or false end, {concurrency = 8})
local linked = 0
for _, p in ipairs(phones) do if p then linked = linked + 1 end end
print(("%d of %d assistants have a number (read concurrently)"):format(linked, #assistants))
