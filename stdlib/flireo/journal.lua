--- flireo.journal: the append-only JSON-lines record of a bulk run, written so that an
--- interruption at any moment (Ctrl-C, kill -9, a crash) loses nothing.
---
--- Line 1 is the header: which script, against which server and account, for which
--- input. Then the plan, one line per step (`seq`, `key`, `action`, `before`, `after`),
--- made durable (fsync'd) before the first change is sent. Then one `outcome` line per
--- finished step, fsync'd in batches: a step whose outcome was lost in a crash is "in
--- doubt", and resuming sends it again (every step is idempotent), so nothing is lost
--- and nothing is applied twice. An `end` line closes a finished run.
local files = require "flireo.native.files"
local shape = require "flireo.core.step"
local admit = require "flireo.core.admit"
local check = require "flireo.core.check"

--- Journals of bulk runs.
---@class flireo.journal
---@field VERSION integer the format version written in headers
local journal = {VERSION = 1}

--- An open journal.
---@class flireo.Journal
---@field path string the file
---@field header table the header record
local Journal = {}
Journal.__index = Journal
Journal.__name = "flireo.Journal"

local raise = admit.raise

--- Why a new run cannot start a journal at `path`, which exists: what that file holds
--- and the way out, in one sentence.
---@param path string the existing file
---@param base_url? string the server this run talks to (default: the global client's)
---@return string message
function journal.existing(path, base_url)
  local kind = files.kind(path)
  if kind == "directory" or kind == "other" then
    return ("the journal %s is %s, not a regular file: choose a file with --journal"):format(path,
      kind == "directory" and "a directory" or "a pipe, a device or a socket")
  end
  if files.in_use(path) then return journal.in_use(path) end
  local ok, state = pcall(journal.read, path)
  local intro = ("the journal %s already exists"):format(path)
  local here = base_url or (type(rawget(_G, "flireo")) == "table" and flireo.base_url or nil)
  local there = ok and state.header.base_url
  if not ok then
    return ("%s and cannot be read as one (%s): choose another file with --journal"):format(intro,
      type(state) == "table" and tostring(state.message) or tostring(state))
  elseif state.header.dry_run then
    return ("%s and records a dry run (%s, started %s): nothing in it was sent; remove it or choose another file "
      .. "with --journal"):format(intro, tostring(state.header.script), tostring(state.header.started_at))
  elseif type(here) == "string" and type(there) == "string" and not journal.same_server(there, here) then
    -- (A --sandbox rehearsal's, most often: that sandbox ended with its run.) Neither
    -- --resume nor undo can reach it from here.
    return ("%s and records a run against another server (%s, started %s, on %s; this run talks to %s): to run "
      .. "here, remove it or choose another file with --journal"):format(intro, tostring(state.header.script),
      tostring(state.header.started_at), there, here)
  elseif state.ended and ((tonumber(state.end_record.failed) or 0) > 0 or (tonumber(state.end_record.blocked) or 0) > 0
      or state.end_record.stopped) then
    -- A run that ended with failures has work left: --resume does it.
    return ("%s and records a run that ended with steps not done (%s, started %s): after fixing the cause, "
      .. "continue it with --resume, or choose another file with --journal"):format(intro,
      tostring(state.header.script), tostring(state.header.started_at))
  elseif state.ended then
    -- Orders cannot be undone; every other journaled run can.
    local undo = state.undone_by and ("; the undo journaled in %s reverted it"):format(state.undone_by)
      or state.header.script ~= "order-numbers" and ("; `flireo run undo %s` reverts that run"):format(path) or ""
    return ("%s and records a run that finished (%s, started %s): to run again, remove it or choose another file "
      .. "with --journal%s"):format(intro, tostring(state.header.script), tostring(state.header.started_at), undo)
  elseif not state.planned then
    return ("%s but holds no plan: the run that wrote it (%s, started %s) stopped before changing anything; "
      .. "remove it and run again"):format(intro, tostring(state.header.script), tostring(state.header.started_at))
  end
  local cli = package.loaded["flireo.cli"]
  -- --resume given to a script that starts a new journal all the same: it continues no run.
  local how = type(cli) == "table" and cli.given_resume and not cli.resumable
    and ("--resume was given, but this script does not continue runs (one that does calls journal.resume): choose "
      .. "another file with --journal, or revert that run with `%s`"):format(cli.undo_command(path))
    or "continue it with --resume, or choose another file with --journal"
  return ("%s and records a run that did not finish (%s, started %s): %s"):format(intro, tostring(state.header.script),
    tostring(state.header.started_at), how)
end

--- Why a journal another run is writing cannot be used.
---@param path string the journal
---@return string message
function journal.in_use(path)
  return ("the journal %s is in use by another flireo run going on now: wait for it to finish, or choose another "
    .. "file with --journal"):format(path)
end

local function open_error(path, e, verb, base_url)
  local code = type(e) == "table" and e.code or "io"
  if code == "in_use" then
    raise("in_use", journal.in_use(path))
  elseif code == "exists" then
    raise("exists", journal.existing(path, base_url))
  elseif code == "not_writable" and verb == "append to" then
    -- A resumed run has to go on in its own journal: another --journal cannot help.
    raise("not_writable", ("cannot append to the journal %s: the file is not writable; make it writable (chmod u+w) "
      .. "to continue that run"):format(path))
  elseif code == "not_writable" then
    raise("not_writable", ("cannot %s the journal %s: its directory does not exist or is not writable (choose "
      .. "another file with --journal)"):format(verb, path))
  end
  raise(code, ("cannot %s the journal %s: %s"):format(verb, path, type(e) == "table" and e.message or tostring(e)))
end

local function now_iso()
  return os.date("!%Y-%m-%dT%H:%M:%SZ")
end

--- Starts a new journal. An existing file is never overwritten: that is an error telling
--- to --resume or pick another path. So is a path that cannot be written — before
--- anything is sent.
---@param path string the file to create
---@param header table what identifies the run: script, base_url, account, input, …
---@return flireo.Journal journal
function journal.create(path, header)
  if type(header) ~= "table" then check.bad("header", "a table (script, base_url, account, input, …)", header) end
  local ok, file = pcall(files.create, path)
  if not ok then open_error(path, file, "create", header.base_url) end
  local record = {type = "header", journal = "flireo", version = journal.VERSION, started_at = now_iso()}
  for k, v in pairs(header) do record[k] = v end
  -- A dry run's outcomes are predictions: marked, so that no real run takes them as done.
  if record.dry_run == nil and journal.dry_now() then record.dry_run = true end
  local self = setmetatable({path = path, header = record, _file = file, _pending = 0}, Journal)
  self:_write(record)
  self:sync()
  return self
end

--- Whether `path` is a journal of a run that did not finish: one planned and stopped
--- part way (to --resume), or one stopped while its plan was written (to remove).
---@param path string the file
---@return boolean unfinished
function journal.unfinished(path)
  if not journal.exists(path) then return false end
  local ok, state = pcall(journal.read, path)
  return ok and not (state.planned and state.ended)
end

--- Checks, before a run asks for confirmation, that its journal can be created at
--- `path` (it is created only once the run is confirmed, so a "no" or Ctrl-C at the
--- prompt leaves nothing behind). Raises what journal.create would.
---@param path string the file to create
---@param base_url? string the server the run talks to (default: the global client's)
function journal.preflight(path, base_url)
  if journal.exists(path) then raise("exists", journal.existing(path, base_url)) end
  -- A symbolic link to nothing: never written through (a journal is a file of its own).
  local target = files.resolve(path)
  if target then
    raise("exists", ("the journal %s is a symbolic link to %s, which does not exist; a journal is a file of its own "
      .. "(choose another file with --journal)"):format(path, target))
  end
  if not files.can_create(path) then open_error(path, {code = "not_writable"}, "create") end
end

--- What journal.preflight checks that does not depend on the plan, for a run to say it
--- before it reads the account (minutes, for a large one): a path that can hold no journal
--- (a directory, a device, a link to nothing, a directory missing or not writable). A file
--- in the way is judged once the plan shows there is something to do.
---@param path string the file to create
function journal.preflight_path(path)
  if files.kind(path) == "file" then return end
  journal.preflight(path)
end

-- A copy of `v` whose strings are UTF-8, each stray byte written \xNN (a name from a latin-1
-- file in an error or a key): JSON holds no other text, and the outcome must be written.
local function as_utf8(v, depth)
  if type(v) == "string" then return require("flireo.inspect").valid_utf8(v) end
  if type(v) ~= "table" or depth > 20 then return v end
  local copy = {}
  for k, x in next, v do copy[as_utf8(k, depth + 1)] = as_utf8(x, depth + 1) end
  return setmetatable(copy, getmetatable(v))  -- json.array's mark, an error's type
end

--- Adds a record to the buffer (it reaches the disk with the next sync).
function Journal:_write(record)
  local ok, text = pcall(json.encode, record)
  if not ok and tostring(text):find("not valid UTF-8", 1, true) then
    record = as_utf8(record, 0)
    ok, text = pcall(json.encode, record)
  end
  if not ok and record.result ~= nil then
    -- What an action returned is kept only if JSON can hold it: the outcome itself must
    -- be written (the action was done), not crash the run.
    record.result, record.result_note = nil, "not kept: " .. tostring(text)
    ok, text = pcall(json.encode, record)
  end
  if not ok then error(text, 0) end
  self._file:write(text .. "\n")
  self._pending = self._pending + 1
end

--- Writes the plan: one line per step, then syncs, so every before-state is on disk
--- before the first change is sent.
---@param steps {n: integer, at: fun(i: integer): table}|table[] the steps ({seq, key, action, before, after, …} each, before and after false or {number_id, number}): a sequence, or a count and a function making step i
---@param fields? table more to record with the plan's end (`unchanged`: how many were already as wanted, for a resumed run's summary)
function Journal:write_plan(steps, fields)
  local n = steps.at and steps.n or #steps
  -- A step undo or --resume could not read back is refused, before anything is written (a
  -- list given whole; steps made one at a time are checked as they come).
  for i = 1, steps.at and math.min(1, n) or n do
    local problem = shape.problem(steps.at and steps.at(i) or steps[i])
    if problem then error(("journal: plan step %d %s"):format(i, problem), 2) end
  end
  for i = 1, n do
    local step = steps.at and steps.at(i) or steps[i]
    local problem = shape.problem(step)
    if problem then error(("journal: plan step %d %s"):format(i, problem), 2) end
    -- `type` is the record's own field: a step carrying one would turn into another record.
    if step.type ~= nil then error("journal: a plan step may not have a field named 'type'", 2) end
    local record = {type = "plan"}
    for k, v in pairs(step) do record[k] = v end
    self:_write(record)
    if i % 4096 == 0 then
      self:sync()
      -- Each record made a few tables and a string: collect them before they pile up.
      collectgarbage("step", 0)
    end
  end
  local planned = {type = "planned", steps = n, at = now_iso()}
  for k, v in pairs(fields or {}) do planned[k] = v end
  self:_write(planned)
  self:sync()
end

--- Records how a step ended (buffered; durable at the next sync).
---@param step table the plan step (its seq and key are recorded)
---@param outcome string "done", "failed" or "blocked"
---@param fields? table more to record: result, error
function Journal:outcome(step, outcome, fields)
  local plain = type(step) ~= "table"
  local record = {type = "outcome", seq = not plain and step.seq or nil, key = not plain and step.key or nil, outcome = outcome}
  for k, v in pairs(fields or {}) do record[k] = v end
  self:_write(record)
end

--- Records a note (a resume, an interruption's aftermath, …).
---@param fields table the note's fields
function Journal:note(fields)
  local record = {type = "note", at = now_iso()}
  for k, v in pairs(fields) do record[k] = v end
  self:_write(record)
end

--- How many records wait in the buffer.
---@return integer pending
function Journal:pending()
  return self._pending
end

--- Writes the buffered records and fsyncs them.
function Journal:sync()
  local ok, e = pcall(self._file.sync, self._file)
  if not ok then raise("io", ("cannot write the journal %s: %s"):format(self.path, type(e) == "table" and e.message or tostring(e))) end
  self._pending = 0
end

--- Records the end of the run with its summary, syncs and closes.
---@param summary table what bulk.run returned (or any summary)
function Journal:finish(summary)
  self:_write({type = "end", at = now_iso(), done = summary.done, skipped = summary.skipped,
    failed = summary.failed, blocked = summary.blocked, stopped = summary.stopped or nil})
  self:close()
end

--- Syncs and closes.
function Journal:close()
  self:sync()
  self._file:close()
end

-- The outcome records journal.read keeps for steps done or skipped, one per kind (read-only).
local OUTCOMES = {done = {outcome = "done"}, skipped = {outcome = "skipped"}}

--- Reads a journal: its header, its plan (steps by seq, in order) and how each step
--- last ended. A last line cut short by a crash is ignored (`torn` tells where it
--- starts); any other malformed line is an error naming it.
---@param path string the file
---@return {header: table, steps: table[], outcomes: table<integer, {outcome: string}>, ended: boolean, planned: boolean, size: integer, torn: integer|nil, notes: table<integer, table>|nil} state outcomes[seq] holds how the step last ended (of a step done or skipped, only that; a failure's record whole); notes[seq] the notes written with that seq, merged (a later field over an earlier one)
function journal.read(path)
  -- A pipe would block the read (or be consumed by it): only a regular file is a journal.
  local kind = files.kind(path)
  if kind == "directory" or kind == "other" then
    raise("not_journal", ("the journal %s is not a regular file"):format(path))
  end
  local f, why = io.open(path, "rb")
  -- io.open's reason starts with the path: it is said once.
  if not f then raise("not_found", ("cannot read the journal %s: %s"):format(path, (why:gsub("^.*: ", "")))) end
  local readable, problem = f:read(0)
  if readable == nil and problem then
    f:close()
    raise("io", ("cannot read the journal %s: %s"):format(path, problem))
  end
  -- A header is a short line: a file without a line break early on (zeros left by a
  -- crash, a binary file) is not read in whole.
  local start = f:read(65536) or ""
  if (start:match("^[^\n]*") or ""):find("\0", 1, true) then
    f:close()
    raise("not_journal", ("%s is not a flireo journal (its first line holds NUL bytes: zeros, or no text file)"):format(path))
  end
  if #start == 65536 and not start:find("\n", 1, true) then
    f:close()
    raise("not_journal", ("%s is not a flireo journal (its first line is longer than 64 KB)"):format(path))
  end
  f:seek("set", 0)
  local state = {steps = {}, outcomes = {}, ended = false, planned = false, size = 0}
  local number, offset = 0, 0
  for line in f:lines("L") do
    number = number + 1
    local complete = line:sub(-1) == "\n"
    local ok, record = pcall(json.decode, complete and line:sub(1, -2) or line)
    if not complete then
      -- A crash during a write leaves a partial last line: the records before it hold.
      state.torn = offset
      break
    end
    if not ok or type(record) ~= "table" then
      f:close()
      raise("corrupt", ("%s:%d: not a journal record (%s)"):format(path, number, ok and "not an object" or tostring(record)))
    end
    if number == 1 then
      if record.type ~= "header" or record.journal ~= "flireo" then
        f:close()
        raise("not_journal", ("%s is not a flireo journal"):format(path))
      end
      if record.version ~= journal.VERSION then
        f:close()
        raise("version", ("%s has journal format version %s; this flireo reads version %d")
          :format(path, tostring(record.version), journal.VERSION))
      end
      state.header = record
    elseif record.type == "plan" then
      -- A step undo and --resume cannot read (a plan a script wrote by hand): said, not guessed at.
      local problem = shape.problem(record)
      if problem then f:close() raise("corrupt", ("%s:%d: plan step %s"):format(path, number, problem)) end
      state.steps[#state.steps + 1] = record
    elseif record.type == "planned" then
      state.planned, state.unchanged = true, math.tointeger(record.unchanged)
    elseif record.type == "outcome" then
      -- An outcome of a plan step by its seq; one of a run over plain items by its key.
      if record.seq ~= nil then
        -- Of a step done, only that is kept (one shared table): a journal of 100,000
        -- results read back whole took more memory than the run that wrote it. A failure
        -- keeps its error.
        state.outcomes[record.seq] = (record.outcome == "done" or record.outcome == "skipped")
          and OUTCOMES[record.outcome] or record
      elseif record.key ~= nil then
        state.by_key = state.by_key or {}
        state.by_key[record.key] = record
      end
    elseif record.type == "end" then
      state.ended, state.end_record = true, record
    elseif record.type == "note" and type(record.undone_by) == "string" then
      state.undone_by = record.undone_by
    elseif record.type == "note" and record.seq ~= nil then
      -- What a script noted of a step as it ran (order-numbers: the order it placed), merged:
      -- a later note (sending again) does not hide an earlier one's order_id.
      state.notes = state.notes or {}
      local note = state.notes[record.seq] or {}
      for k, v in pairs(record) do note[k] = v end
      state.notes[record.seq] = note
    end
    offset = offset + #line
    -- Each line decoded made a few tables: collect them before they pile up.
    if number % 4096 == 0 then collectgarbage("step", 0) end
  end
  f:close()
  if not state.header and #start > 0 then
    -- Cut short in its first line: a run stopped as it began to write (nothing was planned).
    raise("not_journal", ("%s holds no complete line (%d bytes): a run stopped while it began the journal, "
      .. "before any plan, or it is no flireo journal"):format(path, #start))
  end
  if not state.header then raise("not_journal", ("%s is empty: not a flireo journal"):format(path)) end
  state.size = offset
  return state
end

--- Opens an existing journal for appending (taking its lock), after cutting off a torn
--- last line so that the next record starts a line of its own.
---@param path string the journal
---@param state table what journal.read returned for it
local function reopen(path, state)
  if state.torn then
    local ok, e = pcall(files.truncate, path, state.size)
    if not ok then open_error(path, e, "repair") end
  end
  local ok, file = pcall(files.append, path)
  if not ok then open_error(path, file, "append to") end
  return file
end

--- Opens an existing journal to continue its run, after checking it belongs to this run:
--- `expect` fields (script, base_url, input fingerprint, …) must match the header's, or
--- the journal is refused with the reason. A torn last line is cut off first.
---@param path string the file
---@param expect table fields the header must have: {script = …, base_url = …, input = {fingerprint = …}, …}
---@param describe? table<string, string> how to name each field in the refusal (`input = "the input file"`)
---@return flireo.Journal journal opened for appending
---@return table state as journal.read returns it
function journal.resume(path, expect, describe)
  if files.in_use(path) then raise("in_use", journal.in_use(path)) end
  local state = journal.read(path)
  journal.check(state, expect, describe, path)
  journal.refuse_undone(state, path)
  journal.refuse_dry(state, path)
  if not state.planned then
    raise("no_plan", ("%s has no complete plan: the run stopped before it changed anything; start over without --resume (remove the file first)")
      :format(path))
  end
  local file = reopen(path, state)
  -- A script that resumes runs: an interruption of this one offers --resume again.
  if type(package.loaded["flireo.cli"]) == "table" then package.loaded["flireo.cli"].resumable = true end
  local self = setmetatable({path = path, header = state.header, _file = file, _pending = 0}, Journal)
  self:note({resumed = true})
  self:sync()
  return self, state
end

--- Takes the lock of a journal whose run is about to be undone, and keeps it: no
--- --resume of that run can start while the undo reads the account and plans, and the
--- note that marks it undone can always be written. Raises, before anything is sent, when
--- the journal is in use or cannot be written (a mark that could not be written would let
--- a later --resume re-apply what the undo reverts). A torn last line is cut off first.
---@param path string the journal of the run being undone
---@param state table what journal.read returned for it
---@return {mark: fun(by: string)} holder mark(by): writes the note (durable at once); a --resume of that run is refused from then on
function journal.hold_for_undo(path, state)
  local ok, file = pcall(reopen, path, state)
  if not ok then
    local e = file
    if type(e) == "table" and e.code == "not_writable" then
      raise("not_writable", ("the journal %s is not writable, and undo must mark it undone so that a --resume of "
        .. "that run cannot re-apply what this reverts: make it writable (chmod u+w) and run undo again"):format(path))
    end
    error(e, 0)
  end
  return {
    mark = function(by)
      file:write(json.encode({type = "note", at = now_iso(), undone_by = by}) .. "\n")
      file:sync()
    end,
  }
end

-- What a journal's header must show for a run to continue it or undo it (flireo.core.admit).
journal.dry_now, journal.refuse_dry, journal.refuse_undone = admit.dry_now, admit.refuse_dry, admit.refuse_undone
journal.check, journal.same_server = admit.check, admit.same_server

--- Whether a file exists (and can be opened for reading).
---@param path string the file
---@return boolean exists
function journal.exists(path)
  local kind = files.kind(path)
  if kind == "directory" or kind == "other" then return true end
  local f = io.open(path, "rb")
  if f then f:close() return true end
  return false
end

--- Whether `path` is a flireo journal: a regular file whose first line is a journal's
--- header record.
---@param path string the file
---@return boolean journal
function journal.is_journal(path)
  if files.kind(path) ~= "file" then return false end
  local f = io.open(path, "rb")
  if not f then return false end
  local first = f:read(65536) or ""
  f:close()
  local ok, header = pcall(json.decode, first:match("^[^\n]*"))
  return ok and type(header) == "table" and header.type == "header" and header.journal == "flireo"
end

-- A path that is no string is named before any file is touched (the functions above take it first).
for _, name in ipairs({"existing", "in_use", "create", "unfinished", "preflight", "preflight_path", "read", "resume",
  "hold_for_undo", "exists", "is_journal"}) do
  local f = journal[name]
  journal[name] = function(path, ...)
    if type(path) ~= "string" then check.bad("path", "a journal's file name", path) end
    return f(path, ...)
  end
end

return journal
