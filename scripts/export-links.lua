-- Writes every assistant ↔ phone number link of the account as CSV or JSON: the backup.
--
-- Usage: flireo run export-links [options] [FILE]
--
-- One row per assistant, in the account's listing order, with the columns
-- assistant_id, assistant_name, phone_number_id, phone_number and origin (custom or
-- default); the number columns are empty for an assistant without a number. Restore
-- it with `flireo run apply-links FILE`.
--
-- Arguments:
--   FILE           where to write (default, or -: standard output); written to a temporary
--                  file first and renamed, so a backup is never half written
--
-- Options:
--   --json         a JSON array of objects with the same fields instead of CSV
--   --force        replace FILE if it exists
--   -h, --help     show this help
--
-- Changes data: no (it only reads).
-- Exit status: 0 written, 1 the account could not be read or FILE could not be written
-- (FILE is then left as it was), 2 bad usage.
local cli = require "flireo.cli"
local csv = require "flireo.csv"
local links = require "flireo.links"
local files = require "flireo.native.files"
local journal = require "flireo.journal"

local opts = cli.parse(arg, {
  options = {{name = "force", type = "boolean"}},
  positional = {max = 1},
})
cli.run(opts, function()
  local path = opts.args[1]
  if path == "-" then path = nil end  -- standard output, as usual
  if path then
    local kind = files.kind(path)
    if kind and kind ~= "file" then
      cli.fail(opts.script, ("%s is a %s, not a file; nothing was written"):format(path, kind == "other" and "device or special file" or kind))
    elseif kind and not opts.force then
      cli.fail(opts.script, path .. " already exists (--force replaces it)")
    elseif kind and (files.in_use(path) or journal.is_journal(path)) then
      -- A run's journal is what --resume and undo need: never replaced, even with --force.
      cli.fail(opts.script, ("%s is a flireo journal%s; it is never replaced (choose another file); nothing was written")
        :format(path, files.in_use(path) and " that a run is writing now" or ""))
    end
  end

  local out, temporary, target = io.stdout, nil, path
  if path then
    -- Through a symbolic link, the file it names is replaced, not the link. Made before the
    -- account is read: a path that cannot be written is said at once, not after minutes.
    target = files.resolve(path) or path
    -- Its own name (two exports to one file must not write into one temporary file), and
    -- removed by the host if Ctrl-C (kill, a closed terminal) stops the read.
    temporary = ("%s.%08x.partial"):format(target, math.random(0, 0x7fffffff))
    local file, why = io.open(temporary, "wb")
    if not file then cli.fail(opts.script, "cannot write " .. tostring(why) .. "; nothing was read") end
    out = file
    cli.interrupt_note("it changes nothing, so it can simply be run again", temporary)
  end
  local read, state = pcall(links.snapshot, flireo, {names = true, progress = opts.script .. ": reading the account"})
  if not read then
    if temporary then
      out:close()
      os.remove(temporary)
    end
    error(state, 0)
  end

  local columns = {"assistant_id", "assistant_name", "phone_number_id", "phone_number", "origin"}
  local function row_of(id)
    local number = state.assistants[id] or nil
    return {
      assistant_id = id, assistant_name = state.names[id], phone_number_id = number,
      phone_number = number and state.numbers[number], origin = number and (state.default[number] and "default" or "custom"),
    }
  end

  local linked, on_default, nul_names = 0, 0, 0
  local function write(...) assert(out:write(...)) end
  local written, why = pcall(function()
    if opts.json then
      write("[")
      for i, id in ipairs(state.order) do
        local row = row_of(id)
        if row.phone_number_id then linked = linked + 1 end
        for _, c in ipairs(columns) do if row[c] == nil then row[c] = json.null end end
        write(i == 1 and "\n  " or ",\n  ", json.encode(row))
      end
      write(#state.order > 0 and "\n]\n" or "]\n")
    else
      local writer = csv.writer(out, columns)
      -- On a terminal, a name cannot recolour or retitle it (ESC, BEL, bidi overrides as \027, …).
      local tame = not path and cli.isatty(1) and require("flireo.inspect").tame
      for _, id in ipairs(state.order) do
        local row = row_of(id)
        if row.phone_number_id then linked = linked + 1 end
        -- A NUL byte ends what a CSV reader (apply-links's among them) takes for text: a name
        -- holding one (JSON allows it) is written with U+FFFD there, and said below.
        if type(row.assistant_name) == "string" and row.assistant_name:find("\0", 1, true) then
          row.assistant_name, nul_names = row.assistant_name:gsub("\0", "\u{FFFD}"), nul_names + 1
        end
        if tame and type(row.assistant_name) == "string" then row.assistant_name = tame(row.assistant_name) end
        writer:write(row)
      end
    end
    if temporary then
      assert(out:close())
      assert(os.rename(temporary, target))
    else
      assert(out:flush())
    end
  end)
  if not written then
    if temporary then
      out:close()
      os.remove(temporary)
    end
    cli.fail(opts.script, ("cannot write %s: %s%s"):format(path or "standard output", tostring(why):gsub("^.-:%d+: ", ""),
      path and "; it was left as it was" or ""))
  end
  if temporary then cli.interrupt_note("it changes nothing, so it can simply be run again") end
  if nul_names > 0 then
    io.stderr:write(("%s: note: %d assistant name%s a NUL byte, written as U+FFFD in the CSV (the JSON export, "
      .. "--json, keeps it); names are not restored, so apply-links reads the file as it is\n"):format(opts.script,
      nul_names, nul_names == 1 and " holds" or "s hold"))
  end
  for _ in pairs(state.on_default) do on_default = on_default + 1 end
  if on_default > 1 then
    io.stderr:write(("%s: note: %d assistants are on shared default numbers; linking a default number releases "
      .. "every other one, so no restore can put them all back: apply-links --skip-shared-defaults restores "
      .. "everything else\n"):format(opts.script, on_default))
  end
  io.stderr:write(("%s: %d assistant%s, %d linked%s\n"):format(opts.script, #state.order, #state.order == 1 and "" or "s",
    linked, path and " → " .. path or ""))
end)
