import CLua
import CLuaBridge

extension LuaState {
    /// Installs what LuaKit adds to Lua: `json`, `spawn`, `sleep`, `parallel` and the
    /// structured error metatable.
    func installLuaKitLibraries() throws(LuaError) {
        installJSON()
        register(LuaTaskHandle.self)

        pushFunction { call in
            try call.require(1, is: .function)
            try call.state.checkOpen()
            let scheduler = call.state.scheduler!
            let co = scheduler.spawn(from: call.L, nargs: call.argumentCount - 1, group: scheduler.group(for: call.L))
            scheduler.noteSpawned(co)
            call.push(object: LuaTaskHandle(co))
            return 1
        }
        setRawGlobal("spawn")

        // Every other task still running, oldest first: one whose handle was lost can be stopped.
        pushFunction { call in
            try call.state.checkOpen()
            let tasks = call.state.scheduler!.unfinishedTasks(besides: call.L)
            call.pushTable(array: tasks.count)
            for (index, co) in tasks.enumerated() {
                call.push(object: LuaTaskHandle(co))
                call.setItem(index + 1)
            }
            return 1
        }
        setRawGlobal("tasks")

        pushAsyncFunction { call in
            let seconds = try call.number(1)
            try call.expectNoMore(than: 1, usage: "sleep(seconds)")
            guard seconds >= 0, seconds.isFinite else {
                throw LuaArgumentError(index: 1, message: "a finite number of seconds, 0 or more, expected")
            }
            return .values {
                try await Task.sleep(nanoseconds: UInt64(min(seconds, 1e9) * 1e9))
                return []
            }
        }
        setRawGlobal("sleep")

        addLibraryChunk("=luakit")
        let prelude = try load(Array(LuaState.prelude.utf8), name: "=luakit", mode: "t")
        prelude.push(on: L)
        guard clb_pcall(L, 0, 1, 0) == LUA_OK else { throw popError(L, kind: .runtime) }
        errorMetatableRef = luaL_ref(L, clb_registryindex())
    }

    /// Counts chunk `name` (`=luakit`, `@flireo/bulk.lua`) as the library's own: errors
    /// name their caller's line, not its, and a cancelled task's cleanup in it runs whole
    /// (the set is mirrored in the registry, where the cancellation hook reads it).
    func addLibraryChunk(_ name: String) {
        libraryChunks.insert(name)
        clb_library_chunk(L, name)
    }

    /// Lua-side policy over the native primitives. Returns the error metatable.
    static let prelude = #"""
    local spawn, type, error, pcall, tostring, rawget, next, getmetatable = spawn, type, error, pcall, tostring, rawget, next, getmetatable
    local min, tointeger = math.min, math.tointeger
    local getinfo = debug and debug.getinfo

    local error_mt = {__name = "luakit.Error"}
    -- One line: "[where: ]code (status): message — METHOD path"
    function error_mt.__tostring(e)
      local s = tostring(rawget(e, "message"))
      local code = rawget(e, "code")
      if code ~= nil then
        local status = rawget(e, "status")
        s = tostring(code) .. (status ~= nil and (" (" .. tostring(status) .. ")") or "") .. ": " .. s
      end
      -- A wait the server asked for, as a person reads it (as FlireoError's description says it).
      local wait = rawget(e, "retry_after")
      if type(wait) == "number" and wait == wait then
        local function round(x) local r = math.floor(x * 100 + 0.5) / 100 return r == math.floor(r) and ("%d"):format(r) or tostring(r) end
        s = s .. " (retry after " .. (wait >= 172800 and round(math.floor(wait / 86400 + 0.5)) .. " days"
          or wait >= 7200 and round(wait / 3600) .. " h" or wait >= 120 and round(wait / 60) .. " min"
          or round(wait) .. " s") .. ")"
      end
      local method, path = rawget(e, "method"), rawget(e, "path")
      if method ~= nil and path ~= nil then s = s .. " — " .. tostring(method) .. " " .. tostring(path) end
      local where = rawget(e, "where")
      if where ~= nil then s = tostring(where) .. ": " .. s end
      return s
    end
    -- "failed: " .. err joins its one line, as it would a string error.
    function error_mt.__concat(a, b)
      return tostring(a) .. tostring(b)
    end

    local function argerror(n, fname, expected, got)
      error(("bad argument #%d to '%s' (%s expected, got %s)"):format(n, fname, expected, got), 3)
    end

    --- Calls fn(item, index) for every item, up to `concurrency` at once; results come
    --- back in input order and one failure does not stop the others.
    --- Items are a sequence, or an iterator (a function or a callable such as a lazy
    --- collection) called for the next item until it returns nil.
    --- Returns results, failures (failures[i] = error of item i; nil when none failed).
    --- Both are sparse: iterate failures with pairs, not ipairs or #.
    function parallel(items, fn, opts, ...)
      local mt = (type(items) == "table" or type(items) == "userdata") and getmetatable(items)
      local pull = type(items) == "function" or (type(mt) == "table" and mt.__call ~= nil)
      if type(items) ~= "table" and not pull then argerror(1, "parallel", "table or iterator", type(items)) end
      local fmt = (type(fn) == "table" or type(fn) == "userdata") and getmetatable(fn)
      if type(fn) ~= "function" and not (type(fmt) == "table" and fmt.__call ~= nil) then
        argerror(2, "parallel", "function", type(fn))
      end
      if opts ~= nil and type(opts) ~= "table" then argerror(3, "parallel", "table", type(opts)) end
      for i = 1, select("#", ...) do
        if select(i, ...) ~= nil then
          error(("bad argument #%d to 'parallel' (no more arguments expected: parallel(items, fn [, opts]))"):format(3 + i), 2)
        end
      end
      local concurrency = 16
      if opts then
        for k in next, opts do
          if k ~= "concurrency" then
            error(("bad argument #3 to 'parallel' (unknown option %s; options: concurrency)"):format(tostring(k)), 2)
          end
        end
        if opts.concurrency ~= nil then
          concurrency = type(opts.concurrency) == "number" and tointeger(opts.concurrency)
          if not concurrency or concurrency < 1 then
            error("bad argument #3 to 'parallel' (concurrency must be a positive integer)", 2)
          end
        end
      end
      local n = pull and math.huge or #items
      -- A plain table of keys only is a mistake (a map given for a list); an empty list
      -- object with fields of its own (a search's result and its total) is a list.
      if not pull and n == 0 and next(items) ~= nil and getmetatable(items) == nil then
        error("bad argument #1 to 'parallel' (a sequence expected: the table has no items 1, 2, …)", 2)
      end
      local results, failures, failed = {}, {}, false
      local next_index, taken, ended, broken = 1, 0, false, nil
      -- The next item and its index; an iterator is not called again once it has ended,
      -- or failed: its error is then parallel's own, raised once the tasks are done.
      local stopping = false
      local function take()
        if stopping then return nil end
        if not pull then
          if next_index > n then return nil end
          local i = next_index
          next_index = i + 1
          return i, items[i]
        end
        if ended then return nil end
        local ok, item = pcall(items)
        if not ok then
          ended, broken = true, {item}
          return nil
        end
        if item == nil then ended = true return nil end
        taken = taken + 1
        return taken, item
      end
      local function worker()
        while true do
          local i, item = take()
          if i == nil then return end
          local ok, value = pcall(fn, item, i)
          if ok then
            results[i] = value
          else
            -- error(nil) still fails the item: it needs an entry to be seen.
            if value == nil then value = "(error object is a nil value)" end
            failures[i] = value
            failed = true
          end
        end
      end
      local tasks = {}
      -- Stopped while it waits (its task cancelled, Ctrl-C), it stops its workers: no item
      -- starts after, and those running are cancelled.
      local guard <close> = setmetatable({}, {__close = function(_, err)
        if err == nil then return end
        stopping = true
        for w = 1, #tasks do tasks[w]:cancel() end
      end})
      for w = 1, min(concurrency, n) do tasks[w] = spawn(worker) end
      for w = 1, #tasks do tasks[w]:wait() end
      if broken then
        -- The items that ran are not lost with the iterator's failure: a structured error
        -- carries them (`err.results`, `err.failures`) and says where parallel was called.
        local e = broken[1]
        if type(e) == "table" and getmetatable(e) == error_mt then
          e.results, e.failures = results, failed and failures or nil
          for level = 2, 8 do
            local info = e.where == nil and getinfo and getinfo(level, "Sl")
            if not info then break end
            if info.currentline > 0 then e.where = info.short_src .. ":" .. info.currentline end
          end
        end
        error(e, 0)
      end
      return results, failed and failures or nil
    end

    return error_mt
    """#
}
