-- Reports what deserves a look in the account's links: idle assistants, unused numbers, shared defaults, conflicts.
--
-- Usage: flireo run audit [options]
--
-- Four kinds of findings, one row per assistant or number involved:
--   no_number       an assistant without a phone number (it cannot be called)
--   unused_number   a number of the account that no assistant answers
--   on_default      an assistant on a shared default number
--   conflict        several assistants sharing one default number (linking any
--                   default number releases all but one), or the number list and the
--                   assistant list disagreeing about who holds a number
-- On a terminal, a table per kind; otherwise CSV with the columns kind, assistant_id,
-- assistant_name, phone_number_id, phone_number and detail. The counts of every kind
-- are in the last line (stderr) and in --json, also with --only; a conflict counts once,
-- however many assistants its rows name.
--
-- Options:
--   --csv          CSV even on a terminal
--   --table        the tables even when stdout is not a terminal (for a pager)
--   --json         a JSON object: {counts = {kind: n}, findings = [...]}
--   --only KIND    only this kind of finding (repeatable)
--   -h, --help     show this help
--
-- Changes data: no (it only reads).
-- Exit status: 0 done (findings or not), 1 the account could not be read, 2 bad usage.
local cli = require "flireo.cli"
local csv = require "flireo.csv"
local links = require "flireo.links"

local kinds = {"no_number", "unused_number", "on_default", "conflict"}
local opts = cli.parse(arg, {
  options = {{name = "csv", type = "boolean"}, {name = "table", type = "boolean"}, {name = "only", type = "string", values = kinds, repeated = true}},
})
-- One output format: two would leave which one wins to chance.
local formats = {}
for _, name in ipairs({"json", "csv", "table"}) do if opts[name] then formats[#formats + 1] = "--" .. name end end
if #formats > 1 then cli.fail(opts.script, table.concat(formats, " and ") .. ": choose one output format", cli.USAGE) end
cli.run(opts, function()
  local wanted = {}
  for _, k in ipairs(opts.only) do wanted[k] = true end
  if #opts.only == 0 then for _, k in ipairs(kinds) do wanted[k] = true end end

  local state = links.snapshot(flireo, {names = true, details = true, progress = opts.script .. ": reading the account"})
  local findings, counts = {}, {}
  for _, k in ipairs(kinds) do counts[k] = 0 end
  -- Every kind is counted (the summary and --json's counts are true with --only too);
  -- only the wanted kinds are listed.
  -- A conflict is counted once, however many assistants it lists (`uncounted`).
  local function add(kind, assistant, number_id, detail, uncounted)
    if not uncounted then counts[kind] = counts[kind] + 1 end
    if not wanted[kind] then return end
    findings[#findings + 1] = {
      kind = kind, assistant_id = assistant, assistant_name = assistant and state.names[assistant],
      phone_number_id = number_id, phone_number = number_id and state.numbers[number_id], detail = detail,
    }
  end

  local sharing = {}
  for _, id in ipairs(state.order) do
    local number = state.assistants[id]
    if not number then
      add("no_number", id, nil, nil)
    elseif state.default[number] then
      add("on_default", id, number, nil)
      sharing[number] = sharing[number] or {}
      table.insert(sharing[number], id)
    end
  end
  local unused = {}
  for number in pairs(state.numbers) do
    if not state.default[number] and not state.holder[number] then unused[#unused + 1] = number end
  end
  table.sort(unused, function(a, b) return state.numbers[a] < state.numbers[b] end)
  for _, number in ipairs(unused) do add("unused_number", nil, number, state.types[number]) end

  local defaults = {}
  for number, users in pairs(sharing) do if #users > 1 then defaults[#defaults + 1] = number end end
  table.sort(defaults)
  for _, number in ipairs(defaults) do
    for i, id in ipairs(sharing[number]) do
      add("conflict", id, number, ("%d assistants share this default number"):format(#sharing[number]), i > 1)
    end
  end
  local listed = {}
  for number, assistant in pairs(state.listed_holder) do
    if not state.default[number] and state.holder[number] ~= assistant then listed[#listed + 1] = number end
  end
  table.sort(listed)
  for _, number in ipairs(listed) do
    add("conflict", state.listed_holder[number], number, ("the number list says %s holds it; the assistant list says %s")
      :format(state.listed_holder[number], state.holder[number] or "nobody"))
  end

  local columns = {"kind", "assistant_id", "assistant_name", "phone_number_id", "phone_number", "detail"}

  cli.output(opts, function()
    if opts.json then
      local items = json.array()
      for i, f in ipairs(findings) do
        for _, c in ipairs(columns) do if f[c] == nil then f[c] = json.null end end
        items[i] = f
      end
      io.stdout:write(json.encode({counts = counts, assistants = #state.order, findings = items}, {indent = 2}), "\n")
    elseif opts.csv or not (opts.table or cli.isatty(1)) then
      local writer = csv.writer(io.stdout, columns)
      for _, f in ipairs(findings) do writer:write(f) end
    else
      local titles = {
        no_number = "Assistants without a number", unused_number = "Numbers no assistant answers",
        on_default = "Assistants on shared default numbers", conflict = "Conflicts",
      }
      for _, kind in ipairs(kinds) do
        if wanted[kind] then
          io.stdout:write(("%s: %d\n"):format(titles[kind], counts[kind]))
          for _, f in ipairs(findings) do
            if f.kind == kind then
              -- Padded by characters, not bytes: a name with "—" lines up with the others.
              -- Quoted on one row as Lua writes a string: a newline or tab in a name is shown
              -- as \n or \t, and no character in it acts on the terminal.
              local name = flireo.inspect(f.assistant_name or "")
              local width = utf8.len(name) or #name
              local who = f.assistant_id and (f.assistant_id .. " " .. name .. (" "):rep(28 - width)) or ""
              local row = ("  %s %s %s"):format(who, f.phone_number or "", f.detail or "")
              io.stdout:write((row:gsub("%s+$", "")), "\n")
            end
          end
        end
      end
    end
  end)
  io.stderr:write(("%s: %d assistants; %d without a number, %d unused numbers, %d on default numbers, %d conflict%s\n")
    :format(opts.script, #state.order, counts.no_number, counts.unused_number, counts.on_default, counts.conflict,
      counts.conflict == 1 and "" or "s"))
end)
