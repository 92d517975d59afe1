--- The last scrub on stderr for what Lua writes there itself: `io.stderr:write(…)` (the
--- shipped scripts' messages, a script's own) and `warn(…)` pass every string through
--- flireo.native.redact, as the host's own messages do, so no API key the process holds
--- (or 12 characters of it, or a word that looks like one) reaches the screen or a log.
--- Installed once, when the flireo module loads.
local native = require "flireo.native"

local redact = native.redact
local stderr = io.stderr
local methods = getmetatable(stderr).__index

local function scrubbed(n, ...)
  local parts = table.pack(...)
  for i = 1, n do
    if type(parts[i]) == "string" then parts[i] = redact(parts[i]) end
  end
  return table.unpack(parts, 1, n)
end

if not rawget(methods, "__flireo_scrubbed") then
  local raw_write = methods.write
  rawset(methods, "__flireo_scrubbed", true)
  -- Only stderr is scrubbed; every other file (journals, exports) is written as given.
  rawset(methods, "write", function(file, ...)
    if rawequal(file, stderr) then return raw_write(file, scrubbed(select("#", ...), ...)) end
    return raw_write(file, ...)
  end)
  local raw_warn = warn
  warn = function(...) return raw_warn(scrubbed(select("#", ...), ...)) end
end
