-- Reverts what a journaled run changed: every assistant it touched gets its number back.
--
-- Usage: flireo run undo [options] JOURNAL
--
-- JOURNAL is the journal of link-from-csv, apply-links, unlink or undo itself. Every
-- assistant a step of that run touched (including steps whose outcome was lost in an
-- interruption, and assistants a default-number link released) is put back to its
-- state before the run. This is planned like apply-links: the difference with the
-- account now, ordered so no link hits already_in_use. Assistants changed by someone
-- else since the run are named in a warning; undo sets them back too. When putting the
-- run's assistants back would take a number from assistants the run never touched (one
-- linked since to a number the run freed, or others on shared default numbers, which a
-- default link releases), undo refuses and names them, unless --release-others. The
-- journal must come from this server and account.
--
-- Arguments:
--   JOURNAL                the journal of the run to revert
--
-- Options:
--   --dry-run              print the plan and send no change
--   -y, --yes              do not ask for confirmation (needed when stdin is not a terminal)
--   -c, --concurrency N    requests in flight at once, 1 to 256 (default 16)
--   -j, --journal FILE     this undo's own journal (default: JOURNAL's name with
--                          .undo.jsonl, in the current directory)
--   --resume               continue an interrupted undo: only what is left is sent
--   --release-others       accept taking numbers from assistants the run never touched
--                          (unlinking them, or releasing them from shared default numbers)
--   --skip-shared-defaults when several of the run's assistants were on shared default
--                          numbers (only one can be put back), leave them out and put
--                          back the rest; the plan lists them
--   --max-failures N       stop starting new changes after N have failed
--   --progress-every N     without a terminal, a progress line every N changes (default 1000)
--   --json                 print the plan (with --dry-run) or the summary as JSON on stdout
--   -h, --help             show this help
--
-- Changes data: yes, it links and unlinks numbers; journaled itself, so an undo can be
-- resumed and undone in turn.
-- Exit status: 0 done, 1 bad input or refused, 2 bad usage or no --yes without a
-- terminal, 3 some changes failed, 130 interrupted (143 SIGTERM, 129 SIGHUP, 141 standard
-- output closed)
-- (Ctrl-C: the message gives the command that continues the run).
local cli = require "flireo.cli"
local apply = require "flireo.apply"
local journal = require "flireo.journal"
local files = require "flireo.native.files"
local links = require "flireo.links"

local opts = cli.parse(arg, {
  mutating = true, positional = {min = 1, max = 1},
  options = {{name = "release-others", type = "boolean"}, {name = "skip-shared-defaults", type = "boolean"}},
})
cli.run(opts, function()
  local path = opts.args[1]
  -- A run still writing that journal is not done: reverting it now would race it.
  if files.in_use(path) then
    -- (--journal names the undo's own journal: another one would not help here.)
    local busy = ("the journal %s is in use by a flireo run going on now (the run itself, a --resume of it, or "
      .. "another undo)"):format(path)
    if not opts.dry_run then cli.fail(opts.script, busy .. ": wait for it to finish, then undo it") end
    io.stderr:write(("%s: note: %s: what this plan undoes may change before it ends\n"):format(opts.script, busy))
  end

  local ok, target = pcall(journal.read, path)
  if not ok then cli.fail(opts.script, type(target) == "table" and tostring(target.message) or tostring(target)) end
  -- Its lock, held to the end: no --resume of that run starts while this one reads and plans.
  local held
  if not opts.dry_run then
    ok, held = pcall(journal.hold_for_undo, path, target)
    if not ok then cli.fail(opts.script, type(held) == "table" and tostring(held.message) or tostring(held)) end
  end
  local header = target.header
  if header.dry_run then
    cli.fail(opts.script, path .. " was written by a dry run: nothing in it was sent, so there is nothing to undo")
  end
  if not target.planned then
    cli.fail(opts.script, path .. " holds no plan of steps (a run that stopped before its plan was written, or one "
      .. "over plain items): undo reverts the steps of a plan, and there are none")
  end
  if header.script == "order-numbers" then
    cli.fail(opts.script, path .. " records phone number orders, which cannot be undone")
  end
  -- (Without a configuration there is no base URL: the first request says what is missing.)
  if flireo.base_url ~= nil and not journal.same_server(tostring(header.base_url), flireo.base_url) then
    cli.fail(opts.script, ("%s was written against %s; this run talks to %s%s"):format(path, tostring(header.base_url),
      tostring(flireo.base_url), require("flireo.core.admit").servers_note(header.base_url, flireo.base_url)))
  end
  if not opts.resume then apply.check_account(flireo, header, opts, path) end

  local function plan()
    -- The state before the run: the first step of each assistant knows it.
    -- pending: what the steps not journaled as done would have left (a run stopped while
    -- one was in flight may have had it applied).
    local before, order, after, first_step, pending = {}, {}, {}, {}, {}
    local function want(assistant, number_id, seq)
      if before[assistant] == nil then
        before[assistant] = number_id or false
        order[#order + 1] = assistant
        first_step[assistant] = seq
      end
    end
    for _, step in ipairs(target.steps) do
      want(step.key, step.before and step.before.number_id, step.seq)
      for _, r in ipairs(step.releases or {}) do want(r.assistant, r.number_id, step.seq) end
      local outcome = target.outcomes[step.seq]
      if outcome and outcome.outcome == "done" then
        after[step.key] = step.after and step.after.number_id or false
      else
        pending[step.key] = pending[step.key] or {}
        pending[step.key][step.after and step.after.number_id or false] = true
      end
    end
    if #order == 0 then cli.fail(opts.script, path .. " has no steps to revert") end
    io.stderr:write(("%s: reverting %d assistant%s of %s (%s, %s); reading the account's links\n"):format(opts.script,
      #order, #order == 1 and "" or "s", path, tostring(header.script), tostring(header.started_at)))
    local state = links.snapshot(flireo, {concurrency = math.min(opts.concurrency, 16),
      progress = opts.script .. ": reading the account"})
    local desired, drifted, doubt = links.wanted(), {}, {}
    for i, assistant in ipairs(order) do
      -- A problem names the journal's step that first touched the assistant.
      links.want(desired, assistant, before[assistant], first_step[assistant] or i)
      local now = state.assistants[assistant]
      -- Already back as it was (an undo run before) is not a change to warn about; one
      -- as a step left it whose outcome the run did not journal is the run's own doing.
      local touched = after[assistant] ~= nil or pending[assistant] ~= nil
      if touched and now ~= nil and now ~= after[assistant] and now ~= before[assistant] then
        local list = pending[assistant] and pending[assistant][now] and doubt or drifted
        list[#list + 1] = assistant
      end
    end
    local function say(list, what)
      if #list == 0 then return end
      io.stderr:write(("%s: %s %d assistant%s %s (undo sets them back too): %s\n"):format(opts.script,
        list == drifted and "warning:" or "note:", #list, #list == 1 and "" or "s", what, cli.some(list)))
    end
    say(drifted, "changed since the run")
    say(doubt, "as a step left them that the run sent but whose outcome it did not journal (it was stopped then)")
    local result, problems = links.plan(state, desired, {outside = "unlink", source = path, unit = "journal step",
      skip_defaults = opts.skip_shared_defaults,
      skip_hint = "; --skip-shared-defaults leaves them out and puts the rest back"})
    if not result then
      for _, p in ipairs(problems) do io.stderr:write(("%s: %s\n"):format(path, p.message)) end
      cli.fail(opts.script, ("%d problem%s; nothing was sent"):format(#problems, #problems == 1 and "" or "s"), nil,
        {problems = require("flireo.linkfile").listed(problems), problem_count = #problems})
    end
    -- Assistants outside the run the plan takes a number from: released from shared
    -- default numbers, or unlinked from a custom number one of the run's assistants gets
    -- back (those inside the run are in `before`).
    local released, seen = {}, {}
    local function outsider(assistant)
      if before[assistant] == nil and not seen[assistant] then
        seen[assistant] = true
        released[#released + 1] = assistant
      end
    end
    for _, list in pairs(result.releases) do
      for _, r in ipairs(list) do outsider(r.assistant) end
    end
    for i = 1, result.n do
      if not result.after[i] then outsider(result.key[i]) end
    end
    if #released > 0 and not opts.release_others then
      table.sort(released)
      local why = ("putting the run's assistants back would take the number of %d assistant%s it never touched "
        .. "(%s): they hold numbers the run's assistants had, or sit on shared default numbers"):format(#released,
        #released == 1 and "" or "s", cli.some(released))
      if not opts.dry_run then
        cli.fail(opts.script, why .. "; nothing was sent: --release-others accepts that, --dry-run shows the plan")
      end
      -- The rehearsal shows the plan, and that the real run will refuse it as it is.
      io.stderr:write(("%s: note: without --release-others the real run refuses: %s\n"):format(opts.script, why))
    end
    return result, state
  end

  apply.run(flireo, opts, {
    input = {journal_started_at = header.started_at, journal_script = header.script},
    input_name = "journal",
    journal = apply.journal_name(path):gsub("%.journal%.jsonl$", ""):gsub("%.journal$", "") .. ".undo.jsonl",
    label = "undoing",
    plan = plan,
    -- The run being undone can no longer be resumed: that would re-apply what this reverts.
    before_changes = function(own) held.mark(own.path) end,
  })
end)
