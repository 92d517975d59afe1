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
--   --type TYPE            national (default), mobile, or local (needs --group)
--   --query PATTERN        digits the numbers must match; * is a wildcard
--   --group ID             an approved verification group (required for local numbers)
--   --wait-timeout S       seconds to follow each order before giving up (default 300)
--   --dry-run              print the plan and order nothing
--   -y, --yes              do not ask for confirmation (needed when stdin is not a terminal)
--   -c, --concurrency N    orders placed and followed at once, 1 to 256 (default 16)
--   -j, --journal FILE     the journal (default: order-numbers-HASH.journal.jsonl, HASH
--                          naming the search)
--   --resume               continue the run the journal records; a number whose order
--                          was already placed is followed, never ordered twice
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

local opts = cli.parse(arg, {
  mutating = true,
  resumable = true,
  options = {
    {name = "count", type = "integer", min = 1, max = 50},
    {name = "type", type = "string", values = {"national", "mobile", "local"}, default = "national"},
    {name = "query", type = "string"}, {name = "group", type = "string"},
    {name = "wait-timeout", type = "number", default = 300, min = 1},
  },
})
cli.run(opts, function()
  if not opts.count and not opts.resume then cli.fail(opts.script, "--count is required", cli.USAGE) end
  if opts.type == "local" and not opts.group then
    cli.fail(opts.script, "local numbers are ordered through a verification group: give --group ID (the approved "
      .. "ones: flireo -e 'for g in flireo.verification_groups{status = \"approved\"} do print(g.id, g.name, g.locality) end')",
      cli.USAGE)
  end
  local selection = ("type=%s,query=%s,group=%s,count=%s"):format(opts.type, opts.query or "", opts.group or "",
    tostring(opts.count or ""))
  opts.journal = opts.journal or ("order-numbers-" .. files.hash(selection):sub(1, 8) .. ".journal.jsonl")

  --- The order already placed for a number, if any (a resumed or retried step must not order twice).
  local function existing_order(number)
    for order in flireo.orders() do
      if order.number == number then return order end
    end
  end

  -- The numbers bought, this run's and (resumed) the journal's earlier ones.
  local attempts, bought, bought_before = {}, {}, 0
  local function order_step(step, j)
    attempts[step.seq] = (attempts[step.seq] or 0) + 1
    local order = (step.in_doubt or attempts[step.seq] > 1) and existing_order(step.key) or nil
    if not order then
      order = flireo.order_number(step.key, {type = step.number_type ~= "local" and step.number_type or nil,
        verification_group = step.group})
      -- The order exists now: make that durable before following it.
      j:note({seq = step.seq, key = step.key, order_id = order.id})
      j:sync()
    end
    local final = order:wait({interval = 0.5, timeout = opts.wait_timeout})
    if final.status ~= "success" then
      error({code = "order_" .. tostring(final.status), message = ("order %s ended %s"):format(final.id, tostring(final.status))}, 0)
    end
    bought[#bought + 1] = step.key
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

  local function run(steps, j, done_count)
    local summary = bulk.run(steps, function(step) return order_step(step, j) end, {
      concurrency = opts.concurrency, journal = j, max_failures = opts.max_failures, progress_every = opts.progress_every,
      label = "ordering", name = opts.script, done_before = done_count, retries = 2,
      -- Out of credits, every later order would fail too.
      stop_on = {insufficient_credits = true},
    })
    j:finish(summary)
    cli.on_finished(j.path)
    if summary.exit_code ~= 0 then
      -- The journal's name comes from the search: the command to go on repeats it.
      io.stderr:write(("%s: to place what is left once the cause is fixed: %s\n"):format(opts.script, cli.resume_command()))
    end
    table.sort(bought)
    say_bought()
    if opts.json then
      io.stdout:write(json.encode({done = summary.done, failed = summary.failed, done_before = bought_before,
        by_code = json.object(summary.by_code), numbers = json.array(bought), journal = j.path}), "\n")
    end
    cli.exit(summary.exit_code)
  end

  if opts.resume then
    if not journal.exists(opts.journal) then
      cli.fail(opts.script, ("no journal %s: the journal of a run is named after its search, so resume with the same "
        .. "--count, --type, --query and --group as that run, or give its --journal"):format(opts.journal))
    end
    local ok, j, state = pcall(journal.resume, opts.journal, {script = opts.script, base_url = flireo.base_url},
      {script = "script", base_url = "server"})
    if not ok then cli.fail(opts.script, type(j) == "table" and tostring(j.message) or tostring(j)) end
    cli.on_interrupt(j.path, false)
    local remaining, done = {}, 0
    for _, step in ipairs(state.steps) do
      local outcome = state.outcomes[step.seq]
      if outcome and outcome.outcome == "done" then
        done = done + 1
        bought[#bought + 1] = step.key
      else
        step.in_doubt = true
        remaining[#remaining + 1] = step
      end
    end
    bought_before = #bought
    if #remaining == 0 then
      io.stderr:write(("%s: nothing left to do: every order in %s is done%s\n"):format(opts.script, j.path,
        state.ended and "; to order more, start without --resume and with another --journal (or remove this one)" or ""))
      table.sort(bought)
      say_bought()
      -- --json prints its object whatever happened, in the shape of this mode.
      if opts.json and opts.dry_run then
        io.stdout:write(json.encode({steps = json.array(), credits = 0}), "\n")
      elseif opts.json then
        io.stdout:write(json.encode({done = 0, failed = 0, done_before = bought_before, by_code = json.object(),
          numbers = json.array(bought), journal = j.path}), "\n")
      end
      j:close()
      cli.exit(cli.OK)
    end
    io.stderr:write(("%s: resuming %s: %d of %d orders done, %d left\n"):format(opts.script, j.path, done, #state.steps,
      #remaining))
    cli.confirm(opts, ("Follow or place the %d remaining order%s?"):format(#remaining, #remaining == 1 and "" or "s"))
    run(remaining, j, done)
  end

  if not opts.dry_run then cli.require_confirmation(opts) end
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
    steps[i] = {seq = i, key = n.number, action = "order", number_type = opts.type, group = opts.group, phase = 0}
    io.stderr:write(("%5d. %s  %s  %s %s/month, %d credits\n"):format(i, n.number, n.locality or n.type or "",
      tostring(cost.monthly or "?"), tostring(cost.currency or ""), cost.credits or 10))
  end
  io.stderr:write(("Total: %d credits\n"):format(credits))
  if opts.dry_run then
    if opts.json then io.stdout:write(json.encode({steps = steps, credits = credits}), "\n") end
    -- What would stop the real run before it orders anything is said now (as flireo.apply does).
    local checked, problem = pcall(journal.preflight, opts.journal)
    if not checked then
      io.stderr:write(("%s: note: the run itself would stop here: %s\n"):format(opts.script,
        type(problem) == "table" and tostring(problem.message) or tostring(problem)))
    end
    io.stderr:write(opts.script, ": dry run: nothing was ordered\n")
    cli.exit(cli.OK)
  end
  cli.require_confirmation(opts)
  -- The journal is made once the run is confirmed (see flireo.apply).
  local checked, problem = pcall(journal.preflight, opts.journal)
  if not checked then cli.fail(opts.script, type(problem) == "table" and tostring(problem.message) or tostring(problem)) end
  if not cli.confirmed(opts, ("Order %d number%s for %d credits?"):format(opts.count, opts.count == 1 and "" or "s", credits)) then
    cli.fail(opts.script, "nothing ordered")
  end
  local ok, j = pcall(journal.create, opts.journal, {script = opts.script, base_url = flireo.base_url,
    input = {selection = selection}})
  if not ok then cli.fail(opts.script, type(j) == "table" and tostring(j.message) or tostring(j)) end
  cli.on_interrupt_before_plan(j.path)
  j:write_plan(steps)
  io.stderr:write(("%s: journal %s (after an interruption, re-run with --resume)\n"):format(opts.script, j.path))
  cli.on_interrupt(j.path, false)
  run(steps, j, 0)
end)
