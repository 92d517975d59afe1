--- Any Lua value as readable text (`flireo.inspect`). The REPL prints results with it;
--- scripts use it for logs and debugging.
---
---   local inspect = require "flireo.inspect"
---   print(inspect({b = 1, a = {1, 2}}))            --> { a = { 1, 2 }, b = 1 }
---   print(inspect(t, {depth = 2, color = true}))
---
--- Tables are sorted (the sequence first, then numbers, strings, booleans, other keys)
--- and indented when they do not fit on one line; nesting past `depth` shows as `{…}`,
--- a table inside itself as `<cycle>`, a long sequence is cut with a count, and strings
--- are quoted with escapes; each limit may be `math.huge`, and `{all = true}` lifts them
--- all. Userdata shows through its `__tostring`, `json.null` as
--- `null`, and so does a table of a class of the user's own (a `__tostring` without a
--- `__name`). Library objects (a metatable with a `__name`) hide their `_` fields, and
--- show through their `__tostring` when nothing else is left. Only a proxy (an empty
--- table whose metatable has `__pairs`, such as `flireo.config`) is read through a
--- metamethod; `__index` and `__len` never are.
---@class flireo.inspect
---@overload fun(value: any, opts?: flireo.inspect.Options): string
local M = {}

--- Options of `inspect`; every field is optional.
---@class flireo.inspect.Options
---@field depth? integer levels of nesting shown before `{…}` (default 4; 500 at most, as json.encode)
---@field items? integer sequence items shown before `… (n more)` (default 50)
---@field keys? integer other keys shown per table before `… (n more keys)` (default 100)
---@field string? integer bytes of a string shown before the rest is cut (default 2000)
---@field width? integer a table that fits in this many columns stays on one line (default 80)
---@field indent? string one level of indentation (default two spaces)
---@field color? boolean ANSI colours (default false; never when NO_COLOR is set)
---@field all? boolean no limits: every item, key, level (up to 500) and byte (cycles still shown as `<cycle>`)

local type, next, rawget, rawlen, tostring, pcall, getmetatable, setmetatable, pairs =
  type, next, rawget, rawlen, tostring, pcall, getmetatable, setmetatable, pairs
local sort, concat = table.sort, table.concat
local mtype, huge, min = math.type, math.huge, math.min
local format, byte, find, sub, gsub, rep = string.format, string.byte, string.find, string.sub, string.gsub, string.rep
local ulen = utf8.len
local getenv = os.getenv

local DEFAULTS = {depth = 4, items = 50, keys = 100, string = 2000, width = 80, indent = "  "}
-- Nesting deeper than this shows as `{…}` whatever the options: rendering recurses, and a
-- chain of 100,000 tables would end in a stack overflow.
local MAX_DEPTH = 500
-- The options that leave something out, which `all` lifts.
local LIMITS = {depth = true, items = true, keys = true, string = true}
-- The most values rendered in one call, whatever the options: a wide, shared
-- structure stays bounded.
local BUDGET = 5000
-- The most keys sorted per table; a larger table shows the first ones found.
local SORT_LIMIT = 10000

local KEYWORDS = {}
for word in ("and break do else elseif end false for function goto if in local nil not or " ..
  "repeat return then true until while"):gmatch("%a+") do KEYWORDS[word] = true end

local COLORS = {
  string = "32", number = "36", boolean = "35", ["nil"] = "35", null = "35",
  ["function"] = "34", userdata = "34", thread = "34", muted = "90",
}

local ESCAPES = {
  ['"'] = '\\"', ["\\"] = "\\\\", ["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t",
  ["\a"] = "\\a", ["\b"] = "\\b", ["\f"] = "\\f", ["\v"] = "\\v",
}

local function paint(ctx, kind, text)
  local code = ctx.color and COLORS[kind]
  return code and ("\27[" .. code .. "m" .. text .. "\27[0m") or text
end

-- Bytes that are not UTF-8 as \xHH; valid text as it is.
local function escape_invalid(s)
  if ulen(s) then return s end
  local parts, i, n = {}, 1, #s
  while i <= n do
    local ok, bad = ulen(s, i)
    if ok then
      parts[#parts + 1] = sub(s, i)
      break
    end
    parts[#parts + 1] = sub(s, i, bad - 1)
    parts[#parts + 1] = format("\\x%02X", byte(s, bad))
    i = bad + 1
  end
  return concat(parts)
end

-- A marker of what was left out; the rendering then says it was cut.
local function cut_mark(ctx, text)
  ctx.cut = true
  return paint(ctx, "muted", text)
end

-- `s` safe on a terminal: what `pattern` matches (control characters by default) as Lua
-- escapes, C1 controls (U+009B is a terminal's CSI) and the bidirectional overrides and
-- isolates (they reorder what follows on the screen) as Lua writes a character, and
-- invalid UTF-8 as \xNN.
local function tame(s, pattern)
  s = gsub(s, pattern or "%c", function(c) return ESCAPES[c] or format("\\%03d", byte(c)) end)
  if s:find("[\194\226]") then
    s = gsub(s, "\194[\128-\159]", function(c) return format("\\u{%X}", byte(c, 2)) end)
    s = gsub(s, "\226\128[\170-\174]", function(c) return format("\\u{%X}", 0x2000 + byte(c, 3) - 0x80) end)
    s = gsub(s, "\226\129[\166-\169]", function(c) return format("\\u{%X}", 0x2040 + byte(c, 3) - 0x80) end)
  end
  return escape_invalid(s)
end

local function quote(s, ctx)
  local cut = #s - ctx.string
  if cut > 0 then s = sub(s, 1, ctx.string) end
  local text = '"' .. tame(s, '[%c"\\]') .. '"'
  if cut > 0 then text = text .. cut_mark(ctx, format("… (%d more bytes)", cut)) end
  return paint(ctx, "string", text)
end

local function number(n)
  if n ~= n then return "0/0" end
  if n == huge then return "math.huge" end
  if n == -huge then return "-math.huge" end
  return tostring(n)
end

local function safe_tostring(v)
  local ok, s = pcall(tostring, v)
  if ok and type(s) == "string" then return s end
  return "<" .. type(v) .. ": __tostring failed>"
end

-- (Tamed: a name is the script's text, and shown it must not drive the terminal.)
local function name_of(v)
  local mt = getmetatable(v)
  local name = type(mt) == "table" and rawget(mt, "__name")
  return type(name) == "string" and tame(name) or nil
end

-- Key order: numbers, strings, booleans (false first), then anything else.
local ORDER = {number = 1, string = 2, boolean = 3}
local function key_less(a, b)
  local ta, tb = type(a), type(b)
  local oa, ob = ORDER[ta] or 4, ORDER[tb] or 4
  if oa ~= ob then return oa < ob end
  if oa == 1 or oa == 2 then return a < b end
  if oa == 3 then return not a and b end
  return safe_tostring(a) < safe_tostring(b)
end

local render

local function visible_length(s)
  local plain = gsub(s, "\27%[[%d;]*m", "")
  return ulen(plain) or #plain
end

-- The first `count` items (the sequence) several to a line when they are all short;
-- the others one per line.
local function pack(items, count, width)
  local lines, short = {}, true
  for i = 1, count do
    if find(items[i], "\n", 1, true) or visible_length(items[i]) > 24 then short = false end
  end
  local line, length = nil, 0
  for i = 1, #items do
    local item = items[i]
    if i > count or not short then
      lines[#lines + 1] = item
    else
      local size = visible_length(item)
      if line and length + 2 + size < width then
        line, length = line .. ", " .. item, length + 2 + size
      else
        if line then lines[#lines + 1] = line end
        line, length = item, size
      end
      if i == count then lines[#lines + 1] = line end
    end
  end
  return lines
end

-- Objects of a library (a metatable with a __name) keep their internals in `_` fields.
local function internal(k, name)
  return name ~= nil and type(k) == "string" and sub(k, 1, 1) == "_"
end

-- `lead`: how much of the line is taken before the value (its key, `key = `) and after
-- it (the comma), so that a value shown on one line fits the width with them.
local function render_table(t, ctx, depth, path, lead)
  if path[t] then return paint(ctx, "muted", "<cycle>") end
  local name = name_of(t)
  local mt = getmetatable(t)
  local show = type(mt) == "table" and rawget(mt, "__tostring")
  -- A class of the user's own (a __tostring, no __name) shows as lua shows it.
  if show and not name then return safe_tostring(t) end
  local label = (name and name ~= "json.array" and name ~= "json.object") and (name .. " ") or ""
  -- A library object that says which one it is (flireo<https://…, profile prod>).
  if show and name then
    local text = safe_tostring(t)
    if sub(text, 1, #name + 1) == name .. "<" then label = text .. " " end
  end
  if next(t) == nil and type(mt) == "table" and rawget(mt, "__pairs") then
    -- A proxy (flireo.config): what it iterates is what it holds.
    local ok, view = pcall(function()
      local copy = {}
      for k, v in pairs(t) do copy[k] = v end
      return copy
    end)
    if ok and next(view) ~= nil then
      path[t] = true
      local text = render_table(setmetatable(view, nil), ctx, depth, path, (lead or 0) + visible_length(label))
      path[t] = nil
      return label .. text
    end
  end
  local visible = false
  for k in next, t do
    if not internal(k, name) then visible = true break end
  end
  if not visible then
    if next(t) ~= nil and show then return safe_tostring(t) end
    return label .. "{}"
  end
  if depth >= ctx.depth then return label .. cut_mark(ctx, "{…}") end
  path[t] = true
  local items = {}
  local n = rawlen(t)
  local shown = min(n, ctx.items)
  for i = 1, shown do
    if ctx.budget <= 0 then  -- out of budget: count the rest instead
      shown = i - 1
      break
    end
    items[i] = render(rawget(t, i), ctx, depth + 1, path, 1)
  end
  if n > shown then items[#items + 1] = cut_mark(ctx, format("… (%d more)", n - shown)) end
  local keys, count = {}, 0
  for k in next, t do
    if not (mtype(k) == "integer" and k >= 1 and k <= n) and not internal(k, name) then
      count = count + 1
      if count <= ctx.sort_limit then keys[count] = k end
    end
  end
  sort(keys, key_less)
  local listed = min(#keys, ctx.keys)
  for i = 1, listed do
    if ctx.budget <= 0 then
      listed = i - 1
      break
    end
    local k = keys[i]
    local key
    if type(k) == "string" and find(k, "^[%a_][%w_]*$") and not KEYWORDS[k] then
      key = k
    else
      key = "[" .. render(k, ctx, depth + 1, path) .. "]"
    end
    items[#items + 1] = key .. " = " .. render(rawget(t, k), ctx, depth + 1, path, visible_length(key) + 4)
  end
  if count > listed then items[#items + 1] = cut_mark(ctx, format("… (%d more keys)", count - listed)) end
  path[t] = nil

  local inline = label .. "{ " .. concat(items, ", ") .. " }"
  if not find(inline, "\n", 1, true) and #ctx.indent * depth + (lead or 0) + visible_length(inline) <= ctx.width then
    return inline
  end
  local pad = rep(ctx.indent, depth + 1)
  local lines = pack(items, shown + (n > shown and 1 or 0), ctx.width - #pad)
  return label .. "{\n" .. pad .. concat(lines, ",\n" .. pad) .. "\n" .. rep(ctx.indent, depth) .. "}"
end

function render(v, ctx, depth, path, lead)
  ctx.budget = ctx.budget - 1
  if ctx.budget < 0 then return cut_mark(ctx, "…") end
  local t = type(v)
  if t == "string" then return quote(v, ctx) end
  if t == "number" then return paint(ctx, "number", number(v)) end
  if t == "boolean" or t == "nil" then return paint(ctx, t, tostring(v)) end
  if t == "table" then return render_table(v, ctx, depth, path, lead) end
  if t == "userdata" and name_of(v) == "json.null" then return paint(ctx, "null", "null") end
  return paint(ctx, t, safe_tostring(v))
end

local function context(opts)
  local function bad(message)
    -- Said at the caller's line, as string.rep's are: the first frame outside the library.
    local level = 2
    while true do
      local info = debug.getinfo(level, "S")
      if not info or not (info.source == "@flireo.lua" or info.source:match("^@flireo/") or info.source == "=luakit") then
        break
      end
      level = level + 1
    end
    error(("bad argument #2 to 'inspect' (%s)"):format(message), level)
  end
  if opts ~= nil and type(opts) ~= "table" then bad(("table expected, got %s"):format(type(opts))) end
  -- An option misspelled or of the wrong kind is said, not ignored.
  for k, v in next, opts or {} do
    if DEFAULTS[k] == nil and k ~= "all" and k ~= "color" then
      bad(("unknown option %s; options: all, color, depth, indent, items, keys, string, width"):format(tostring(k)))
    elseif (k == "all" or k == "color") and type(v) ~= "boolean" then
      bad(("%s must be true or false"):format(k))
    elseif k == "indent" and type(v) ~= "string" then
      bad("indent must be a string")
    elseif type(DEFAULTS[k]) == "number" and not (mtype(v) == "integer" and v >= 0 or v == huge) then
      bad(("%s must be a whole number, 0 or more, or math.huge"):format(k))
    end
  end
  local all = opts ~= nil and rawget(opts, "all") == true
  local ctx = {budget = all and huge or BUDGET, sort_limit = all and huge or SORT_LIMIT}
  for k, default in next, DEFAULTS do
    local given = opts and rawget(opts, k)
    ctx[k] = given or (all and LIMITS[k] and huge) or default
  end
  ctx.color = opts and rawget(opts, "color") == true and (getenv("NO_COLOR") or "") == ""
  ctx.depth = min(ctx.depth, MAX_DEPTH)
  return ctx
end

--- A string as it can be shown on a terminal: control characters, C1 controls and
--- bidirectional overrides written as Lua escapes (`\027`, `\u{9B}`), invalid UTF-8 as `\xNN`.
---@param s string
---@return string
function M.tame(s)
  return (tame(s))
end

--- A string whose invalid UTF-8 bytes are written `\xNN` (what JSON can hold).
---@param s string
---@return string
function M.valid_utf8(s)
  return (escape_invalid(s))
end

--- Renders `value` as text.
---@param value any the value to show
---@param opts? flireo.inspect.Options how much to show, and whether in colour
---@return string text the rendering, without a final newline
function M.inspect(value, opts)
  return (render(value, context(opts), 0, {}))
end

--- Renders `value` as text, and says whether anything was left out (the REPL then says
--- how to see all of it).
---@param value any the value to show
---@param opts? flireo.inspect.Options how much to show, and whether in colour
---@return string text the rendering, without a final newline
---@return boolean cut true when a limit left something out
function M.render(value, opts)
  local ctx = context(opts)
  local text = render(value, ctx, 0, {})
  return text, ctx.cut == true
end

return setmetatable(M, {__call = function(_, value, opts) return M.inspect(value, opts) end})
