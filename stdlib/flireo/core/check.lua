--- Argument checks and structured errors for the flireo module: every public function
--- validates its arguments first and raises before any request, naming the parameter
--- and the caller's file:line.
local native = require "flireo.native"

local check = {}

local error_mt = native.error_metatable()
-- Under the flireo module, the errors are flireo's: the REPL shows and documents them so.
error_mt.__name = "flireo.Error"
-- An error a dry run predicted (core/plan.lua marks it): its one line says nothing was sent.
local one_line = error_mt.__tostring
function error_mt.__tostring(e)
  local s = one_line(e)
  if rawget(e, "dry_run") == true then s = s .. " (predicted by the dry run: nothing was sent)" end
  return s
end

--- The caller's position `file:line`, skipping the flireo library's own frames.
---@param level integer stack level to start from (1 = the function calling where)
---@return string|nil position
function check.where(level)
  level = level + 1
  while true do
    local info = debug.getinfo(level, "Sl")
    if not info then return nil end
    local library = info.source == "@flireo.lua" or info.source:match("^@flireo/") or info.source == "=luakit"
    if info.currentline > 0 and not library then
      return info.short_src .. ":" .. info.currentline
    end
    level = level + 1
  end
end

--- Raises a structured error (a table with code, message, status, … and the caller's
--- position), as the natives do.
---@param code string e.g. "invalid_parameters", "not_found"
---@param message string what went wrong
---@param fields? table more fields (status, details, …)
function check.raise(code, message, fields)
  local e = {code = code, message = message, where = check.where(2)}
  for k, v in pairs(fields or {}) do e[k] = v end
  error(setmetatable(e, error_mt), 0)
end

--- Raises when arguments follow the last one `name` takes (a nil passed on by a wrapper
--- is none): `flireo.assistant(id, "x")` would otherwise drop "x" without a word.
---@param name string e.g. "flireo.assistant", "assistant:link"
---@param takes string what it takes, e.g. "(id)", "(number [, opts])"
---@param declared integer how many arguments it takes
function check.no_more(name, takes, declared, ...)
  local last = 0
  for i = 1, select("#", ...) do
    if select(i, ...) ~= nil then last = i end
  end
  if last > 0 then
    local e = {code = "invalid_parameters", where = check.where(2),
      message = ("too many arguments to %s: it takes %s, got %d"):format(name, takes, declared + last)}
    error(setmetatable(e, error_mt), 0)
  end
end

--- A short description of a value for messages: strings quoted (cut at 40 bytes, on a
--- character's boundary), numbers and booleans shown, others by type.
function check.describe(value)
  if type(value) == "string" then
    -- An API key passed by mistake is not quoted back, whatever surrounds it.
    if native.holds_secret(value) then return "a string that looks like an API key (not shown)" end
    local shown = value
    if #value > 40 then
      -- utf8.offset finds where the character holding byte 41 starts (nil in invalid UTF-8).
      local cut = utf8.len(value) and utf8.offset(value, 0, 41) or 41
      shown = value:sub(1, cut - 1) .. "…"
    end
    return (("%q"):format(shown):gsub("\\\n", "\\n"))
  end
  -- NaN prints as "nan" or "-nan" depending on the platform: named as Lua makes it.
  if value ~= value then return "NaN (0/0)" end
  if type(value) == "number" or type(value) == "boolean" then return tostring(value) end
  if type(value) == "userdata" or type(value) == "table" then
    local name = (getmetatable(value) or {}).__name
    if type(name) == "string" then return name end
  end
  return type(value) == "nil" and "nothing" or "a " .. type(value)
end

-- `flireo:assistants()` for `flireo.assistants()`: the client came as the first argument.
local function client_hint(value)
  local mt = (type(value) == "table") and getmetatable(value)
  if type(mt) == "table" and rawget(mt, "__name") == "flireo" then
    -- The function called as a method: the frame Lua names so (a tail call has no name).
    for level = 3, 12 do
      local info = debug.getinfo(level, "n")
      if not info then break end
      if info.namewhat == "method" and info.name then
        return (" itself: call its functions with '.', not ':' (flireo.%s(…), not flireo:%s(…))"):format(info.name, info.name)
      end
    end
    return " itself: call its functions with '.', not ':' (flireo.assistants(), not flireo:assistants())"
  end
  return ""
end

--- Raises `Invalid 'name': expected …, got …` for a bad argument.
---@param name string the parameter's name
---@param expected string what it should have been
---@param got any what it was
function check.bad(name, expected, got)
  local hint = client_hint(got)
  local e = {
    code = "invalid_parameters",
    message = ("Invalid '%s': expected %s, got %s%s"):format(name, expected,
      hint ~= "" and "the flireo client" or check.describe(got), hint),
    where = check.where(2),
  }
  error(setmetatable(e, error_mt), 0)
end

--- Checks a UUID argument and returns it.
function check.uuid(value, name)
  if type(value) ~= "string" or not native.is_uuid(value) then
    check.bad(name, "a UUID (8-4-4-4-12 hex digits)", value)
  end
  return value
end

--- Checks an optional table argument (options) and returns it or an empty table.
function check.options(value, name, known)
  if value == nil then return {} end
  if type(value) ~= "table" then check.bad(name, "a table of options", value) end
  if client_hint(value) ~= "" then check.bad(name, "a table of options", value) end
  if known then
    for k in pairs(value) do
      if not known[k] then
        local names = {}
        for n in pairs(known) do names[#names + 1] = n end
        table.sort(names)
        check.raise("invalid_parameters", ("Invalid '%s': unknown option %s (options: %s)")
          :format(name, check.describe(k), table.concat(names, ", ")))
      end
    end
  end
  return value
end

--- Checks an optional typed field of an options table.
function check.field(options, key, kind, name)
  local value = options[key]
  if value ~= nil and type(value) ~= kind then
    check.bad(name .. "." .. key, "a " .. kind, value)
  end
  return value
end

--- Checks an optional field that must be one of the strings `choices` (a sequence) and
--- returns it.
function check.choice(options, key, choices, name)
  local value = options[key]
  if value == nil then return nil end
  for _, c in ipairs(choices) do
    if value == c then return value end
  end
  check.bad(name .. "." .. key, "one of " .. table.concat(choices, ", "), value)
end

--- Checks that a method was called with ':' (its self is a table of this kind).
---@param self any what the method got as self
---@param kind string the type's name, e.g. "flireo.Order"
---@param method string the method's name, e.g. "wait"
function check.self(self, kind, method)
  local name = type(self) == "table" and (getmetatable(self) or {}).__name
  if name ~= kind then
    check.bad("self", ("a %s (call it as x:%s(…), with ':')"):format(kind, method), self)
  end
end

--- Checks an optional whole number field within `low`–`high` (a float with an integral
--- value counts).
function check.integer_field(options, key, low, high, name)
  local value = options[key]
  if value == nil then return nil end
  local n = type(value) == "number" and math.tointeger(value)
  if not n or n < low or n > high then
    check.bad(name .. "." .. key, ("an integer from %d to %d"):format(low, high), value)
  end
  return n
end

--- Checks an optional page size (1–100).
function check.page_size(options, name, default)
  return check.integer_field(options, "page_size", 1, 100, name) or default
end

return check
