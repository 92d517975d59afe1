extension REPLRuntime {
    /// The REPL's Lua side. Called with `methods_of(typename)`, `object_types()` and
    /// `show_help(description)` (Swift functions); installs the global `help` and returns
    /// `complete`, `modules`, `render`.
    ///
    /// Completion and help look at user values only through raw access and
    /// `getmetatable`, so pressing Tab or asking for help never runs user code.
    static let source = #"""
    local methods_of, object_types, show_help = ...
    local next, type, rawget, rawset, rawequal, getmetatable, setmetatable, pcall, select, tostring, require, ipairs =
      next, type, rawget, rawset, rawequal, getmetatable, setmetatable, pcall, select, tostring, require, ipairs
    local sort, concat = table.sort, table.concat
    local find, sub = string.find, string.sub
    local getinfo, getlocal = debug.getinfo, debug.getlocal
    local G = _ENV
    local loaded, preload = package.loaded, package.preload
    local IDENT = "^[%a_][%w_]*$"

    -- Calls visit(t) for each table v's fields come from: v itself, the methods of a
    -- bridged object type (by __name), then the __index tables up the metatable chain.
    -- Stops early when visit returns true.
    local function layers(v, visit)
      local seen = {}
      for _ = 1, 16 do
        if v == nil or seen[v] then return end
        seen[v] = true
        if type(v) == "table" and visit(v) then return end
        local mt = getmetatable(v)
        if type(mt) ~= "table" then return end
        local name = rawget(mt, "__name")
        if type(name) == "string" then
          local methods = methods_of(name)
          if methods and visit(methods) then return end
        end
        -- Methods behind an `__index` function (`__methods`), and a result's server
        -- object (`__raw`, read as `.raw`).
        local methods = rawget(mt, "__methods")
        if type(methods) == "table" and visit(methods) then return end
        local raw = rawget(mt, "__raw")
        if raw ~= nil and visit({raw = raw}) then return end
        -- A bridged object's fields, by name (`__fields`), read through its `__index`.
        local names = rawget(mt, "__fields")
        if type(names) == "table" then
          local fields = {}
          for _, n in ipairs(names) do if type(n) == "string" then fields[n] = true end end
          if visit(fields) then return end
        end
        v = rawget(mt, "__index")
        if type(v) ~= "table" then return end
      end
    end

    local function field(v, key)
      local found
      layers(v, function(t)
        found = rawget(t, key)
        return found ~= nil
      end)
      return found
    end

    -- A callable table with no fields of its own (help) completes as a function.
    local function kind(x)
      local t = type(x)
      if t == "table" and next(x) == nil then
        local mt = getmetatable(x)
        if type(mt) == "table" and rawget(mt, "__call") ~= nil then return "function" end
      end
      return (t == "function" or t == "table") and t or "value"
    end

    local function by_name(a, b) return a[1] < b[1] end

    -- {name, kind} pairs of v's string keys (all layers), optionally filtered.
    local function members(v, prefix, functions_only)
      local out, seen = {}, {}
      layers(v, function(t)
        for k, x in next, t do
          -- Names starting with "_" are internal (natives, caches): shown only once typed.
          local hidden = sub(k, 1, 1) == "_" and (prefix == nil or sub(prefix, 1, 1) ~= "_")
          if type(k) == "string" and not seen[k] and not hidden and (prefix == nil or sub(k, 1, #prefix) == prefix)
            and (not functions_only or type(x) == "function") then
            seen[k] = true
            out[#out + 1] = {k, kind(x)}
          end
        end
      end)
      sort(out, by_name)
      return out
    end

    -- Names under a dotted path (an array of names, empty for the globals) starting with
    -- prefix, as {name, kind}; only functions when methods is true.
    local function complete(path, prefix, methods)
      local v = G
      for i = 1, #path do
        v = field(v, path[i])
        if v == nil then return {} end
      end
      local out = {}
      for _, m in ipairs(members(v, prefix, methods)) do
        if find(m[1], IDENT) then out[#out + 1] = m end
      end
      return out
    end

    -- Module names loaded or preloaded, starting with prefix.
    local function modules(prefix)
      local out, seen = {}, {}
      for _, t in ipairs({loaded, preload}) do
        for k in next, t do
          if type(k) == "string" and not seen[k] and sub(k, 1, #prefix) == prefix then
            seen[k] = true
            out[#out + 1] = k
          end
        end
      end
      sort(out)
      return out
    end

    -- The names v is known by: a global, a field of a table reachable from the loaded
    -- modules or the globals (two levels down, with the fields of an __index table), or
    -- a method of a bridged object type.
    local function find_names(v)
      local names = {}
      local queue = {{G, "", 0}}
      local modnames = {}
      for name, mod in next, loaded do
        if type(name) == "string" and type(mod) == "table" and not rawequal(mod, G) then
          modnames[#modnames + 1] = name
        end
      end
      sort(modnames)
      for _, name in ipairs(modnames) do
        local mod = rawget(loaded, name)
        if rawequal(mod, v) then names[#names + 1] = name end
        queue[#queue + 1] = {mod, name .. ".", 1}
      end
      local seen, head = {}, 1
      while head <= #queue and head <= 3000 and #names < 8 do
        local t, prefix, depth = queue[head][1], queue[head][2], queue[head][3]
        head = head + 1
        if not seen[t] then
          seen[t] = true
          -- Its own fields, and those an __index table adds (flireo.inspect, flireo.config).
          local keys, from = {}, {}
          local mt = getmetatable(t)
          local index = type(mt) == "table" and rawget(mt, "__index") or nil
          for _, source in ipairs({t, type(index) == "table" and index or nil}) do
            for k in next, source do
              if type(k) == "string" and find(k, IDENT) and from[k] == nil then
                keys[#keys + 1] = k
                from[k] = source
              end
            end
          end
          sort(keys)
          for _, k in ipairs(keys) do
            local x = rawget(from[k], k)
            if rawequal(x, v) then
              names[#names + 1] = prefix .. k
            elseif type(x) == "table" and depth < 2 and not seen[x] then
              queue[#queue + 1] = {x, prefix .. k .. ".", depth + 1}
            end
          end
        end
      end
      for _, typename in ipairs(object_types()) do
        local methods = methods_of(typename)
        if methods then
          for k, x in next, methods do
            if type(k) == "string" and rawequal(x, v) then names[#names + 1] = typename .. ":" .. k end
          end
        end
      end
      return names
    end

    local function describe(n, v)
      if n == 0 then return {type = "overview", globals = members(G)} end
      local t = type(v)
      local d = {type = t}
      if t == "string" then
        d.topic = v
      elseif t == "function" then
        d.names = find_names(v)
        local info = getinfo(v, "Su")
        d.what, d.source, d.params = info.what, info.short_src .. ":" .. info.linedefined, {}
        if info.what ~= "C" then
          for i = 1, info.nparams do d.params[i] = getlocal(v, i) end
          if info.isvararg then d.params[#d.params + 1] = "..." end
        end
      elseif t == "table" or t == "userdata" then
        local mt = getmetatable(v)
        local class = type(mt) == "table" and rawget(mt, "__name") or nil
        d.class = type(class) == "string" and class or nil
        d.names = find_names(v)
        d.members = members(v)
      else
        d.value = tostring(v)
      end
      return d
    end

    -- help is called (help(), help(x)); typed bare, it says so, as Python's does.
    local help
    help = setmetatable({}, {
      -- help(help) is help's own page, as when help was a function.
      __call = function(_, ...)
        if select("#", ...) == 1 and rawequal(..., help) then return show_help(describe(1, "help")) end
        show_help(describe(select("#", ...), ...))
      end,
      __tostring = function()
        -- Under 80 columns, so no terminal breaks it in a word.
        return 'Type help() for what to try first, or help(x) for x: help("Assistant:link").'
      end,
    })
    rawset(G, "help", help)

    local inspect
    -- `_` holds the last result shown (its first value), as in Python's REPL. In Lua `_`
    -- is the name for a value thrown away (`_, e = pcall(f)`), so each result takes it back.
    local function remember(v)
      rawset(G, "_", v)
    end

    -- Every result rendered by flireo.inspect (tostring when it cannot be loaded), on
    -- one line separated by tabs, or one per line when any spans several; when a limit
    -- left something out, a last line says how to see all of it.
    local function render(color, width, ...)
      if select("#", ...) > 0 then remember((...)) end
      if inspect == nil then
        local ok, module = pcall(require, "flireo.inspect")
        inspect = ok and type(module) == "table" and rawget(module, "render") or false
      end
      local parts, multiline, cut = {}, false, nil
      local opts = {color = color, width = width}
      for i = 1, select("#", ...) do
        local v = select(i, ...)
        local s, left_out
        if inspect then s, left_out = inspect(v, opts) else s = tostring(v) end
        if find(s, "\n", 1, true) then multiline = true end
        parts[i] = s
        if left_out and not cut then cut = i end
      end
      local text = concat(parts, multiline and "\n" or "\t")
      if not cut then return text end
      local hint = cut == 1 and "(shown in part: print(flireo.inspect(_, {all = true})) shows all of it)"
        or "(shown in part: print(flireo.inspect(value, {all = true})) shows all of a value)"
      return text .. "\n" .. (color and "\27[90m" .. hint .. "\27[0m" or hint)
    end

    return complete, modules, render
    """#
}
