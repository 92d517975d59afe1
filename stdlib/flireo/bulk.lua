--- flireo.bulk: the runner every bulk script uses. It calls an action for each item,
--- many at once through the scheduler (the process's rate limit paces the requests),
--- retries what failed for a transient reason, records each outcome in a journal,
--- shows progress (a bar on a terminal, a plain line every N items otherwise), stops
--- early past a failure threshold, and ends with a summary: done, skipped, failed by
--- error code. Its exit code is 3 when any item failed.
-- The flireo module's monotonic clock.
local clock = require("flireo.native").clock
local Progress = require "flireo.progress"
local check = require "flireo.core.check"

-- The options of bulk.run; any other key is a mistake (a typo would be ignored).
local RUN_OPTIONS = {}
for name in ("backoff blocked concurrency done_before journal key label max_failures name phase progress "
  .. "progress_every quiet retries skipped stop_on sync_every sync_interval total"):gmatch("%S+") do
  RUN_OPTIONS[name] = true
end

--- The bulk runner.
---
---   local bulk = require "flireo.bulk"
---   local summary = bulk.run(ids, function(id)
---     return flireo.assistant(id):unlink{ensure = true}
---   end, {concurrency = 16, label = "unlinking"})
---   os.exit(summary.exit_code)
---@class flireo.bulk
local bulk = {}

--- Error codes worth another try: the server or the connection failed, not the request.
bulk.RETRYABLE = {
  server_error = true, database_error = true, provider_error = true, rate_limit_exceeded = true,
  timeout = true, connection_failed = true, connection_closed = true, transport_error = true,
}

local SKIP = setmetatable({}, {__name = "flireo.bulk.skip"})

--- What an action returns for an item it leaves alone: it counts as skipped.
---@param reason? string why, for the journal
---@return table marker
function bulk.skip(reason)
  if reason ~= nil and type(reason) ~= "string" then check.bad("reason", "a string", reason) end
  return setmetatable({reason = reason}, getmetatable(SKIP))
end

-- The refusals that say a link or unlink is already as wanted (see the worker).
local AS_WANTED = {already_linked = true, no_phone_number = true}

--- Whether an error is worth retrying (see bulk.RETRYABLE; any 5xx too).
---@param err any the error an action raised
---@return boolean retryable
function bulk.retryable(err)
  if type(err) ~= "table" then return false end
  local code = err.code
  return bulk.RETRYABLE[code] == true or (type(code) == "string" and code:match("^http_5") ~= nil)
end

--- The error's code for the summary: its .code, or "error" for a plain message.
local function code_of(err)
  if type(err) == "table" and type(err.code) == "string" then return err.code end
  return "error"
end

--- An interruption (Ctrl-C) is not an item's failure: it stops the run.
local function interruption(err)
  return type(err) == "string" and (err:match("interrupted!$") or err:match("cancelled$"))
end

local function message_of(err)
  if type(err) == "table" then
    return tostring(err.message or err.code)
  end
  return (tostring(err):gsub("^[^:]*:%d+: ", ""))
end

--- Runs `action(item, index)` for every item, up to `concurrency` at once.
---
--- Items come from a sequence or an iterator function. An item whose action raises a
--- retryable error (bulk.RETRYABLE, 5xx) is tried again up to `retries` times with
--- backoff (a retry after an attempt whose outcome was unknown that is refused as
--- already_linked or no_phone_number is done: that attempt made the change); other errors
--- fail the item and the run goes on, unless `max_failures` is
--- reached, or an item fails with a code in `stop_on` (a set of codes): then no new
--- item starts (items already in flight finish, so the failures may end above
--- `max_failures`: at most concurrency − 1 more). With `phase(item)`, items of a later
--- phase start only once every item of the earlier ones has finished (and the journal
--- is synced), and `blocked(item)` may then hold back an item whose prerequisite failed.
---
--- With a `journal`, each outcome is recorded (`done` with the action's result, `failed`
--- with the error, `blocked`), synced every `sync_every` records or `sync_interval`
--- seconds and at the end, so an interruption loses at most the outcomes of the last
--- unsynced batch: those items are in doubt and a resumed run does them again.
---@param items table|fun(): any a sequence, or a function returning the next item (nil at the end)
---@param action fun(item: any, index: integer): any does one item; returns what the journal records (bulk.skip() to skip it)
---@param opts? {concurrency?: integer, total?: integer, label?: string, retries?: integer, backoff?: number, max_failures?: integer, journal?: flireo.Journal, sync_every?: integer, sync_interval?: number, stop_on?: table<string, boolean>, progress?: boolean, progress_every?: integer, quiet?: boolean, key?: fun(item: any): string, phase?: fun(item: any): integer, blocked?: fun(item: any): string|nil, skipped?: integer, done_before?: integer, name?: string} skipped: items already as wanted (counted, not run); done_before: items a resumed run did before
---@return table summary {total, done, skipped, failed, blocked, by_code, failures, stopped, stop_reason, not_started (when stopped; counted in exit_code 3), elapsed, rate, exit_code}
function bulk.run(items, action, opts, ...)
  check.no_more("bulk.run", "(items, action [, opts])", 3, ...)
  if type(items) ~= "table" and type(items) ~= "function" then
    check.bad("items", "a table or an iterator function", items)
  end
  if type(action) ~= "function" then check.bad("action", "a function", action) end
  opts = check.options(opts, "opts", RUN_OPTIONS)
  local concurrency = math.tointeger(opts.concurrency or 16)
  if not concurrency or concurrency < 1 then check.bad("opts.concurrency", "a positive integer", opts.concurrency) end
  local retries = opts.retries or 3
  local backoff = opts.backoff or 0.25
  local journal = opts.journal
  local sync_every, sync_interval = opts.sync_every or 512, opts.sync_interval or 0.2
  local key = opts.key or function(item) return type(item) == "table" and item.key or tostring(item) end
  -- An item that is no plan step ({seq, key, …}) is named in its journal line by its key.
  local function keyed(item, fields)
    if type(item) ~= "table" or item.seq == nil then fields.key = key(item) end
    return fields
  end
  local phase_of = opts.phase

  local total = type(items) == "table" and #items or opts.total
  if type(items) == "table" then
    -- A sequence with a hole would end at it without a word (Lua's # may stop there).
    local hole
    for i = 1, total do
      if items[i] == nil then hole = i break end
    end
    if not hole then
      for k in next, items do
        if math.type(k) == "integer" and k > total then hole = total + 1 break end
      end
    end
    if hole then
      check.raise("invalid_parameters", ("Invalid 'items': item %d is nil (a sequence without holes expected: "
        .. "the run would end there)"):format(hole))
    end
  end
  local summary = {
    total = (total or 0) + (opts.skipped or 0) + (opts.done_before or 0), done = 0, skipped = opts.skipped or 0,
    failed = 0, blocked = 0, done_before = opts.done_before or 0, by_code = {}, failures = {}, stopped = false,
  }
  local progress = Progress.new(opts.label or "working", summary.total, {
    enabled = opts.progress ~= false and not opts.quiet, every = opts.progress_every,
  })
  local started = clock()
  local last_sync = started

  local function sync(force)
    if not journal then return end
    local pending = journal:pending()
    if pending == 0 then return end
    local now = clock()
    if force or pending >= sync_every or now - last_sync >= sync_interval then
      journal:sync()
      last_sync = now
    end
  end

  -- The source: next item, its index and phase; a look-ahead item waits for its phase.
  local index, inflight, current_phase = 0, 0, nil
  local lookahead
  local function pull()
    if lookahead then
      local item = lookahead
      lookahead = nil
      return item
    end
    if type(items) == "table" then
      local item = items[index + 1]
      if item == nil and index < total and not summary.stopped then
        -- The action made a hole in the items: the rest is said not started, not done.
        summary.stopped = true
        summary.stop_reason = ("item %d became nil during the run"):format(index + 1)
      end
      return item
    end
    return items()
  end

  local function take()
    while true do
      if summary.stopped then return nil end
      local item = pull()
      if item == nil then return nil end
      if phase_of then
        local p = phase_of(item)
        if current_phase ~= nil and p ~= current_phase then
          if inflight > 0 then
            -- Later phases wait until this one has drained. Every worker waits only for
            -- that: once the first one has started the new phase, the others go on with
            -- it at full concurrency (they waited for the last item alone before).
            lookahead = item
            while inflight > 0 and current_phase ~= p do sleep(0.002) end
            if lookahead ~= item then goto continue end
            lookahead = nil
          end
          sync(true)
        end
        current_phase = p
      end
      index = index + 1
      do
        local reason = opts.blocked and opts.blocked(item)
        if reason then
          summary.blocked = summary.blocked + 1
          summary.by_code.blocked = (summary.by_code.blocked or 0) + 1
          if #summary.failures < 20 then
            summary.failures[#summary.failures + 1] = {key = key(item), code = "blocked", message = reason}
          end
          if journal then journal:outcome(item, "blocked", keyed(item, {reason = reason})) end
          progress:update(summary)
          goto continue
        end
      end
      do return item, index end
      ::continue::
    end
  end

  local function fail(item, err)
    local code = code_of(err)
    summary.failed = summary.failed + 1
    summary.by_code[code] = (summary.by_code[code] or 0) + 1
    if #summary.failures < 20 then
      summary.failures[#summary.failures + 1] = {key = key(item), code = code, message = message_of(err)}
    end
    if journal then
      journal:outcome(item, "failed", keyed(item, {error = {code = code, message = message_of(err),
        status = type(err) == "table" and err.status or nil}}))
    end
    if opts.stop_on and opts.stop_on[code] then
      -- A failure every later item would share (no credits left): start no more.
      summary.stopped, summary.stop_reason = true, code
    elseif opts.max_failures and summary.failed >= opts.max_failures then
      summary.stopped = true
    end
  end

  local function worker()
    while true do
      local item, i = take()
      if item == nil then return end
      inflight = inflight + 1
      local attempt, unknown = 0, false
      while true do
        local ok, result = pcall(action, item, i)
        -- A link or unlink retried after an attempt whose outcome was unknown, refused now
        -- because the change is there, was made by that attempt: the item is done.
        if not ok and unknown and type(result) == "table" and AS_WANTED[result.code] then
          ok, result = true, {reconciled = true, code = result.code,
            note = "an earlier attempt, whose outcome was unknown, had made the change"}
        end
        if ok then
          if getmetatable(result) == getmetatable(SKIP) then
            summary.skipped = summary.skipped + 1
            if journal then journal:outcome(item, "skipped", keyed(item, {reason = result.reason})) end
          else
            summary.done = summary.done + 1
            if journal then journal:outcome(item, "done", keyed(item, {result = result})) end
          end
          break
        end
        if interruption(result) then error(result, 0) end
        if attempt < retries and bulk.retryable(result) then
          attempt, unknown = attempt + 1, unknown or result.outcome_unknown == true
          sleep(backoff * 2 ^ (attempt - 1) * (0.5 + math.random()))
        else
          fail(item, result)
          break
        end
      end
      inflight = inflight - 1
      sync(false)
      progress:update(summary)
    end
  end

  local tasks = {}
  -- Stopped while it waits (its task cancelled), it stops its workers: no item starts
  -- after, and those running are cancelled (their journal lines stay as they were).
  local guard <close> = setmetatable({}, {__close = function(_, err)
    if err == nil then return end
    summary.stopped = true
    for _, task in ipairs(tasks) do task:cancel() end
  end})
  for w = 1, concurrency do
    tasks[w] = spawn(worker)
    if total and w >= total then break end
  end
  for _, task in ipairs(tasks) do task:wait() end
  sync(true)
  progress:finish(summary)

  summary.elapsed = clock() - started
  local handled = summary.done + summary.failed
  summary.rate = summary.elapsed > 0 and handled / summary.elapsed or 0
  -- Stopped early: the items that never started, so the counts add up to the total.
  if summary.stopped and summary.total then
    local accounted = summary.done + summary.skipped + summary.failed + summary.blocked + (summary.done_before or 0)
    summary.not_started = math.max(0, summary.total - accounted)
  end
  summary.exit_code = (summary.failed > 0 or summary.blocked > 0 or (summary.not_started or 0) > 0) and 3 or 0
  if not opts.quiet then io.stderr:write(bulk.format_summary(summary, opts.name or opts.label)) end
  return summary
end

--- The summary as text: one line of counts, the failures by code, the first failures.
---@param summary table what bulk.run returned
---@param name? string who ran (the script's name)
---@return string text
function bulk.format_summary(summary, name)
  if type(summary) ~= "table" or math.type(summary.done) ~= "integer" then
    check.bad("summary", "the summary bulk.run returned", summary)
  end
  if name ~= nil and type(name) ~= "string" then check.bad("name", "a string", name) end
  local parts = {("%d done"):format(summary.done), ("%d skipped"):format(summary.skipped),
    ("%d failed"):format(summary.failed)}
  if summary.blocked > 0 then parts[#parts + 1] = ("%d blocked"):format(summary.blocked) end
  if (summary.done_before or 0) > 0 then parts[#parts + 1] = ("%d done before (the run resumed)"):format(summary.done_before) end
  if (summary.not_started or 0) > 0 then parts[#parts + 1] = ("%d not started"):format(summary.not_started) end
  local lines = {("%s%s in %.1f s (%.0f/s)%s"):format(name and name .. ": " or "", table.concat(parts, ", "),
    summary.elapsed or 0, summary.rate or 0,
    summary.stopped and (" — stopped early: " .. (summary.stop_reason or "too many failures")) or "")}
  local codes = {}
  for code, n in pairs(summary.by_code) do codes[#codes + 1] = {code, n} end
  table.sort(codes, function(a, b) return a[2] > b[2] or (a[2] == b[2] and a[1] < b[1]) end)
  if #codes > 0 then
    local shown = {}
    for _, c in ipairs(codes) do shown[#shown + 1] = c[1] .. " " .. c[2] end
    lines[#lines + 1] = "  by code: " .. table.concat(shown, ", ")
    for _, f in ipairs(summary.failures) do
      lines[#lines + 1] = ("  %s: %s: %s"):format(f.key, f.code, f.message)
    end
    if summary.failed + summary.blocked > #summary.failures then
      lines[#lines + 1] = ("  … and %d more (the journal lists every one)"):format(summary.failed + summary.blocked - #summary.failures)
    end
  end
  return table.concat(lines, "\n") .. "\n"
end

return bulk
