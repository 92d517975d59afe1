--- flireo.apply: what every script that changes links does once it knows what it wants:
--- show the plan (all of it with --dry-run, which stops there), refuse without --yes
--- when nobody can confirm, open the journal (never over an existing one, and before
--- anything is sent), ask, apply with the journal, summarize, exit 0 or 3. With
--- --resume it takes the plan from the journal instead, after checking the journal
--- belongs to this script, server, account and input, and does exactly what is left.
local cli = require "flireo.cli"
local journal = require "flireo.journal"
local links = require "flireo.links"
local drift = require "flireo.core.drift"
local files = require "flireo.native.files"

--- The shared apply/resume flow of link-changing scripts.
---@class flireo.apply
local apply = {}

--- How many plan lines are shown before asking (--dry-run shows them all).
apply.PREVIEW = 20

--- The fingerprint of an input file, for the journal (exit 1 when it cannot be read).
--- A dry run writes no journal: it may read standard input (`-`) or a pipe, and then has
--- no fingerprint.
---@param opts table the parsed options (script, dry_run, resume)
---@param path string the file
---@return string|nil fingerprint 16 hex digits (nil: a dry run reading a stream)
function apply.fingerprint(opts, path)
  -- The journal identifies its run by the input's content, which standard input cannot
  -- show again when the run is resumed: a stream there is a usage error (exit 2).
  local stream = path == "-" and "standard input (-)" or files.kind(path) == "other" and path .. " (a pipe or a device)"
  if stream then
    if opts.dry_run and not opts.resume then return nil end
    cli.fail(opts.script, opts.resume and ("%s cannot be the input of a resumed run: it checks that its input is the "
      .. "file the run was made from, so give that file's name"):format(stream)
      or ("%s cannot be the input of a run that changes data: a journaled run is resumed from its input file, so save "
        .. "it to a file and give its name (a --dry-run reads any)"):format(stream), cli.USAGE)
  end
  local ok, hash = pcall(files.hash_file, path)
  if not ok then cli.fail(opts.script, type(hash) == "table" and tostring(hash.message) or tostring(hash)) end
  return hash
end

--- The default journal of an input file: its name without directory and extension,
--- plus `.journal.jsonl`, in the current directory.
---@param path string the input file
---@return string journal
function apply.journal_name(path)
  return (path:gsub("^.*/", ""):gsub("%.[%w]+$", "")) .. ".journal.jsonl"
end

--- Assistant ids that identify the account a journal was written against: a resumed
--- run must find at least one of them.
---@param state table a links.snapshot
---@return string[] ids
function apply.account_probe(state)
  local probe = {}
  for i, id in ipairs(state.probe or {}) do probe[i] = id end
  return probe
end

--- Refuses (exit 1) a journal written against another account: none of the assistants
--- its header names as the account's probe exists in this one.
---@param client table the flireo client
---@param header table the journal's header
---@param opts table the parsed options (script, journal)
---@param path? string the journal (default opts.journal)
function apply.check_account(client, header, opts, path)
  local probe, tag = header.account and header.account.probe, header.account and header.account.tag
  -- The same key on the same server: the same account (its probe assistants may be gone).
  if tag ~= nil and tag == client._native.account_tag then return end
  if type(probe) ~= "table" or #probe == 0 then
    -- An account without assistants has no probe: then the key decides.
    if tag == nil then return end
    cli.fail(opts.script, ("the journal %s was written with another API key or for another account (its account has "
      .. "no assistants to tell by); run it with the key it was written with"):format(path or opts.journal))
  end
  for _, id in ipairs(probe) do
    local ok, e = pcall(function() return client.assistant(id):get() end)
    if ok then return end
    if type(e) ~= "table" or e.code ~= "not_found" then error(e, 0) end
  end
  cli.fail(opts.script, ("the journal %s was written for another account: none of its assistants (%s) exists in this one")
    :format(path or opts.journal, table.concat(probe, ", ")))
end

local function journal_error(opts, e)
  if type(e) == "table" and e.message then cli.fail(opts.script, e.message) end
  error(e, 0)
end

--- With --json, the one object a run prints on stdout, whatever happened: a dry run's
--- {changes, unchanged, done_before, already_made, steps, left_out} (done_before: steps a
--- resumed run did before; already_made: steps left that the account shows made), a real run's {done, skipped, failed, blocked,
--- done_before, not_started, by_code, journal, left_out, waiting, maybe_waiting} (waiting:
--- assistants a cycle's break unlinked whose new number the run did not reach; maybe_waiting:
--- the same where the break's outcome is unknown) (journal null when none was written).
---@param opts table the parsed options (json, dry_run)
---@param fields table what is known; the rest of the shape is filled with zeros
function apply.print_json(opts, fields)
  if not opts.json then return end
  local left_out = json.array()
  for i, l in ipairs(fields.left_out or {}) do left_out[i] = l end
  local shape
  if opts.dry_run then
    shape = {changes = fields.changes or 0, unchanged = fields.unchanged or 0, done_before = fields.done_before or 0,
      already_made = fields.already_made or 0, steps = fields.steps or json.array(), left_out = left_out}
  else
    shape = {done = fields.done or 0, skipped = fields.skipped or 0, failed = fields.failed or 0,
      blocked = fields.blocked or 0, done_before = fields.done_before or 0, not_started = fields.not_started or 0,
      by_code = json.object(fields.by_code or {}), waiting = fields.waiting or json.array(),
      maybe_waiting = fields.maybe_waiting or json.array(),
      journal = fields.journal or json.null, left_out = left_out}
  end
  cli.write_json(shape, opts.dry_run and {indent = 2} or nil)
end

local function finish(j, summary, opts, left_out)
  j:finish(summary)
  cli.on_finished(j.path)
  -- Unlinked to break a cycle, and the run stopped before their new number: no number now.
  if #(summary.waiting or {}) > 0 then io.stderr:write(opts.script, ": ", cli.waiting_text(summary.waiting), "\n") end
  if #(summary.maybe_waiting or {}) > 0 then
    io.stderr:write(opts.script, ": ", cli.maybe_waiting_text(summary.maybe_waiting), "\n")
  end
  if summary.exit_code ~= 0 then
    io.stderr:write(("%s: the journal %s lists every outcome; after fixing the cause, re-run with --resume to do what is left\n")
      :format(opts.script, j.path))
  end
  if opts.json then
    apply.print_json(opts, {done = summary.done, skipped = summary.skipped, failed = summary.failed,
      blocked = summary.blocked, done_before = summary.done_before, not_started = summary.not_started,
      by_code = summary.by_code, journal = j.path, waiting = summary.waiting, maybe_waiting = summary.maybe_waiting,
      left_out = left_out})
  end
  cli.exit(summary.exit_code)
end

--- Runs the steps (links.execute); a journal that can no longer be written (a full
--- disk) stops the run with what was done and how to go on, not a bare I/O error.
local function execute(client, steps, xopts, opts)
  local ok, summary = pcall(links.execute, client, steps, xopts)
  if ok then return summary end
  local e = summary
  if type(e) == "table" and e.code == "io" and tostring(e.message):find("the journal", 1, true) then
    cli.fail(opts.script, ("stopped: %s. Changes were sent and the journal records them as far as it could be "
      .. "written: once it can be written again, continue with `%s`, or revert them with `%s`"):format(
      tostring(e.message), cli.resume_command(), cli.undo_command(opts.journal)), cli.FAILED)
  end
  error(e, 0)
end

--- Continues the run a journal records. With --dry-run the journal is only read: the
--- plan of what is left is printed (as JSON with --json) and nothing is written.
local function resume(client, opts, spec)
  -- (Without a configuration there is no base URL: the first request says what is missing.)
  local expect = {script = opts.script, base_url = client.base_url, input = spec.input}
  local describe = {script = "script", base_url = "server", input = spec.input_name or "input"}
  local j, state
  if opts.dry_run then
    local ok, read = pcall(function()
      local s = journal.read(opts.journal)
      journal.check(s, expect, describe, opts.journal)
      journal.refuse_undone(s, opts.journal)
      if not s.planned then
        error({code = "no_plan", message = ("%s has no complete plan: the run stopped before it changed anything")
          :format(opts.journal)}, 0)
      end
      return s
    end)
    if not ok then journal_error(opts, read) end
    state = read
    if files.in_use(opts.journal) then
      io.stderr:write(("%s: note: another run is writing %s now: what it shows as left may be done by the time "
        .. "this is read\n"):format(opts.script, opts.journal))
    end
  else
    local ok, opened, read = pcall(journal.resume, opts.journal, expect, describe)
    if not ok then journal_error(opts, opened) end
    j, state = opened, read
    cli.on_interrupt(j.path)
  end
  apply.check_account(client, state.header, opts)
  local done, remaining, finished = {}, {}, 0
  for _, step in ipairs(state.steps) do
    local outcome = state.outcomes[step.seq]
    if outcome and (outcome.outcome == "done" or outcome.outcome == "skipped") then
      done[step.seq] = true
      finished = finished + 1
    else
      remaining[#remaining + 1] = step
    end
  end
  if #remaining == 0 then
    io.stderr:write(("%s: nothing left to do: the journal %s shows all %d steps done%s\n")
      :format(opts.script, opts.journal, #state.steps, state.ended
        and "; that run finished, and the account may have changed since: to run it again, start without --resume "
          .. "and with another --journal (or remove this one)" or ""))
    apply.print_json(opts, {unchanged = state.unchanged or 0, skipped = state.unchanged or 0, done_before = finished,
      journal = opts.journal})
    if j then j:close() end
    cli.exit(cli.OK)
  end
  -- The plan was made from the account as it was then: one that has changed under the
  -- steps left is not carried out (a default link would release whoever is on one now).
  local changes, now = drift.changes(client, remaining, state.steps, opts)
  if #changes > 0 then
    if j then j:close() end
    cli.fail(opts.script, ("the account changed since the plan in %s was made, under the %d step%s left:\n%s\n"
      .. "Resuming would carry out a plan made for a state that is gone, so nothing was sent. Run the input again with "
      .. "another --journal (a new plan from the account as it is now), or revert what the run did with `%s`")
      :format(opts.journal, #remaining, #remaining == 1 and "" or "s", drift.listed(changes),
        cli.undo_command(opts.journal)))
  end
  local made = drift.already_made(remaining, now)
  io.stderr:write(("%s: resuming %s: %d of %d steps done, %d left%s\n")
    :format(opts.script, opts.journal, finished, #state.steps, #remaining, made == 0 and ""
      or (" (the account already shows %d of them made: the stopped run's request%s went through before its "
        .. "answer%s could be noted; resuming confirms %s)"):format(made, made == 1 and "" or "s",
        made == 1 and "" or "s", made == 1 and "it" or "them")))
  local left = {n = #remaining, at = function(i) return remaining[i] end, changes = #remaining, unchanged = finished,
    done_before = finished}
  if opts.dry_run then
    if opts.json then
      local steps = json.array()
      for i, step in ipairs(remaining) do
        local copy = {}
        for k, v in pairs(step) do if k ~= "type" then copy[k] = v end end
        steps[i] = copy
      end
      apply.print_json(opts, {changes = #remaining, unchanged = state.unchanged or 0, done_before = finished,
        already_made = made, steps = steps})
    else
      links.print_plan(io.stdout, left, {target = cli.target(client)})
    end
    io.stderr:write(opts.script, ": dry run: nothing was sent and the journal is unchanged\n")
    cli.exit(cli.OK)
  end
  links.print_plan(io.stderr, left, {target = cli.target(client), limit = apply.PREVIEW})
  cli.confirm(opts, ("Apply the %d remaining change%s to %s?"):format(#remaining, #remaining == 1 and "" or "s", cli.target(client)))
  -- What the first run did before its changes (an undo marks the run it reverts), in
  -- case it stopped before that.
  if spec.before_changes then spec.before_changes(j) end
  local summary = execute(client, left, {
    journal = j, done = done, done_before = finished, skipped = state.unchanged, concurrency = opts.concurrency,
    on_waiting = cli.note_waiting,
    plan = {n = #state.steps, at = function(i) return state.steps[i] end},
    max_failures = opts.max_failures,
    progress_every = opts.progress_every, name = opts.script, label = spec.label,
  }, opts)
  finish(j, summary, opts)
end

--- Says how long `requests` take at the client's pacing when that is more than a minute
--- (at the documented 100/min, 10,000 links take close to two hours).
---@param client table the flireo client
---@param requests integer about how many requests the run sends
---@param opts table the parsed options (script)
function apply.note_duration(client, requests, opts)
  local rate = client._native.requests_per_second
  if not rate or rate <= 0 or requests / rate <= 60 then return end
  local seconds = math.floor(requests / rate)
  local text = seconds >= 3600 and ("%d h %02d min"):format(seconds // 3600, seconds % 3600 // 60)
    or ("%d min"):format(math.ceil(seconds / 60))
  -- As a limit is written: 10/min, 5/s.
  local function whole(x) return math.abs(x - math.floor(x + 0.5)) < 1e-6 end
  local pace = (not whole(rate) and whole(rate * 60)) and ("%.0f/min"):format(rate * 60) or ("%.4g/s"):format(rate)
  io.stderr:write(("%s: at the client's pace of %s this takes about %s (the profile's rate_limit, "
    .. "or --rate-limit, sets what the account allows)\n"):format(opts.script, pace, text))
end

local run

--- Runs a link-changing script's plan, or resumes it (see the module's description).
--- Never returns: it exits with 0 (done, or nothing to do), 1 (refused), 2 (no --yes
--- without a terminal) or 3 (some steps failed).
---@param client table the flireo client
---@param opts table the parsed options (cli.parse with mutating = true)
---@param spec {input: {streamed?: boolean}, input_name?: string, journal: string, label?: string, plan: fun(): table, table, before_changes?: fun(journal: flireo.Journal)} input: what identifies the input in the journal ({fingerprint = …}; streamed: a dry run reading standard input or a pipe, which has none); input_name: how to name it when a journal is refused; journal: the default journal path; plan: builds the plan, returning it and the snapshot; before_changes: called once the plan is journaled, before the first change is sent
function apply.run(client, opts, spec)
  -- This flow continues a run the journal records: an interruption's note says so.
  cli.resumable = true
  cli.run(opts, run, client, opts, spec)
end

function run(client, opts, spec)
  opts.journal = opts.journal or spec.journal
  if opts.resume then
    if not opts.dry_run then cli.require_confirmation(opts) end
    return resume(client, opts, spec)
  end
  -- A run left unfinished in this journal is most likely what was meant (--resume
  -- forgotten): say so before the account is read (minutes, for a large one). Other
  -- journals in the way are refused once the plan shows there is something to do.
  -- So is one holding no plan (a run stopped while writing it, by kill -9).
  if not opts.dry_run and journal.unfinished(opts.journal) then cli.fail(opts.script, journal.existing(opts.journal)) end
  -- As is a path that can hold no journal (a directory, one not there, a link to nothing).
  if not opts.dry_run then
    local checked, problem = pcall(journal.preflight_path, opts.journal)
    if not checked then journal_error(opts, problem) end
  end
  -- Nobody can confirm and --yes is missing: say so before the account is read (minutes).
  if not opts.dry_run then cli.require_confirmation(opts) end

  local plan, state = spec.plan()
  -- Said before the plan: what no undo can put back as it was.
  local leaving, users = links.default_leavers(plan, state)
  if leaving then
    io.stderr:write(("%s: note: this run takes %d of the %d assistants on shared default numbers off them (%s); "
      .. "linking a default number releases every other assistant on one, so an undo cannot put them all back (it "
      .. "refuses, releases the others with --release-others, or leaves them out with --skip-shared-defaults)\n")
      :format(opts.script, #leaving, users, cli.some(leaving, 3)))
  end
  -- Whether a step links a shared default number (it releases whoever is on one then).
  local links_default = false
  for i = 1, plan and plan.n or 0 do
    local after = links.step(plan, i).after
    if after and state.default[after.number_id] then
      links_default = true
      break
    end
  end
  -- Only the account's probe is needed from the snapshot from here on: let it go.
  local probe = apply.account_probe(state)
  state = nil
  collectgarbage()
  local left_out = json.array()
  for i, l in ipairs(plan.left_out or {}) do
    -- An undo's rows are its journal's steps: `step`, not `line`.
    left_out[i] = plan.unit == "journal step" and {assistant = l.assistant, number_id = l.number_id, number = l.number,
      step = l.line} or l
  end
  if plan.changes == 0 then
    -- Rows left out (--skip-shared-defaults) are named even when nothing else changes.
    if #left_out > 0 then links.print_plan(io.stderr, plan, {target = cli.target(client)}) end
    io.stderr:write(("%s: nothing to change: %s already as wanted%s\n"):format(opts.script,
      #left_out > 0 and ("%d of %d"):format(plan.unchanged, plan.unchanged + #left_out) or ("all %d"):format(plan.unchanged),
      #left_out > 0 and (", %d left out (above)"):format(#left_out) or ""))
    -- The shape a run's summary has, whether or not there was anything to do.
    apply.print_json(opts, {unchanged = plan.unchanged, skipped = plan.unchanged, left_out = left_out})
    cli.exit(cli.OK)
  end
  if opts.dry_run then
    if opts.json then
      local steps = json.array()
      for i = 1, plan.n do steps[i] = links.step(plan, i) end
      apply.print_json(opts, {changes = plan.changes, unchanged = plan.unchanged, steps = steps, left_out = left_out})
    else
      links.print_plan(io.stdout, plan, {target = cli.target(client)})
    end
    apply.note_duration(client, plan.changes, opts)
    -- What would stop the real run before it sends anything is said now, not after its plan.
    local checked, problem = pcall(journal.preflight, opts.journal)
    if spec.input.streamed then
      io.stderr:write(("%s: note: the run itself needs its input in a file (a journaled run is resumed from it)\n")
        :format(opts.script))
    elseif not checked then
      io.stderr:write(("%s: note: the run itself would stop here: %s\n"):format(opts.script,
        type(problem) == "table" and tostring(problem.message) or tostring(problem)))
    end
    io.stderr:write(opts.script, ": dry run: nothing was sent\n")
    cli.exit(cli.OK)
  end
  links.print_plan(io.stderr, plan, {target = cli.target(client), limit = apply.PREVIEW})
  apply.note_duration(client, plan.changes, opts)
  cli.require_confirmation(opts)

  -- The journal is made once the run is confirmed, so a "no" or Ctrl-C at the prompt
  -- leaves nothing behind; whether it can be made is known before asking.
  local checked, problem = pcall(journal.preflight, opts.journal)
  if not checked then journal_error(opts, problem) end
  cli.confirm(opts, ("Apply %d change%s to %s?"):format(plan.changes, plan.changes == 1 and "" or "s", cli.target(client)))
  -- The question may have waited while someone changed the account: a shared default link
  -- would then release an assistant the plan does not name (QA round 30), so such a plan is
  -- checked against the account again, as a --resume checks what it has left.
  if links_default and not opts.yes then
    local all = {}
    for i = 1, plan.n do all[i] = links.step(plan, i) end
    local read, changes = pcall(drift.changes, client, all, all, opts)
    if not read then
      cli.fail(opts.script, ("could not read the account again to check the plan (it links a shared default number): "
        .. "%s; nothing was sent"):format(type(changes) == "table" and tostring(changes.message) or tostring(changes)))
    end
    if #changes > 0 then
      cli.fail(opts.script, ("the account changed while the question waited, under a plan that links a shared default "
        .. "number:\n%s\nSuch a link releases whoever is on a default number when it is made, so nothing was sent: run "
        .. "it again for a plan of the account as it is now"):format(drift.listed(changes)))
    end
  end
  local ok, j = pcall(journal.create, opts.journal, {
    script = opts.script, base_url = client.base_url, input = spec.input,
    account = {probe = probe, tag = client._native.account_tag},
  })
  if not ok then journal_error(opts, j) end
  cli.on_interrupt_before_plan(j.path)
  j:write_plan(links.steps(plan), {unchanged = plan.unchanged})
  -- From here the journal holds the plan: an interruption leaves it, to continue.
  cli.on_interrupt(j.path)
  if spec.before_changes then spec.before_changes(j) end
  io.stderr:write(("%s: journal %s (after an interruption, re-run with --resume)\n"):format(opts.script, j.path))
  local summary = execute(client, links.steps(plan), {
    journal = j, skipped = plan.unchanged, concurrency = opts.concurrency, max_failures = opts.max_failures,
    on_waiting = cli.note_waiting,
    progress_every = opts.progress_every, name = opts.script, label = spec.label,
  }, opts)
  finish(j, summary, opts, left_out)
end

return apply
