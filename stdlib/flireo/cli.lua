--- flireo.cli: the argument parsing every shipped script shares. The common options of
--- bulk operations (--dry-run, --yes, --concurrency, --journal, --resume, --json,
--- --help, …) plus each script's own, with the usage text drawn from the script's header
--- comment, the confirmation prompt, and the exit codes.
local system = require "flireo.native.system"

--- Shared argument parsing for scripts.
---
---   local cli = require "flireo.cli"
---   local opts = cli.parse(arg, {mutating = true, positional = {min = 1, max = 1}})
---   if opts.dry_run then … end
---@class flireo.cli
---@field OK integer 0: success
---@field ERROR integer 1: bad input, refused journal, nothing done
---@field USAGE integer 2: bad arguments, or a change refused without --yes
---@field FAILED integer 3: the run finished but some items failed
---@field resumable boolean the script continues a run with --resume (cli.parse's `resumable`; flireo.apply sets it)
---@field given_resume boolean --resume was given
local cli = {OK = 0, ERROR = 1, USAGE = 2, FAILED = 3, resumable = false, given_resume = false}

--- The options of every script that changes data.
cli.MUTATING = {
  {name = "dry-run", type = "boolean", help = "print the plan and send no change"},
  {name = "yes", short = "y", type = "boolean", help = "do not ask for confirmation"},
  {name = "concurrency", short = "c", type = "integer", default = 16, min = 1, max = 256,
   help = "requests in flight at once (1 to 256)"},
  {name = "journal", short = "j", type = "string", help = "the journal file (JSON lines)"},
  {name = "resume", type = "boolean", help = "continue the run the journal records"},
  {name = "max-failures", type = "integer", min = 1, help = "start no new item after this many have failed (those in flight finish)"},
  {name = "progress-every", type = "integer", default = 1000, min = 1,
   help = "without a terminal, one progress line per this many items"},
  {name = "json", type = "boolean", help = "print the plan and summary as JSON on stdout"},
  {name = "help", short = "h", type = "boolean", help = "show this help"},
}

--- The options of every script that only reads.
cli.READING = {
  {name = "json", type = "boolean", help = "JSON output"},
  {name = "help", short = "h", type = "boolean", help = "show this help"},
  -- Typed by habit (`flireo run audit --dry-run`): taken, and said to change nothing.
  {name = "dry-run", type = "boolean", quiet = true, help = "accepted: the script only reads"},
}

--- The script's name: arg[0] without a directory or `.lua`.
---@param args table the script's `arg` table
---@return string name
function cli.script_name(args)
  local name = tostring(args and args[0] or "script")
  return (name:gsub("^.*/", ""):gsub("%.lua$", ""))
end

--- The header comment of the script running at stack `level`: the leading `--` lines,
--- without their markers. A shipped script's text comes from the binary, a file's from disk.
---@param level? integer the stack level of the script's main chunk (default: the caller's caller)
---@return string header
function cli.header(level)
  local source
  level = level or 3
  while true do
    local info = debug.getinfo(level, "S")
    if not info then break end
    if info.what == "main" then source = info.source end
    level = level + 1
  end
  local text
  if source and source:sub(1, 1) == "=" then
    text = system.script_source(source:sub(2))
  elseif source and source:sub(1, 1) == "@" then
    local f = io.open(source:sub(2), "r")
    if f then text = f:read("a"); f:close() end
  end
  local lines = {}
  for line in (text or ""):gmatch("([^\n]*)\n?") do
    if line:sub(1, 2) == "#!" and #lines == 0 then goto continue end
    if line:sub(1, 2) ~= "--" then break end
    lines[#lines + 1] = line:gsub("^%-%-+ ?", "")
    ::continue::
  end
  return table.concat(lines, "\n")
end

--- The `Usage:` line of a header.
local function usage_line(header)
  return header:match("[Uu]sage:[^\n]*") or "Usage: see --help"
end

--- Prints `NAME: message` on stderr and exits with `code` (default 1). Lua's own output
--- buffers are flushed first.
---@param name string the script's name
---@param message string what went wrong
---@param code? integer the exit code
---@param fields? table with --json, more fields of the JSON object on stdout (`problems`), or an `error` shorter than the message
function cli.fail(name, message, code, fields)
  -- With --json, stdout holds one JSON object whatever happened: this one, unless the
  -- run's own has begun to go out.
  if cli._json and not system.stdout_started() then
    local object = {error = tostring(message), exit_code = code or cli.ERROR}
    for k, v in pairs(fields or {}) do object[k] = v end
    cli.write_json(object)
  end
  io.stdout:flush()
  -- (io.stderr is scrubbed by the host: no API key reaches the screen.)
  io.stderr:write(name, ": ", tostring(message), "\n")
  io.stderr:flush()
  os.exit(code or cli.ERROR)
end

-- The host masks API keys in what reaches stderr; flireo's own JSON on stdout (a message
-- may quote a file name or a header) passes the same mask here.
local native_ok, native = pcall(require, "flireo.native")
function cli.redact(text)
  return native_ok and type(native) == "table" and native.redact and native.redact(text) or text
end

--- Writes `value` as one JSON line on stdout (as `opts` asks: indented for a dry run's
--- plan), any API key the process holds masked as on stderr.
---@param value table
---@param opts? table json.encode's options
function cli.write_json(value, opts)
  io.stdout:write(cli.redact(json.encode(value, opts)), "\n")
end

--- Flushes Lua's output and exits with `code`.
---@param code integer the exit code
function cli.exit(code)
  io.stdout:flush()
  io.stderr:flush()
  os.exit(code)
end

local function key_of(name) return (name:gsub("%-", "_")) end

local function convert(spec, text, script)
  local function bad(why)
    -- A key given where a value belongs is not quoted back.
    local shown = require("flireo.native").holds_secret(text) and "(the API key, not shown)" or ("%q"):format(text)
    cli.fail(script, ("invalid value %s for --%s: %s"):format(shown, spec.name, why), cli.USAGE)
  end
  if spec.type == "integer" or spec.type == "number" then
    -- Plain decimal only: Lua's tonumber would also take " 4", "0x10" and "2e0".
    local plain = text:find(spec.type == "integer" and "^%-?%d+$" or "^%-?%d*%.?%d*$") and text:find("%d")
    local n = plain and tonumber(text)
    if not n then
      bad("expected " .. (spec.type == "integer" and "a whole number" or "a number"))
    end
    if spec.type == "integer" then
      n = math.tointeger(n)
      if not n then bad("an integer too large") end
    end
    if spec.min and n < spec.min then bad("at least " .. spec.min) end
    if spec.max and n > spec.max then bad("at most " .. spec.max) end
    return n
  end
  -- An empty value is an unset shell variable far more often than a wish: for a filter
  -- (`--name "$TEAM"`) it would match everything.
  if text == "" then bad("an empty value (an unset variable?)") end
  if spec.values then
    for _, v in ipairs(spec.values) do if v == text then return text end end
    bad("expected one of " .. table.concat(spec.values, ", "))
  end
  return text
end

--- Parses the script's arguments. `--name value`, `--name=value`, `-x value` and
--- `--flag` forms; `--` ends the options. Unknown options and a wrong count of
--- positional arguments print the usage line and exit 2; `--help` prints the header
--- and exits 0.
---@param args table the script's `arg` table (arg[0] is its name)
---@param spec {options?: table, mutating?: boolean, resumable?: boolean, positional?: {min?: integer, max?: integer}} positional: how many arguments (none when not given; `{}` for any number); options: extra option specs ({name, short?, type = "boolean"|"string"|"integer"|"number", default?, min?, max?, values?, repeated?}); mutating: add cli.MUTATING (else cli.READING); resumable: the script continues a run with --resume (journal.resume; flireo.apply does), so an interruption's note offers it
---@return table opts the values by option name with dashes as underscores (`opts.dry_run`), the positional arguments in `opts.args`, the script's name in `opts.script`
function cli.parse(args, spec)
  spec = spec or {}
  local script = cli.script_name(args)
  local specs = {}
  for _, s in ipairs(spec.mutating and cli.MUTATING or cli.READING) do specs[#specs + 1] = s end
  for _, s in ipairs(spec.options or {}) do specs[#specs + 1] = s end
  local by_name, by_short = {}, {}
  for _, s in ipairs(specs) do
    by_name[s.name] = s
    if s.short then by_short[s.short] = s end
  end

  local opts, given = {args = {}, script = script}, {}
  for _, s in ipairs(specs) do
    if s.repeated then opts[key_of(s.name)] = {} end
    if s.default ~= nil then opts[key_of(s.name)] = s.default end
  end
  local header = cli.header(3)
  local function usage_error(message)
    cli.fail(script, message .. "\n" .. usage_line(header) .. "\n(flireo run " .. script .. " --help for details)", cli.USAGE,
      {error = message, usage = usage_line(header)})
  end

  -- A copy: `-yc 4` is split into `-y -c 4` in place.
  args = table.move(args, 1, #args, 1, {})
  -- A usage error of a run asked for JSON is JSON too.
  for _, a in ipairs(args) do
    if a == "--" then break end
    if a == "--json" then cli._json = true end
  end
  local i, n = 1, #args
  local only_positional = false
  while i <= n do
    local a = args[i]
    if only_positional or a == "-" or a:sub(1, 1) ~= "-" then
      opts.args[#opts.args + 1] = a
    elseif a == "--" then
      only_positional = true
    else
      local name, value
      if a:sub(1, 2) == "--" then
        name, value = a:match("^%-%-([^=]+)=(.*)$")
        if not name then name = a:sub(3) end
      else
        local s = by_short[a:sub(2, 2)]
        name = s and s.name or a
        if #a > 2 and s and s.type == "boolean" then
          -- Short flags given together: the rest are more short options.
          table.insert(args, i + 1, "-" .. a:sub(3))
          n = n + 1
        elseif #a > 2 then
          value = a:sub(3)
        end
      end
      local s = by_name[name]
      -- Only the name of --name=value: the value may be a secret.
      if not s then usage_error("unknown option " .. (a:match("^(%-%-[^=]*)=") or a)) end
      if s.type == "boolean" then
        if value ~= nil then usage_error("--" .. s.name .. " takes no value") end
        opts[key_of(s.name)] = true
      else
        if value == nil then
          i = i + 1
          value = args[i]
          if value == nil then usage_error("--" .. s.name .. " needs a value") end
        end
        local converted = convert(s, value, script)
        if s.repeated then
          table.insert(opts[key_of(s.name)], converted)
        else
          -- Given twice, one of the two would be dropped without a word.
          if given[s.name] then usage_error("--" .. s.name .. " is given twice") end
          given[s.name] = true
          opts[key_of(s.name)] = converted
        end
      end
    end
    i = i + 1
  end

  if opts.help then
    io.stdout:write(header, "\n")
    cli.exit(cli.OK)
  end
  -- A script that names no positional arguments takes none: a stray word is a mistake
  -- (`order-numbers --count 2 mobile` meant --type mobile).
  local positional = spec.positional or {max = 0}
  if #opts.args < (positional.min or 0) then
    usage_error(#opts.args == 0 and "missing argument" or "too few arguments")
  end
  if positional.max and #opts.args > positional.max then
    usage_error("unexpected argument " .. opts.args[positional.max + 1])
  end
  if spec.resumable then cli.resumable = true end
  cli.given_resume = opts.resume == true
  -- The global --dry-run (flireo --dry-run run NAME) means the same.
  if spec.mutating and flireo and flireo.config and flireo.config.dry_run then opts.dry_run = true end
  -- A run that changes data and loses its standard output's reader stops as on Ctrl-C.
  if spec.mutating then system.trap_broken_pipe() end
  if not spec.mutating and opts.dry_run then
    io.stderr:write(("%s: it only reads: --dry-run changes nothing\n"):format(opts.script))
  end
  -- Until a journal holds something (cli.on_interrupt), Ctrl-C stops a run that changed nothing.
  cli._json = opts.json == true
  cli.interrupt_note(spec.mutating and "nothing was sent and no journal was written: no change was made"
    or "it changes nothing, so it can simply be run again")
  return opts
end

--- Runs a script's work: a structured error (a failed request, a bad configuration)
--- ends it with `NAME: code: message` and exit 1 instead of a traceback; anything else
--- (a bug, an interruption: the host reports Ctrl-C with exit 130) goes on up as it was.
---@param opts table the parsed options (script)
---@param fn function the work
---@param ... any its arguments
function cli.run(opts, fn, ...)
  local ok, err = pcall(fn, ...)
  if ok then return end
  if type(err) == "table" and type(err.code) == "string" and err.message ~= nil then
    local request = err.method and err.path and (" (%s %s)"):format(err.method, err.path) or ""
    cli.fail(opts.script, ("%s: %s%s"):format(err.code, tostring(err.message), request))
  end
  -- `flireo run audit | head`: the reader went away; that is no bug to trace.
  if type(err) == "string" and err:find("Broken pipe", 1, true) then
    cli.fail(opts.script, "cannot write standard output: Broken pipe")
  end
  error(err, 0)
end

--- Runs `fn`, which writes the script's output on standard output: output lost (a full
--- disk) ends the script with one line and exit 1, not a traceback or a cut file.
---@param opts table the parsed options (script)
---@param fn function writes the output
function cli.output(opts, fn)
  local ok, err = pcall(fn)
  local lost = system.stdout_error()
  if lost then cli.fail(opts.script, "cannot write standard output: " .. lost) end
  if not ok then error(err, 0) end
end

--- The command that continues this run: the process's own command line (with flireo's
--- options before `run`, such as --profile) plus --resume.
---@return string command shell-quoted
local function command_words()
  local words = {}
  local f = io.open("/proc/self/cmdline", "rb")
  local text = f and f:read("a")
  if f then f:close() end
  if text and #text > 0 then
    for word in text:gmatch("([^%z]*)%z") do words[#words + 1] = word end
  else
    words = {"flireo", "run", tostring(arg and arg[0] or "SCRIPT")}
    for i = 1, arg and #arg or 0 do words[#words + 1] = arg[i] end
  end
  return words
end

local function shell_line(words)
  local quoted = {}
  for i, word in ipairs(words) do
    quoted[i] = word:match("^[%w%-%._/:=+@,%%]+$") and word or "'" .. word:gsub("'", "'\\''") .. "'"
  end
  return table.concat(quoted, " ")
end

function cli.resume_command()
  local words = command_words()
  local resumed = false
  for _, word in ipairs(words) do
    if word == "--resume" then resumed = true end
  end
  if not resumed then words[#words + 1] = "--resume" end
  return shell_line(words)
end

--- The command that reverts a journal's run: this process's flireo and its options
--- before `run` (--profile, --base-url, …: the same account), then `run undo JOURNAL`.
---@param path string the journal
---@return string command shell-quoted
function cli.undo_command(path)
  local words, prefix, at = command_words(), {}, nil
  for i, word in ipairs(words) do
    if word == "run" then at = i break end
    prefix[#prefix + 1] = word
  end
  -- flireo's options that name the account (and whether each takes a value): after
  -- `run NAME` they are flireo's too, up to a `--`; a script file keeps only those.
  local ACCOUNT = {["base-url"] = true, profile = true, ["rate-limit"] = true, ["allow-http"] = false}
  -- Copies them from words[from…] into `into`; `leading`: stop at the first word that is
  -- not an option (the script's name).
  local function take(from, into, leading)
    local j = from
    while words[j] and words[j] ~= "--" do
      local name = words[j]:match("^%-%-([%w-]+)")
      if leading and not name then break end
      local takes = ACCOUNT[name or ""]
      if takes ~= nil then into[#into + 1] = words[j] end
      if takes and not words[j]:find("=", 1, true) and words[j + 1] then
        into[#into + 1] = words[j + 1]
        j = j + 1
      end
      j = j + 1
    end
  end
  if at and at > 1 then
    take(at + 2, prefix, false)
  else
    prefix = {"flireo"}
    take(2, prefix, true)
  end
  prefix[#prefix + 1] = "run"
  prefix[#prefix + 1] = "undo"
  prefix[#prefix + 1] = path
  return shell_line(prefix)
end

--- Whether this run is against the in-process sandbox (`flireo --sandbox run …`), whose
--- account ends with the process.
---@return boolean
function cli.on_sandbox()
  local words = command_words()
  for i, word in ipairs(words) do
    if word == "--sandbox" then return true end
    if word == "run" then
      -- After `run NAME`, flireo's options are flireo's too, up to a `--`.
      for j = i + 2, #words do
        if words[j] == "--" then break end
        if words[j] == "--sandbox" then return true end
      end
      return false
    end
  end
  return false
end

--- How plans and questions name the server a run changes: its base URL, and under
--- --sandbox that it is this run's own sandbox (its account ends with the run).
---@param client? table the client (default: the global flireo)
---@return string
function cli.target(client)
  client = client or flireo
  local url = tostring(client.base_url)
  if cli.on_sandbox() and rawequal(client, rawget(_G, "flireo")) then return url .. " (this run's --sandbox)" end
  return url
end

--- Whether a standard stream is a terminal.
---@param fd integer 0 stdin, 1 stdout, 2 stderr
---@return boolean
function cli.isatty(fd)
  return system.isatty(fd)
end

--- Refuses to go on (exit 2) when a change needs confirmation that nobody can give:
--- no --yes and stdin is not a terminal.
---@param opts table the parsed options (yes, script)
function cli.require_confirmation(opts)
  if opts.yes or system.isatty(0) then return end
  cli.fail(opts.script, "refusing to change data without --yes: stdin is not a terminal, so nobody can confirm",
    cli.USAGE)
end

--- Asks before changing data: true at once with --yes; refuses (exit 2) when stdin is
--- not a terminal; otherwise asks on stderr and reads a line ("y" or "yes" go on).
---@param opts table the parsed options (yes, script)
---@param question string e.g. "Apply 12 changes to http://…?"
---@return boolean confirmed
function cli.confirmed(opts, question)
  if opts.yes then return true end
  cli.require_confirmation(opts)
  io.stdout:flush()
  -- With stderr sent to a log (`2>run.log`), the question goes to the terminal itself:
  -- asked where nobody sees it, the run would look hung.
  local out, tty = io.stderr, nil
  if not system.isatty(2) then
    tty = io.open("/dev/tty", "w")
    if not tty then
      cli.fail(opts.script, "refusing to change data without --yes: stderr is not a terminal and there is none to ask on",
        cli.USAGE)
    end
    out = tty
  end
  out:write(question, " [y/N] ")
  out:flush()
  if tty then tty:close() end
  -- Not io.read: Ctrl-C must stop the prompt at once, not after Enter.
  local answer = system.read_line()
  return answer ~= nil and (answer:lower() == "y" or answer:lower() == "yes")
end

--- Like cli.confirmed, but a "no" exits 1 with "nothing changed".
---@param opts table the parsed options (yes, script)
---@param question string the question
function cli.confirm(opts, question)
  if not cli.confirmed(opts, question) then cli.fail(opts.script, "nothing changed", cli.ERROR) end
end

-- What Ctrl-C (and kill, a closed terminal) says from each point of a run on.
require("flireo.core.interrupt")(cli, system)

return cli
