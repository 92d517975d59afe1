--- Result tables: plain tables with one naming for every endpoint; the server's own
--- object stays reachable as `result.raw` without being one of the table's keys (so it
--- does not show in printing or JSON).
local result = {}

local plain = {}

--- Makes `record` a result of kind `kind` (e.g. "PhoneNumber") with `raw` behind it and,
--- optionally, methods.
---@param kind string the type name after "flireo."
---@param record table the normalized fields
---@param raw any the server's object
---@param methods? table functions reachable as record:name()
---@return table record
function result.new(kind, record, raw, methods)
  methods = methods or plain
  return setmetatable(record, {
    __name = "flireo." .. kind,
    -- For the REPL's completion, which reads tables and never calls __index.
    __methods = methods, __raw = raw,
    __tostring = function(self)
      local ok, text = pcall(json.encode, self)
      return "flireo." .. kind .. (ok and " " .. text or "")
    end,
    __index = function(_, key)
      if key == "raw" then return raw end
      return methods[key]
    end,
  })
end

return result
