-- Unlinks the phone numbers of the listed assistants, or of every assistant matching a filter.
--
-- Usage: flireo run unlink [options] ASSISTANT_ID...
--        flireo run unlink [options] --file FILE.csv
--        flireo run unlink [options] (--all | --default | --type TYPE | --name TEXT)...
--
-- Assistants without a number are left alone (counted as already done). The unlinked
-- numbers become available again. Filters combine: --default --name support unlinks
-- the assistants on shared default numbers whose name contains "support".
--
-- Arguments:
--   ASSISTANT_ID...        the assistants to unlink
--
-- Options:
--   --file FILE.csv        the assistants in the assistant_id column of FILE.csv
--                          (- reads it from standard input, for a --dry-run only)
--   --all                  every assistant that has a number
--   --default              assistants on shared default numbers
--   --type TYPE            assistants whose number is of TYPE: local, mobile or national
--   --name TEXT            assistants whose name contains TEXT (any case)
--   --dry-run              print the plan and send no change
--   -y, --yes              do not ask for confirmation (needed when stdin is not a terminal)
--   -c, --concurrency N    requests in flight at once, 1 to 256 (default 16)
--   -j, --journal FILE     the journal (default: unlink-HASH.journal.jsonl in the current
--                          directory, HASH naming the selection)
--   --resume               continue the run the journal records: only what is left is sent
--   --max-failures N       stop starting new unlinks after N have failed
--   --progress-every N     without a terminal, a progress line every N unlinks (default 1000)
--   --json                 print the plan (with --dry-run) or the summary as JSON on stdout
--   -h, --help             show this help
--
-- Changes data: yes, it unlinks numbers. Journaled: an interrupted run continues with
-- --resume, and `flireo run undo JOURNAL` links the numbers again.
-- Exit status: 0 done, 1 bad input or refused, 2 bad usage or no --yes without a
-- terminal, 3 some unlinks failed, 130 interrupted (143 SIGTERM, 129 SIGHUP, 141 standard
-- output closed)
-- (Ctrl-C: the message gives the command that continues the run).
local cli = require "flireo.cli"
local apply = require "flireo.apply"
local csv = require "flireo.csv"
local files = require "flireo.native.files"
local links = require "flireo.links"

local opts = cli.parse(arg, {
  mutating = true,
  positional = {},
  options = {
    {name = "file", type = "string"}, {name = "all", type = "boolean"}, {name = "default", type = "boolean"},
    {name = "type", type = "string", values = {"local", "mobile", "national"}}, {name = "name", type = "string"},
  },
})
cli.run(opts, function()
  local filtered = opts.all or opts.default or opts.type or opts.name
  local listed = #opts.args > 0 or opts.file
  if (filtered and listed) or not (filtered or listed) then
    cli.fail(opts.script, "give assistant ids, --file, or filters (--all, --default, --type, --name), one kind only\n"
      .. "Usage: flireo run unlink [options] ASSISTANT_ID... | --file FILE.csv | --all | --default | --type TYPE | --name TEXT",
      cli.USAGE)
  end

  -- The explicit list, checked before any request.
  local ids, problems, fingerprint = {}, {}, nil
  if opts.file then
    -- Refuses standard input (but for a dry run) before reading it.
    fingerprint = apply.fingerprint(opts, opts.file)
    local ok, reader = pcall(csv.open, opts.file, {columns = {assistant_id = {"assistant"}}})
    if not ok then cli.fail(opts.script, tostring(reader.message or reader)) end
    while true do
      local read, row, line = pcall(reader.next, reader)
      if not read then problems[#problems + 1] = tostring(row.message or row); break end
      if not row then break end
      local id = (row.assistant_id or ""):match("^%s*(.-)%s*$")
      if links.is_uuid(id) then ids[#ids + 1] = {id = id:lower(), line = line}
      else problems[#problems + 1] = ("%s:%d: assistant_id %q is not a UUID"):format(reader.name, line, id) end
    end
    reader:close()
    if #problems == 0 and #ids == 0 then cli.fail(opts.script, (opts.file == "-" and "stdin" or opts.file) .. " has no rows; nothing was sent") end
  else
    for i, id in ipairs(opts.args) do
      if links.is_uuid(id) then ids[#ids + 1] = {id = id:lower(), line = i}
      else problems[#problems + 1] = ("argument %d: %q is not an assistant id (a UUID)"):format(i, id) end
    end
  end
  if #problems > 0 then
    local listed = json.array()
    for i, p in ipairs(problems) do
      io.stderr:write(p, "\n")
      listed[i] = {message = p}
    end
    cli.fail(opts.script, "nothing was sent", nil, {problems = listed, problem_count = #problems})
  end

  local selection
  if opts.file then
    selection = "file:" .. (fingerprint or "-")
  elseif listed then
    local sorted = {}
    for i, item in ipairs(ids) do sorted[i] = item.id end
    table.sort(sorted)
    selection = "ids:" .. files.hash(table.concat(sorted, ","))
  else
    selection = ("filter:all=%s,default=%s,type=%s,name=%s"):format(tostring(opts.all or false),
      tostring(opts.default or false), tostring(opts.type or ""), tostring(opts.name or ""))
  end

  local function plan()
    local state = links.snapshot(flireo, {names = opts.name ~= nil, details = opts.type ~= nil,
      concurrency = math.min(opts.concurrency, 16), progress = opts.script .. ": reading the account"})
    local desired, missing = links.wanted(), {}
    if listed then
      local seen = {}
      for _, item in ipairs(ids) do
        if state.assistants[item.id] == nil then
          missing[#missing + 1] = item.id
        elseif not seen[item.id] then
          seen[item.id] = true
          links.want(desired, item.id, false, item.line)
        end
      end
    else
      local needle = opts.name and opts.name:lower()
      for i, id in ipairs(state.order) do
        local number = state.assistants[id]
        -- An assistant without a number matches a name (it counts as already unlinked),
        -- never a number's kind.
        local keep = (number or not (opts.default or opts.type))
          and (not opts.default or state.default[number])
          and (not opts.type or state.types[number] == opts.type)
          and (not needle or ((state.names[id] or ""):lower():find(needle, 1, true) ~= nil))
        if keep then links.want(desired, id, false, i) end
      end
      if desired.n == 0 then
        io.stderr:write(("%s: no assistant matches the filter; nothing to change\n"):format(opts.script))
        apply.print_json(opts, {})
        cli.exit(cli.OK)
      end
    end
    if #missing > 0 then
      cli.fail(opts.script, ("not in this account: %s; nothing was sent"):format(table.concat(missing, ", ")))
    end
    local result, found = links.plan(state, desired, {outside = "unlink"})
    if not result then cli.fail(opts.script, found[1].message) end
    -- (What undo cannot put back, assistants on shared default numbers, flireo.apply says.)
    return result, state
  end

  apply.run(flireo, opts, {
    input = {selection = selection, streamed = opts.file and not fingerprint or nil},
    input_name = "selection of assistants",
    journal = "unlink-" .. files.hash(selection):sub(1, 8) .. ".journal.jsonl",
    label = "unlinking",
    plan = plan,
  })
end)
