-- Searches available phone numbers and orders some of them, following each order to its end.
--
-- Usage: flireo run order-numbers [options] --count N
--
-- The numbers are the first N the search returns. Before anything is ordered, the plan
-- shows each number with its monthly cost and the credits it uses (10 per order), and
-- asks for confirmation. Each order is then followed until it succeeds or fails; the
-- summary names the numbers bought. Out of credits (insufficient_credits), no further
-- order is placed: add credits, then --resume places the rest.
--
-- Options:
--   --count N              how many numbers to order (1–50)
--   --type TYPE            national (default), mobile, or local (the default with --group)
--   --query PATTERN        digits the numbers must match; * is a wildcard
--   --group ID             an approved verification group (required for local numbers)
--   --wait-timeout S       seconds to follow each order (default 300); one still pending
--                          then is placed and paid for: --resume follows it
--   --dry-run              print the plan and order nothing
--   -y, --yes              do not ask for confirmation (needed when stdin is not a terminal)
--   -c, --concurrency N    orders placed and followed at once, 1 to 256 (default 16)
--   -j, --journal FILE     the journal (default: order-numbers-HASH.journal.jsonl, HASH
--                          naming the search)
--   --resume               continue the run the journal records; a number whose order
--                          was already placed is followed, never ordered twice; an order
--                          that ended failed is not placed again (a new run finds others)
--   --max-failures N       stop placing orders after N have failed
--   --progress-every N     without a terminal, a progress line every N orders (default 1000)
--   --json                 print the plan (with --dry-run) or the summary as JSON on stdout
--   -h, --help             show this help
--
-- Changes data: yes, it orders numbers and spends credits. Journaled; orders cannot
-- be undone.
-- Exit status: 0 done, 1 bad input or refused, 2 bad usage or no --yes without a
-- terminal, 3 some orders failed, 130 interrupted (143 SIGTERM, 129 SIGHUP, 141 standard
-- output closed)
-- (Ctrl-C: the message gives the command that continues the run).
local cli = require "flireo.cli"
local apply = require "flireo.apply"
local bulk = require "flireo.bulk"
local files = require "flireo.native.files"
local journal = require "flireo.journal"
local links = require "flireo.links"

local opts = cli.parse(arg, {
  mutating = true,
  resumable = true,
  options = {
    {name = "count", type = "integer", min = 1, max = 50},
    {name = "type", type = "string", values = {"national", "mobile", "local"}},
    {name = "query", type = "string"}, {name = "group", type = "string"},
    {name = "wait-timeout", type = "number", default = 300, min = 1},
  },
})
cli.run(opts, function()
  if not opts.count and not opts.resume then cli.fail(opts.script, "--count is required", cli.USAGE) end
  if opts.group and not links.is_uuid(opts.group) then
    cli.fail(opts.script, ("--group takes a verification group's id (a UUID), not %s"):format(opts.group), cli.USAGE)
  end
  if opts.group and opts.type and opts.type ~= "local" then
    cli.fail(opts.script, ("a verification group's numbers are local numbers: drop --type %s, or drop --group")
      :format(opts.type), cli.USAGE)
  end
  opts.type = opts.type or (opts.group and "local" or "national")
  if opts.type == "local" and not opts.group then
    cli.fail(opts.script, "local numbers are ordered through a verification group: give --group ID (the approved "
      .. "ones: flireo -e 'for g in flireo.verification_groups{status = \"approved\"} do print(g.id, g.name, g.locality) end')",
      cli.USAGE)
  end
  local selection = ("type=%s,query=%s,group=%s,count=%s"):format(opts.type, opts.query or "", opts.group or "",
    tostring(opts.count or ""))
  opts.journal = opts.journal or ("order-numbers-" .. files.hash(selection):sub(1, 8) .. ".journal.jsonl")

  --- The order already placed for a step, if any (a resumed or retried step must not order
  --- twice): the one the journal noted, else the newest of the history for its number.
  --- `history`: the orders by number, read once for a resume; a retry reads it afresh.
  local noted, history = {}, nil
  local function read_history()
    local by_number = {}
    for order in flireo.orders({page_size = 100}) do
      local seen = by_number[order.number]
      if not seen or tostring(order.ordered_at or "") > tostring(seen.ordered_at or "") then by_number[order.number] = order end
    end
    return by_number
  end
  local function existing_order(step, fresh)
    if noted[step.seq] then
      local ok, order = pcall(flireo.order, noted[step.seq])
      if ok then return order end
      if type(order) ~= "table" or order.code ~= "not_found" then error(order, 0) end
    end
    if fresh or not history then history = read_history() end
    return history[step.key]
  end

  -- The numbers bought, this run's and (resumed) the journal's earlier ones.
  local attempts, bought, bought_before = {}, {}, 0
  -- What an interruption says of this run's orders: each one placed is paid for (it said
  -- only where the journal was).
  local placed, got, lost, sending = 0, 0, 0, 0
  local function note_orders()
    local open = placed - got - lost
    local text = placed == 0 and "this run placed no order"
      or ("this run placed %d order%s (paid for): %d bought%s, %d still to follow%s"):format(placed,
        placed == 1 and "" or "s", got, lost > 0 and (", %d ended failed"):format(lost) or "", open,
        open > 0 and (" (--resume follows %s)"):format(open == 1 and "it" or "them") or "")
    if sending > 0 then
      text = text .. ("; %d more %s being placed (--resume looks %s up by number)"):format(sending,
        sending == 1 and "was" or "were", sending == 1 and "it" or "them")
    end
    cli.extend_interrupt(text, {placed = placed, bought = got})
  end
  local function order_step(step, j)
    attempts[step.seq] = (attempts[step.seq] or 0) + 1
    -- A resumed step's order was looked up before the question; a retried step's is looked
    -- up again if its order may exist (the request's outcome was unknown), else placed.
    local order = step.order
    if attempts[step.seq] > 1 and step.doubt then order = existing_order(step, true) end
    if order and order.status == "failed" then
      error({code = "order_failed", message = ("order %s ended failed: the server does not complete a failed order, "
        .. "and --resume does not place it again"):format(order.id)}, 0)
    end
    if not order then
      -- Noted before it is sent: a resume looks up (by number) only what may have been placed.
      j:note({seq = step.seq, key = step.key, sending = true})
      j:sync()
      sending = sending + 1
      note_orders()
      local ok, e = pcall(flireo.order_number, step.key, {type = step.number_type ~= "local" and step.number_type
        or nil, verification_group = step.group})
      sending = sending - 1
      if not ok then
        note_orders()
        -- A refusal (402, 400) placed nothing; a 5xx or a dropped connection may have.
        step.doubt = type(e) ~= "table" or e.outcome_unknown == true or type(e.status) ~= "number"
        error(e, 0)
      end
      order = e
      placed, step.placed_here = placed + 1, true
      note_orders()
      -- The order exists now: make that durable before following it. A retry (following it
      -- failed) follows this order, never places another (QA round 29: paid for twice).
      noted[step.seq], step.order = order.id, order
      j:note({seq = step.seq, key = step.key, order_id = order.id})
      j:sync()
    end
    local waited, final = pcall(order.wait, order, {interval = 0.5, timeout = opts.wait_timeout})
    if not waited then
      -- Placed and paid for, and not done yet: no retry (it would wait all over again).
      if type(final) == "table" and final.code == "timeout" then
        error({code = "order_pending", message = ("order %s still pending after %g s: it is placed and paid for; "
          .. "--resume follows it"):format(order.id, opts.wait_timeout)}, 0)
      end
      error(final, 0)
    end
    if final.status ~= "success" then
      if step.placed_here then
        lost = lost + 1
        note_orders()
      end
      error({code = "order_" .. tostring(final.status), message = ("order %s ended %s"):format(final.id, tostring(final.status))}, 0)
    end
    bought[#bought + 1] = step.key
    if step.placed_here then
      got = got + 1
      note_orders()
    end
    return {order_id = final.id, status = final.status}
  end

  --- Names the numbers bought on stderr (the first 20), those of an earlier run too.
  local function say_bought()
    if #bought == 0 or opts.json then return end
    io.stderr:write(("%s: ordered %s%s%s\n"):format(opts.script, table.concat(bought, ", ", 1, math.min(20, #bought)),
      #bought > 20 and (", … and %d more (the journal lists every one)"):format(#bought - 20) or "",
      bought_before == #bought and " (all of them in an earlier run)"
        or bought_before > 0 and (" (%d of them in an earlier run)"):format(bought_before) or ""))
  end

  --- What to do about failures: --resume for what can go on, a new run for failed orders.
  local function say_next(by_code)
    local final, other = by_code.order_failed or 0, 0
    for code, n in pairs(by_code) do if code ~= "order_failed" then other = other + n end end
    if other > 0 then
      -- The journal's name comes from the search: the command to go on repeats it.
      io.stderr:write(("%s: to place or follow what is left once the cause is fixed: %s\n"):format(opts.script,
        cli.resume_command()))
    end
    if final > 0 then
      io.stderr:write(("%s: %d order%s ended failed, which no --resume changes: for other numbers in %s place, "
        .. "start a new run (with another --journal)\n"):format(opts.script, final, final == 1 and "" or "s",
        final == 1 and "its" or "their"))
    end
  end

  --- Runs the orders; `failed_before`: orders of a resumed run that ended failed for good
  --- (not run again, but failures of the run all the same: in the summary and the exit code).
  local function run(steps, j, done_count, failed_before)
    local summary = bulk.run(steps, function(step) return order_step(step, j) end, {
      concurrency = opts.concurrency, journal = j, max_failures = opts.max_failures, progress_every = opts.progress_every,
      label = "ordering", name = opts.script, done_before = done_count, retries = 2,
      -- Out of credits, every later order would fail too.
      stop_on = {insufficient_credits = true},
    })
    if (failed_before or 0) > 0 then
      summary.failed = summary.failed + failed_before
      summary.by_code.order_failed = (summary.by_code.order_failed or 0) + failed_before
      summary.exit_code = 3
      io.stderr:write(("%s: and %d order%s of the earlier run ended failed\n"):format(opts.script, failed_before,
        failed_before == 1 and "" or "s"))
    end
    j:finish(summary)
    cli.on_finished(j.path)
    local pending = summary.by_code.order_pending or 0
    if pending > 0 then
      io.stderr:write(("%s: %d of the failures %s still pending: placed and paid for; --resume follows them\n")
        :format(opts.script, pending, pending == 1 and "is an order" or "are orders"))
    end
    say_next(summary.by_code)
    table.sort(bought)
    say_bought()
    if opts.json then
      cli.write_json({done = summary.done, failed = summary.failed, pending = pending,
        not_started = summary.not_started or 0,
        done_before = bought_before, by_code = json.object(summary.by_code), numbers = json.array(bought),
        journal = j.path})
    end
    cli.exit(summary.exit_code)
  end

  --- A plan line of a step left: an order to follow, a number to order, or a failed order.
  local function left_line(i, step)
    local order = step.order
    if not order then
      return ("%5d. order %s (%d credits)"):format(i, step.key, step.credits or 10)
    elseif order.status == "failed" then
      return ("%5d. %s: order %s ended failed: not placed again"):format(i, step.key, order.id)
    end
    return ("%5d. follow order %s for %s (%s)"):format(i, order.id, step.key, order.status)
  end

  if opts.resume then
    if not journal.exists(opts.journal) then
      cli.fail(opts.script, ("no journal %s: the journal of a run is named after its search, so resume with the same "
        .. "--count, --type, --query and --group as that run, or give its --journal"):format(opts.journal))
    end
    -- Checked before anything is written to the journal or sent: a dry run only reads it.
    local ok, state = pcall(function()
      local s = journal.read(opts.journal)
      journal.check(s, {script = opts.script, base_url = flireo.base_url}, {script = "script", base_url = "server"},
        opts.journal)
      journal.refuse_undone(s, opts.journal)
      journal.refuse_dry(s, opts.journal)
      return s
    end)
    if not ok then cli.fail(opts.script, type(state) == "table" and tostring(state.message) or tostring(state)) end
    -- Another account's key on the same server would place the orders there.
    apply.check_account(flireo, state.header, opts)
    local sent = {}
    for seq, note in pairs(state.notes or {}) do
      sent[seq] = true
      if type(note.order_id) == "string" and links.is_uuid(note.order_id) then noted[seq] = note.order_id end
    end
    -- A journal older than the key's tag, of an account without assistants: its orders tell.
    local account = type(state.header.account) == "table" and state.header.account or {}
    if account.tag == nil and (type(account.probe) ~= "table" or #account.probe == 0) then
      local _, id = next(noted)
      if id then
        local found, e = pcall(flireo.order, id)
        if not found and type(e) == "table" and e.code == "not_found" then
          cli.fail(opts.script, ("the journal %s was written for another account: its order %s is not in this one")
            :format(opts.journal, id))
        end
      end
    end
    -- Whether a step's order may exist: noted (followed by id), or its request sent with an
    -- outcome not known (its number looked up). A refusal (4xx) placed nothing, and a
    -- journal that notes each request before it goes (notes_sending) shows which never went:
    -- another run's order for the same number is not this one's.
    local function may_exist(step)
      if noted[step.seq] then return true end
      local outcome = state.outcomes[step.seq]
      local e = type(outcome) == "table" and outcome.outcome == "failed" and outcome.error
      local status = type(e) == "table" and math.tointeger(e.status)
      if status and status >= 400 and status < 500 then return false end
      if state.header.notes_sending == true then return sent[step.seq] == true end
      return true
    end
    local remaining, done, to_run, credits, failed_before = {}, 0, {}, 0, 0
    for _, step in ipairs(state.steps) do
      local outcome = state.outcomes[step.seq]
      if outcome and outcome.outcome == "done" then
        done = done + 1
        bought[#bought + 1] = step.key
      else
        remaining[#remaining + 1] = step
      end
    end
    bought_before = #bought
    -- What became of each order left: followed if placed, placed if not, left if it failed.
    for _, step in ipairs(remaining) do
      step.order = may_exist(step) and existing_order(step) or nil
      if step.order and step.order.status == "failed" then
        failed_before = failed_before + 1
      else
        to_run[#to_run + 1] = step
        if not step.order then credits = credits + (step.credits or 10) end
      end
    end
    if opts.dry_run then
      io.stderr:write(("Plan for %s: resume %s: %d of %d orders done, %d left\n"):format(cli.target(), opts.journal,
        done, #state.steps, #remaining))
      local shown = json.array()
      for i, step in ipairs(remaining) do
        io.stderr:write(left_line(i, step), "\n")
        shown[i] = {seq = step.seq, key = step.key, order_id = step.order and step.order.id or json.null,
          action = not step.order and "order" or step.order.status == "failed" and "failed" or "follow"}
      end
      io.stderr:write(("Total: %d credits\n"):format(credits))
      if opts.json then cli.write_json({steps = shown, credits = credits}) end
      io.stderr:write(opts.script, ": dry run: nothing was ordered\n")
      cli.exit(cli.OK)
    end
    if #to_run == 0 then
      io.stderr:write(("%s: nothing left to do: every order in %s is done%s%s\n"):format(opts.script,
        opts.journal, failed_before > 0 and " or ended failed" or "", state.ended and "; to order more, start without --resume and with another --journal (or remove "
          .. "this one)" or ""))
      if failed_before > 0 then say_next({order_failed = failed_before}) end
      table.sort(bought)
      say_bought()
      if opts.json then
        cli.write_json({done = 0, failed = failed_before, not_started = 0, done_before = bought_before,
          by_code = json.object(failed_before > 0 and {order_failed = failed_before} or {}), numbers = json.array(bought),
          journal = opts.journal})
      end
      cli.exit(failed_before > 0 and cli.FAILED or cli.OK)
    end
    io.stderr:write(("%s: resuming %s: %d of %d orders done, %d left\n"):format(opts.script, opts.journal, done,
      #state.steps, #remaining))
    for i, step in ipairs(remaining) do
      if i > apply.PREVIEW then
        io.stderr:write(("  … and %d more (--dry-run prints every one)\n"):format(#remaining - apply.PREVIEW))
        break
      end
      io.stderr:write(left_line(i, step), "\n")
    end
    local place = 0
    for _, step in ipairs(to_run) do if not step.order then place = place + 1 end end
    local follow = #to_run - place
    local asked = {}
    if follow > 0 then asked[#asked + 1] = ("follow %d placed order%s"):format(follow, follow == 1 and "" or "s") end
    if place > 0 then
      asked[#asked + 1] = ("order %d number%s for %d credits"):format(place, place == 1 and "" or "s", credits)
    end
    local question = table.concat(asked, " and ")
    cli.confirm(opts, question:sub(1, 1):upper() .. question:sub(2) .. "?")
    -- Opened once confirmed: a "no" leaves the journal as it was.
    local ok2, j = pcall(journal.resume, opts.journal, {script = opts.script, base_url = flireo.base_url},
      {script = "script", base_url = "server"})
    if not ok2 then cli.fail(opts.script, type(j) == "table" and tostring(j.message) or tostring(j)) end
    cli.on_interrupt(j.path, false)
    note_orders()
    run(to_run, j, done, failed_before)
  end
  if not opts.dry_run then
    cli.require_confirmation(opts)
    -- A journal in the way stops the run: said before the search (a dry run notes it after its plan).
    local checked, problem = pcall(journal.preflight, opts.journal)
    if not checked then cli.fail(opts.script, type(problem) == "table" and tostring(problem.message) or tostring(problem)) end
  end
  local found = flireo.available_numbers({type = opts.type ~= "local" and opts.type or nil, query = opts.query,
    limit = math.max(opts.count, 20), verification_group = opts.group})
  if #found < opts.count then
    cli.fail(opts.script, ("only %d number%s available for this search; nothing was ordered"):format(#found,
      #found == 1 and "" or "s"))
  end
  local steps, credits = {}, 0
  io.stderr:write(("Plan for %s: order %d %s number%s\n"):format(cli.target(), opts.count, opts.type,
    opts.count == 1 and "" or "s"))
  for i = 1, opts.count do
    local n = found[i]
    local cost = n.cost or {}
    credits = credits + (cost.credits or 10)
    steps[i] = {seq = i, key = n.number, action = "order", number_type = opts.type, group = opts.group, phase = 0,
      credits = math.tointeger(cost.credits) or 10}
    io.stderr:write(("%5d. %s  %s  %s %s/month, %d credits\n"):format(i, n.number, n.locality or n.type or "",
      tostring(cost.monthly or "?"), tostring(cost.currency or ""), cost.credits or 10))
  end
  io.stderr:write(("Total: %d credits\n"):format(credits))
  if opts.dry_run then
    if opts.json then cli.write_json({steps = steps, credits = credits}) end
    -- What would stop the real run before it orders anything is said now (as flireo.apply does).
    local checked, problem = pcall(journal.preflight, opts.journal)
    if not checked then
      io.stderr:write(("%s: note: the run itself would stop here: %s\n"):format(opts.script,
        type(problem) == "table" and tostring(problem.message) or tostring(problem)))
    end
    io.stderr:write(opts.script, ": dry run: nothing was ordered\n")
    cli.exit(cli.OK)
  end
  -- The journal is made once the run is confirmed (see flireo.apply).
  if not cli.confirmed(opts, ("Order %d number%s for %d credits?"):format(opts.count, opts.count == 1 and "" or "s", credits)) then
    cli.fail(opts.script, "nothing ordered")
  end
  -- Some of the account's assistants: a --resume with another account's key is refused.
  local probe = {}
  for a in flireo.assistants({page_size = 3}) do
    probe[#probe + 1] = a.id
    if #probe == 3 then break end
  end
  local ok, j = pcall(journal.create, opts.journal, {script = opts.script, base_url = flireo.base_url,
    input = {selection = selection}, account = {probe = probe, tag = flireo._native.account_tag}, notes_sending = true})
  if not ok then cli.fail(opts.script, type(j) == "table" and tostring(j.message) or tostring(j)) end
  cli.on_interrupt_before_plan(j.path)
  j:write_plan(steps)
  io.stderr:write(("%s: journal %s (after an interruption, re-run with --resume)\n"):format(opts.script, j.path))
  cli.on_interrupt(j.path, false)
  note_orders()
  run(steps, j, 0)
end)
