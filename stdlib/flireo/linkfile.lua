--- flireo.linkfile: reading a file of wanted links (CSV, or the JSON export-links
--- writes) and checking it, first on its own (every row, before any request) and then
--- against the account. Problems are collected with their line numbers, never raised
--- one at a time, so a person fixes the file in one go.
local csv = require "flireo.csv"
local links = require "flireo.links"
local check = require "flireo.core.check"

--- Wanted-link files.
---@class flireo.linkfile
local linkfile = {}

local function trim(s)
  if s == nil or s == json.null then return "" end
  return (tostring(s):match("^%s*(.-)%s*$"))
end

--- What a row's position counts in a file: lines of a CSV file, elements of a JSON array.
---@param path string the file
---@return "line"|"element" unit
function linkfile.unit(path)
  return path:lower():match("%.json$") and "element" or "line"
end

-- The problems kept to print (the first ones, by line); `total` counts them all, so a
-- file of a million bad rows does not hold a million messages.
local KEEP = 1000

--- Notes a problem in `list`.
local function note(list, line, message)
  list.total = (list.total or #list) + 1
  if #list < KEEP then list[#list + 1] = {line = line, message = message} end
end

--- Checks one row's text and adds it to `out.wanted` (or problems to `out.problems`).
local function add(out, line, assistant, number_id, number, opts, number_given, id_given)
  local function problem(message) note(out.problems, line, message) end
  -- A value quoted in a message: cut at 40 bytes (a 100,000-character field is not
  -- printed whole), never a key given by mistake.
  local function show(value)
    local shown = check.describe(value)
    -- `a, "b"`: RFC 4180 keeps the quotes of a field that does not start with one.
    if value:find('^".*"$') then shown = shown .. " (quotes inside the value: is there a space before the opening quote?)" end
    return shown
  end
  local good, named = true, false
  if assistant == "" then
    problem("assistant_id is empty"); good = false
  elseif not links.is_uuid(assistant) then
    problem(("assistant_id %s is not a UUID"):format(show(assistant))); good = false
  else
    named = true
  end
  if number_id ~= "" and not links.is_uuid(number_id) then
    problem(("phone_number_id %s is not a UUID"):format(show(number_id))); good = false
  end
  if number ~= "" and not links.is_uuid(number) and not links.is_e164(number) then
    problem(("phone_number %s is neither a phone number id nor an E.164 number such as +31201234567"):format(show(number)))
    good = false
  end
  if number_id == "" and number == "" and not opts.allow_unlink then
    problem("phone_number is empty (to unlink, use the unlink or apply-links scripts)"); good = false
  end
  -- Where an empty number means "no number", one left beside an id is a contradiction (an
  -- export edited to unlink by blanking the readable column only).
  if opts.allow_unlink and number_given and number == "" and number_id ~= "" then
    problem(("phone_number is empty but phone_number_id is %s: to unlink, empty both; to link, give both (or drop "
      .. "the phone_number column)"):format(show(number_id))); good = false
  end
  -- And the other way round: an id blanked beside a number left is no clearer.
  if opts.allow_unlink and id_given and number_given and number_id == "" and number ~= "" then
    problem(("phone_number_id is empty but phone_number is %s: to unlink, empty both; to link, give both (or drop "
      .. "the phone_number_id column)"):format(show(number))); good = false
  end
  -- An assistant listed twice is said in the same round as a row's other problems.
  if named then
    assistant = assistant:lower()
    if out.by_assistant[assistant] then
      problem(("assistant %s is already on %s %d"):format(assistant, out.unit, out.by_assistant[assistant]))
      return
    end
    out.by_assistant[assistant] = line
  end
  if not good then return end
  local key = number_id ~= "" and number_id:lower() or (links.is_uuid(number) and number:lower() or number)
  links.want(out.wanted, assistant, key ~= "" and key or false, line, number_id ~= "" and number ~= "" and number or nil)
  -- An id in capitals, kept as written for messages (rare: only then is it kept).
  local written = number_id ~= "" and number_id or number
  if written ~= key then out.wanted.written[out.wanted.n] = written end
end

--- Reads a CSV file of wanted links: columns assistant_id and phone_number (an id or an
--- E.164 number), and optionally phone_number_id (export-links writes both; the id wins,
--- and the number must then agree with it).
---@param path string the file (.csv, or .json as export-links --json writes)
---@param opts? {allow_unlink?: boolean} allow_unlink: an empty number means "no number"
---@return table wanted the rows (links.wanted): number keys are ids or E.164 numbers, false for none
---@return table[] problems {line, message} each
---@return table info {blank_lines = {lines}, assistants = {id → line}}
function linkfile.read(path, opts)
  opts = opts or {}
  local out = {wanted = links.wanted(), problems = {}, by_assistant = {}, unit = linkfile.unit(path)}
  if out.unit == "element" then
    local f, why = io.open(path, "rb")
    if not f then error({code = "not_found", message = "cannot open " .. tostring(why)}, 0) end
    local text = f:read("a")
    f:close()
    if text:sub(1, 3) == "\239\187\191" then text = text:sub(4) end  -- a UTF-8 byte order mark
    local ok, rows = pcall(json.decode, text)
    -- An array: a table whose keys are 1..n (an empty object decodes like an empty array).
    local array = ok and type(rows) == "table" and getmetatable(rows) ~= getmetatable(json.object())
    if array then
      for k in pairs(rows) do
        if math.type(k) ~= "integer" or k < 1 or k > #rows then array = false break end
      end
    end
    if not array then
      note(out.problems, nil, "not a JSON array of links"
        .. (ok and " (export-links --json writes one)" or ": " .. tostring(rows)))
      return out.wanted, out.problems, {blank_lines = {}, assistants = {}}
    end
    -- The names the CSV header accepts, for each field (keys are read as header names).
    local names = {assistant_id = {"assistant"}, phone_number = {"number", "phone"}, phone_number_id = {}}
    local function text(v) return v == nil or v == json.null or type(v) == "string" end
    for i, row in ipairs(rows) do
      -- Keys as a CSV header's names are read: "Assistant ID" is assistant_id. Two keys
      -- for one field would leave which one counts to chance: that is a problem.
      local twice
      if type(row) == "table" and #row == 0 then
        local keyed, spelled = {}, {}
        for k, v in pairs(row) do
          local name = type(k) == "string" and csv.normalize(k) or k
          for field, aliases in pairs(names) do
            for _, alias in ipairs(aliases) do if name == alias then name = field end end
          end
          if spelled[name] then twice = ("%q and %q both give %s"):format(spelled[name], k, name) end
          keyed[name], spelled[name] = v, k
        end
        row = keyed
      end
      if twice then
        note(out.problems, i, twice)
      elseif type(row) ~= "table" or (#row > 0) then
        note(out.problems, i, ("not an object with assistant_id and phone_number (%s)")
          :format(row == json.null and "null" or type(row)))
      elseif not (text(row.assistant_id) and text(row.phone_number) and text(row.phone_number_id)) then
        note(out.problems, i, "assistant_id, phone_number and phone_number_id "
          .. "must be strings (\"+31201234567\"), or null")
      elseif row.assistant_id == nil then
        note(out.problems, i, "has no assistant_id")
      elseif row.phone_number == nil and row.phone_number_id == nil then
        -- No number given is not "no number": that takes null (as export-links writes).
        note(out.problems, i, "has no phone_number (or phone_number_id); "
          .. "for an assistant that should have no number, give \"phone_number\": null")
      else
        add(out, i, trim(row.assistant_id), trim(row.phone_number_id), trim(row.phone_number), opts, row.phone_number ~= nil,
          row.phone_number_id ~= nil)
      end
    end
    return out.wanted, out.problems, {blank_lines = {}, assistants = out.by_assistant}
  end
  local reader = csv.open(path, {
    columns = {assistant_id = {"assistant"}},
    optional = {phone_number = {"number", "phone"}, phone_number_id = {}},
  })
  if reader._map.phone_number == nil and reader._map.phone_number_id == nil then
    csv.error(path, reader.header_line, "missing_column", ("missing column %q (or phone_number_id); the header (line %d) has: %s")
      :format("phone_number", reader.header_line, reader.header_text))
  end
  while true do
    local ok, row, line = pcall(reader.next, reader)
    if not ok then
      local e = row
      local message = type(e) == "table" and tostring(e.message):gsub("^.-:%d+: ", "") or tostring(e)
      note(out.problems, type(e) == "table" and e.line or nil, message)
      if type(e) ~= "table" or e.code ~= "field_count" then break end
    elseif not row then
      break
    else
      add(out, line, trim(row.assistant_id), trim(row.phone_number_id), trim(row.phone_number), opts,
        reader._map.phone_number ~= nil, reader._map.phone_number_id ~= nil)
      if out.wanted.n % 16384 == 0 then collectgarbage("step", 0) end
    end
  end
  reader:close()
  return out.wanted, out.problems, {blank_lines = reader.blank_lines, assistants = out.by_assistant}
end

--- Resolves the wanted numbers against the account (E.164 → id) and checks what only
--- the account can tell: unknown assistants and numbers, the same number twice, two
--- assistants on shared default numbers (with `one_default`; a snapshot may keep
--- several that already share one), an id whose number disagrees with the row's.
---@param state table a links.snapshot
---@param w table the rows linkfile.read returned (numbers resolved to ids in place)
---@param opts? {one_default?: boolean}
---@return table[] problems {line, message} each
function linkfile.resolve(state, w, opts)
  opts = opts or {}
  local unit = opts.unit or "line"
  local problems, by_id, on_default = {}, {}, nil
  local function problem(line, message) note(problems, line, message) end
  for i = 1, w.n do
    local assistant, key, line = w.assistant[i], w.number[i], w.line[i]
    if state.assistants[assistant] == nil then
      problem(line, ("assistant %s is not in this account"):format(assistant))
    end
    if key then
      local id = key
      if links.is_e164(id) then id = state.by_number[id] end
      if not id or not state.numbers[id] then
        problem(line, ("%s is not a number of this account nor a shared default number"):format(key))
      elseif by_id[id] and not state.default[id] then
        -- As written on this line, with the number it is when that was an id.
        local shown = links.is_e164(key) and key or ("%s (%s)"):format(w.written and w.written[i] or key, state.numbers[id])
        problem(line, ("phone number %s is already on %s %d"):format(shown, unit, by_id[id]))
      elseif w.check[i] and state.numbers[id] ~= w.check[i] then
        problem(line, ("phone_number_id %s is %s, not %s"):format(id, state.numbers[id], w.check[i]))
      else
        by_id[id] = by_id[id] or line
        w.number[i] = id
        if state.default[id] and opts.one_default then
          if on_default then
            problem(line, ("%s and %s (%s %d) both get shared default numbers, but linking one releases the other")
              :format(assistant, w.assistant[on_default], unit, w.line[on_default]))
          end
          on_default = on_default or i
        end
      end
    end
  end
  return problems
end

--- Prints problems sorted by line (the first 100) as `path:line: message`, or
--- `path: element N: message` for a JSON file.
---@param path string the file
---@param problems table[] {line, message} each
function linkfile.report(path, problems)
  local element = linkfile.unit(path) == "element"
  table.sort(problems, function(a, b) return (a.line or 0) < (b.line or 0) end)
  local total = problems.total or #problems
  for i, p in ipairs(problems) do
    if i > 100 then break end
    if element then
      io.stderr:write(("%s: %s%s\n"):format(path, p.line and ("element %d: "):format(p.line) or "", p.message))
    else
      io.stderr:write(("%s:%s: %s\n"):format(path, p.line and tostring(p.line) or "-", p.message))
    end
  end
  if total > 100 then io.stderr:write(("… and %d more problems\n"):format(total - 100)) end
end

--- The problems `report` prints (after it sorted them), as a JSON array: the first 100,
--- each {line, message}.
---@param problems table[] {line, message} each
---@return table array
function linkfile.listed(problems)
  local array = json.array()
  for i = 1, math.min(#problems, 100) do array[i] = {line = problems[i].line, message = problems[i].message} end
  return array
end

--- Notes blank lines that were skipped.
---@param path string the file
---@param blank integer[] their lines
function linkfile.note_blank_lines(path, blank)
  if #blank == 0 then return end
  local shown = {}
  for i = 1, math.min(5, #blank) do shown[i] = tostring(blank[i]) end
  io.stderr:write(("%s: %d blank line%s ignored (line %s%s)\n"):format(path, #blank, #blank == 1 and "" or "s",
    table.concat(shown, ", "), #blank > 5 and ", …" or ""))
end

--- Everything a script needs before applying a file: read and check it (exit 1 with every
--- problem and nothing sent), read the account, resolve, plan (exit 1 on problems).
---@param client table the flireo client
---@param path string the file
---@param opts {script: string, allow_unlink?: boolean, one_default?: boolean, outside: "unlink"|"refuse", concurrency?: integer, skip_defaults?: boolean, skip_hint?: string}
---@return table plan what links.plan returned
---@return table state the snapshot
function linkfile.plan(client, path, opts)
  local cli = require "flireo.cli"
  -- Messages name standard input (a dry run's `-`) as lua does.
  local shown = path == "-" and "stdin" or path
  local function stop(problems, why)
    linkfile.report(shown, problems)
    if why then io.stderr:write(opts.script, ": ", why, "\n") end
    local total = problems.total or #problems
    cli.fail(opts.script, ("%d problem%s in %s; nothing was sent"):format(total, total == 1 and "" or "s", shown), nil,
      {problems = linkfile.listed(problems), problem_count = total})
  end
  local ok, wanted, problems, info = pcall(linkfile.read, path, {allow_unlink = opts.allow_unlink})
  if not ok then cli.fail(opts.script, type(wanted) == "table" and tostring(wanted.message) or tostring(wanted)) end
  linkfile.note_blank_lines(shown, info.blank_lines)
  if #problems > 0 then
    -- Reading the account first could take long (a large one, paced): the file's own
    -- problems come at once, and what only the account can tell comes when they are fixed.
    stop(problems, ("the account was not read: the rows' assistants and numbers are checked against it once %s "
      .. "has no problems of its own"):format(shown))
  end
  if wanted.n == 0 then cli.fail(opts.script, shown .. " has no rows") end
  -- What parsing left behind goes before the account's links come in.
  collectgarbage()
  io.stderr:write(("%s: %d row%s read; reading the account's links\n"):format(opts.script, wanted.n,
    wanted.n == 1 and "" or "s"))
  -- Only the rows' assistants and numbers (and whoever holds those) are kept.
  local only = {assistants = info.assistants, numbers = {}}
  for i = 1, wanted.n do
    if wanted.number[i] then only.numbers[wanted.number[i]] = true end
  end
  local state = links.snapshot(client, {concurrency = math.min(opts.concurrency or 8, 16), only = only,
    progress = opts.script .. ": reading the account"})
  only, info = nil, nil
  collectgarbage()
  problems = linkfile.resolve(state, wanted, {one_default = opts.one_default, unit = linkfile.unit(path)})
  if #problems > 0 then stop(problems) end
  local plan
  -- The rows are handed over: links.plan lets go of them once they are in its columns.
  local rows = {wanted}
  wanted = nil
  plan, problems = links.plan(state, table.remove(rows), {outside = opts.outside, source = shown, unit = linkfile.unit(path),
    skip_defaults = opts.skip_defaults, skip_hint = opts.skip_hint})
  if not plan then stop(problems) end
  return plan, state
end

--- Runs a script that applies a file of links (link-from-csv, apply-links): the
--- journal is named after the file and keyed by its content; see flireo.apply.
---@param client table the flireo client
---@param opts table the parsed options (cli.parse with mutating = true); opts.args[1] is the file
---@param how {label: string, allow_unlink?: boolean, one_default?: boolean, outside: "unlink"|"refuse", kind: string, skip_hint?: string} kind: how to name the file in a refusal ("CSV file"); skip_hint: how the script leaves out rows wanting shared default numbers
function linkfile.apply(client, opts, how)
  local apply = require "flireo.apply"
  local path = opts.args[1]
  -- A journal given where the file of links belongs (`--resume moves.journal.jsonl`).
  if path:find("%.journal%.jsonl$") then
    require("flireo.cli").fail(opts.script, ("%s is a journal: give the %s the run was made from (its journal is found "
      .. "by its name, or named with --journal)"):format(path, how.kind), 2)
  end
  local fingerprint = apply.fingerprint(opts, path)
  apply.run(client, opts, {
    -- streamed: a dry run reading standard input or a pipe.
    input = {fingerprint = fingerprint, streamed = not fingerprint or nil},
    input_name = ("%s (%s has other content)"):format(how.kind, path),
    journal = apply.journal_name(path),
    label = how.label,
    plan = function()
      return linkfile.plan(client, path, {
        script = opts.script, allow_unlink = how.allow_unlink, one_default = how.one_default, outside = how.outside,
        concurrency = opts.concurrency, skip_defaults = opts.skip_shared_defaults, skip_hint = how.skip_hint,
      })
    end,
  })
end

return linkfile
