--- The last scrub for `warn(…)`: its pieces, joined as Lua joins them, pass through
--- flireo.native.redact, so no API key the process holds (or 12 characters of it, or a
--- word that looks like one) reaches stderr. (io.stderr itself is filtered by the host,
--- a line at a time: LuaState.filterStandardError.) Installed once, when flireo loads.
local native = require "flireo.native"

local redact = native.redact

if not rawget(_G, "__flireo_warn_scrubbed") then
  rawset(_G, "__flireo_warn_scrubbed", true)
  local raw_warn = warn
  warn = function(...)
    local n = select("#", ...)
    local pieces = table.pack(...)
    for i = 1, n do
      if type(pieces[i]) ~= "string" then
        error(("bad argument #%d to 'warn' (string expected, got %s)"):format(i, type(pieces[i])), 2)
      end
    end
    if n == 0 then error("bad argument #1 to 'warn' (string expected, got no value)", 2) end
    local joined = table.concat(pieces, "", 1, n)
    -- Control messages ("@on", "@off") pass as they are.
    return raw_warn(joined:sub(1, 1) == "@" and n == 1 and joined or redact(joined))
  end
end
