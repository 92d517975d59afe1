-- Links assistants to the phone numbers listed in a CSV file.
--
-- Usage: flireo run link-from-csv [options] FILE.csv
--
-- FILE.csv starts with a header row naming the columns assistant_id and phone_number
-- (a phone number id, or an E.164 number such as +31201234567); other columns are
-- ignored. Every row is checked before anything is sent: a malformed id or number, an
-- assistant listed twice, a number listed twice, two assistants on shared default
-- numbers, an assistant or number the account does not have, a number held by an
-- assistant the file does not mention. All problems are reported with their line
-- numbers, and then nothing is sent. Rows already as wanted are skipped; an assistant
-- holding a wanted number moves first, and assistants swapping numbers are handled.
--
-- Arguments:
--   FILE.csv               the links to make
--
-- Options:
--   --dry-run              print the plan and send no change
--   -y, --yes              do not ask for confirmation (needed when stdin is not a terminal)
--   -c, --concurrency N    requests in flight at once (default 16)
--   -j, --journal FILE     the journal (default: NAME.journal.jsonl in the current
--                          directory, NAME being FILE.csv's name without .csv)
--   --resume               continue the run the journal records: only what is left is sent
--   --max-failures N       stop starting new links after N have failed
--   --progress-every N     without a terminal, a progress line every N links (default 1000)
--   --json                 print the plan (with --dry-run) or the summary as JSON on stdout
--   -h, --help             show this help
--
-- Changes data: yes, it links numbers (a number an assistant had before becomes
-- available). Journaled: an interrupted run continues with --resume, and
-- `flireo run undo JOURNAL` puts every assistant back as it was.
-- Exit status: 0 done, 1 bad input or refused, 2 bad usage or no --yes without a
-- terminal, 3 some links failed.
local cli = require "flireo.cli"
local csv = require "flireo.csv"
local links = require "flireo.links"
local apply = require "flireo.apply"
local files = require "flireo.native.files"

local opts = cli.parse(arg, {mutating = true, positional = {min = 1, max = 1}})
local path = opts.args[1]

local problems = {}
local function problem(line, message) problems[#problems + 1] = {line = line, message = message} end

local function report_problems()
  if #problems == 0 then return end
  table.sort(problems, function(a, b) return (a.line or 0) < (b.line or 0) end)
  for i, p in ipairs(problems) do
    if i > 100 then
      io.stderr:write(("… and %d more problems\n"):format(#problems - 100))
      break
    end
    io.stderr:write(("%s:%s: %s\n"):format(path, p.line and tostring(p.line) or "-", p.message))
  end
  cli.fail(opts.script, ("%d problem%s in %s; nothing was sent"):format(#problems, #problems == 1 and "" or "s", path))
end

--- Reads and checks every row; nothing is sent while reading.
local function read_rows()
  local ok, reader = pcall(csv.open, path, {
    columns = {assistant_id = {"assistant"}, phone_number = {"number", "phone", "phone_number_id"}},
  })
  if not ok then cli.fail(opts.script, type(reader) == "table" and reader.message or tostring(reader)) end
  local desired, by_assistant, by_key = {}, {}, {}
  while true do
    local read, row, line = pcall(reader.next, reader)
    if not read then
      local e = row
      if type(e) ~= "table" or e.code ~= "field_count" then
        problem(e.line, type(e) == "table" and (e.message:gsub("^.-:%d+: ", "")) or tostring(e))
        break
      end
      problem(e.line, (e.message:gsub("^.-:%d+: ", "")))
      goto continue
    end
    if not row then break end
    do
      local a = (row.assistant_id or ""):match("^%s*(.-)%s*$")
      local n = (row.phone_number or ""):match("^%s*(.-)%s*$")
      local good = true
      if a == "" then
        problem(line, "assistant_id is empty"); good = false
      elseif not links.is_uuid(a) then
        problem(line, ("assistant_id %q is not a UUID"):format(a)); good = false
      end
      if n == "" then
        problem(line, "phone_number is empty (to unlink, use the unlink or apply-links scripts)"); good = false
      elseif not links.is_uuid(n) and not links.is_e164(n) then
        problem(line, ("phone_number %q is neither a phone number id nor an E.164 number such as +31201234567"):format(n))
        good = false
      end
      if good then
        a = a:lower()
        local key = links.is_uuid(n) and n:lower() or n
        if by_assistant[a] then
          problem(line, ("assistant %s is already on line %d"):format(a, by_assistant[a]))
        elseif by_key[key] then
          problem(line, ("%s is already on line %d"):format(n, by_key[key]))
        else
          by_assistant[a], by_key[key] = line, line
          desired[#desired + 1] = {assistant = a, number = key, line = line}
        end
      end
    end
    ::continue::
  end
  reader:close()
  if #reader.blank_lines > 0 then
    local shown = {}
    for i = 1, math.min(5, #reader.blank_lines) do shown[i] = tostring(reader.blank_lines[i]) end
    io.stderr:write(("%s: %d blank line%s ignored (line %s%s)\n"):format(path, #reader.blank_lines,
      #reader.blank_lines == 1 and "" or "s", table.concat(shown, ", "), #reader.blank_lines > 5 and ", …" or ""))
  end
  report_problems()
  if #desired == 0 then cli.fail(opts.script, path .. " has no rows") end
  return desired
end

--- Resolves numbers against the account and checks what only the account can tell.
local function plan()
  local desired = read_rows()
  io.stderr:write(("%s: %d rows read; reading the account's links\n"):format(opts.script, #desired))
  local state = links.snapshot(flireo, {concurrency = math.min(opts.concurrency, 16)})
  local by_id, on_default = {}, nil
  for _, d in ipairs(desired) do
    local id = d.number
    if links.is_e164(id) then id = state.by_number[id] end
    if not id or not state.numbers[id] then
      problem(d.line, ("%s is not a number of this account nor a shared default number"):format(d.number))
    elseif by_id[id] then
      problem(d.line, ("%s is the same number as on line %d"):format(d.number, by_id[id]))
    else
      by_id[id] = d.line
      d.number = id
      if state.default[id] then
        if on_default then
          problem(d.line, ("%s and %s (line %d) both get shared default numbers, but linking one releases the other")
            :format(d.assistant, on_default.assistant, on_default.line))
        end
        on_default = on_default or d
      end
    end
    if state.assistants[d.assistant] == nil then
      problem(d.line, ("assistant %s is not in this account"):format(d.assistant))
    end
  end
  report_problems()
  local result, found = links.plan(state, desired, {outside = "refuse", source = path})
  for _, p in ipairs(found) do problem(p.line, p.message) end
  report_problems()
  return result, state
end

local fingerprint
do
  local ok, hash = pcall(files.hash_file, path)
  if not ok then cli.fail(opts.script, type(hash) == "table" and hash.message or tostring(hash)) end
  fingerprint = hash
end

apply.run(flireo, opts, {
  input = {fingerprint = fingerprint},
  input_name = "CSV file (" .. path .. " has other content)",
  journal = (path:gsub("^.*/", ""):gsub("%.[Cc][Ss][Vv]$", "")) .. ".journal.jsonl",
  label = "linking",
  plan = plan,
})
