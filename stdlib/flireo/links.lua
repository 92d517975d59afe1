--- flireo.links: the account's assistant ↔ phone number link table, and plans that
--- change it safely. A plan is the difference between the table now and the one wanted,
--- ordered so that no link ever hits `already_in_use`: the holder of a wanted number
--- moves (or is unlinked) first, a swap cycle between assistants is broken through one
--- unlink, and links to shared default numbers name the assistants they release.
--- link-from-csv, apply-links, unlink and undo all run their changes through it.
local native = require "flireo.native"
local bulk = require "flireo.bulk"
local snapshot = require "flireo.snapshot"

--- Link tables and plans.
---@class flireo.links
local links = {}

--- Whether a string is a UUID (the same rule as the flireo module's).
---@param s any
---@return boolean
function links.is_uuid(s) return type(s) == "string" and native.is_uuid(s) end

--- Whether a string is an E.164 number such as "+31201234567".
---@param s any
---@return boolean
function links.is_e164(s) return type(s) == "string" and native.is_e164(s) end

--- The account's link table now (see flireo.snapshot).
links.snapshot = snapshot.read
--- A table of E.164 numbers by number id, kept as integers (see flireo.snapshot).
links.number_table = snapshot.number_table

--- An empty list of wanted links, kept column by column (a table per row would cost
--- several hundred bytes each; a million rows must fit).
---@return table wanted {n, assistant = {}, number = {}, line = {}, check = {}}
function links.wanted()
  return {n = 0, assistant = {}, number = {}, line = {}, check = {}, written = {}}
end

--- Adds a wanted link.
---@param w table what links.wanted returned
---@param assistant string the assistant's id
---@param number string|false a number key (id or E.164), or false for no number
---@param line? integer where it came from (a line of the input)
---@param check? string an E.164 number the resolved id must have
function links.want(w, assistant, number, line, check)
  local n = w.n + 1
  w.n = n
  w.assistant[n], w.number[n], w.line[n] = assistant, number or false, line or n
  if check then w.check[n] = check end
end

--- The plan that makes the assistants in `w` match it, against `state`.
---
--- Assistants not listed are left alone, except a holder of a wanted number: with
--- `outside = "unlink"` it is unlinked first (and the step says why), otherwise that is a
--- problem. Problems (a number wanted twice, two assistants wanting default numbers, a
--- default link that would release an assistant the input keeps) come back instead of a
--- plan. The plan is kept column by column, in the rows it was built in: step `seq` is
--- row `plan.perm[seq]` of `plan.key`, `plan.before` and `plan.after` (number ids or
--- false; no number after means an unlink), `plan.line`, `plan.phase`, `plan.dep` (the
--- row it waits for) and the sparse `plan.note` and `plan.releases`; links.step(plan,
--- seq) makes a step a table.
---@param state table what links.snapshot returned
---@param w table the wanted links (links.wanted)
---@param opts? {outside?: "unlink"|"refuse", source?: string, unit?: string, skip_defaults?: boolean, skip_hint?: string} source: what to call the input in messages ("the file"); unit: what a row's line counts ("line", or "step" of a journal); skip_defaults: leave out the rows that put assistants on shared default numbers when several want one (plan.left_out lists them) instead of refusing; skip_hint: added to that refusal (how to leave them out)
---@return table|nil plan {n, perm, seq_of, key, before, after, line, phase, dep, note, releases, unchanged, changes, numbers}
---@return table[] problems {line, message} each
function links.plan(state, w, opts)
  opts = opts or {}
  local source = opts.source or "the file"
  -- What a row's `line` counts: lines of a file, or steps of a journal (undo).
  local unit = opts.unit or "line"
  local problems = {}
  local function problem(line, message) problems[#problems + 1] = {line = line, message = message} end

  -- Steps in input order first. Columns are kept dense only where every step has a
  -- value: a step's rank within its phase is its index (`order` holds the exceptions,
  -- the cycle breakers), and `dep` (the step it waits for) is mostly empty.
  local size = w.n
  local key, before, after, line = native.table(size), native.table(size), native.table(size), native.table(size)
  local order, dep, note = {}, {}, {}
  local n = 0
  -- A step with a number after it is a link, one without an unlink.
  local function add(a, from, to, at)
    n = n + 1
    key[n], before[n], after[n], line[n] = a, from or false, to or false, at or false
    return n
  end

  -- The file's assistants: their step, or false when they are already as wanted (one
  -- map for "in the file" and "has a step": a large file's lookups are its biggest tables).
  local step_of, wanted_number = native.table(0, size), native.table(0, size)
  local unchanged, default_links = 0, 0
  local defaults_wanted = {}
  -- At most one assistant of an account can be on a shared default number (linking one
  -- releases the others). Several rows wanting one cannot all be applied: that is a
  -- problem, or with `skip_defaults` those rows are left out and the rest goes on.
  local left_out = {}
  if opts.skip_defaults then
    local wanting, changing = 0, false
    for i = 1, w.n do
      local t = w.number[i]
      if t and state.default[t] then
        wanting = wanting + 1
        if state.assistants[w.assistant[i]] ~= t then changing = true end
      end
    end
    if wanting > 1 and changing then
      for i = 1, w.n do
        local t = w.number[i]
        if t and state.default[t] and state.assistants[w.assistant[i]] ~= t then
          left_out[#left_out + 1] = {assistant = w.assistant[i], number_id = t, number = state.numbers[t], line = w.line[i]}
        end
      end
    end
  end
  -- Left-out assistant → its row's line.
  local leave = {}
  for _, l in ipairs(left_out) do leave[l.assistant] = l.line end
  for i = 1, w.n do
    local a, t, at = w.assistant[i], w.number[i] or false, w.line[i]
    step_of[a] = false
    if leave[a] then
      -- Left out: no step, and the row's number is not claimed.
      goto next_row
    end
    if t then
      if state.default[t] then
        defaults_wanted[#defaults_wanted + 1] = i
      elseif wanted_number[t] then
        local first = wanted_number[t]
        problem(at, ("%s is wanted by %s and by %s (%s %s)"):format(state.numbers[t] or t, a, w.assistant[first], unit,
          tostring(w.line[first])))
      else
        wanted_number[t] = i
      end
    end
    local now = state.assistants[a]
    if now == nil then
      problem(at, ("assistant %s is not in this account"):format(a))
    elseif now == t then
      unchanged = unchanged + 1
    else
      if t and state.default[t] then default_links = default_links + 1 end
      step_of[a] = add(a, now, t, at)
    end
    ::next_row::
  end
  local several_defaults = default_links > 0 and #defaults_wanted > 1
  if several_defaults then
    local names = {}
    for _, i in ipairs(defaults_wanted) do names[#names + 1] = ("%s (%s %s)"):format(w.assistant[i], unit, tostring(w.line[i])) end
    problem(w.line[defaults_wanted[2]], "several assistants want shared default numbers, but linking a default number "
      .. "releases every other assistant on one: " .. table.concat(names, ", ") .. (opts.skip_hint or ""))
  end

  -- The rows are all in the columns now: a caller that let go of `w` lets it be collected.
  w = nil -- luacheck: ignore
  -- Holders first: a link waits for the step that frees its number.
  local planned = n
  for i = 1, planned do
    local t = after[i]
    local h = t and not state.default[t] and state.holder[t]
    if h and h ~= key[i] then
      if step_of[h] then
        dep[i] = step_of[h]
      elseif leave[h] then
        -- Left out, it keeps what it holds, unless another row wants that: it is then
        -- unlinked, as it could not get its own row's number anyway.
        local u = add(h, t, false, leave[h])
        note[u] = ("left out, holds %s, which %s gets"):format(state.numbers[t] or t, key[i])
        step_of[h] = u
        dep[i] = u
      elseif step_of[h] == nil then
        if opts.outside == "unlink" then
          local u = add(h, t, false, nil)
          note[u] = ("holds %s, which %s gets; not in %s"):format(state.numbers[t] or t, key[i], source)
          step_of[h] = u
          dep[i] = u
        else
          problem(line[i], ("%s is linked to assistant %s, which is not in %s (unlink it first, or use apply-links)")
            :format(state.numbers[t] or t, h, source))
        end
      end
    end
  end

  -- Cycles (A wants B's number, B wants A's): one unlink breaks each.
  -- Only steps that wait for another can be in a cycle: the others cost nothing here.
  local color = {}
  for i = 1, planned do
    if dep[i] and not color[i] then
      local path, on_path = {}, {}
      local cur = i
      while cur and not color[cur] do
        color[cur] = 1
        path[#path + 1] = cur
        on_path[cur] = #path
        cur = dep[cur]
      end
      if cur and color[cur] == 1 and on_path[cur] then
        local first, last = path[on_path[cur]], path[#path]
        local members = {}
        for k = on_path[cur], #path do members[#members + 1] = key[path[k]] end
        local u = add(key[first], before[first], false, line[first])
        order[u] = (order[first] or first) - 0.5
        -- A long cycle is named by its size, not listed: a plan line stays a line.
        local cycle = #members <= 4 and table.concat(members, " → ") .. " → " .. members[1]
          or ("of %d assistants (%s → %s → … → %s)"):format(#members, members[1], members[2], members[#members])
        note[u] = ("breaks the cycle %s; linked again below"):format(cycle)
        -- When it is linked again, it has no number: the breaker took it off.
        before[first] = false
        dep[last] = u
      end
      for _, p in ipairs(path) do color[p] = 2 end
    end
  end

  -- Default links release the other assistants on default numbers.
  local releases = {}
  for i = 1, n do
    if after[i] and state.default[after[i]] then
      local released = {}
      for b in pairs(state.on_default) do
        if b ~= key[i] and not step_of[b] then
          -- Each release the file does not want, unless the problem above already says them
          -- all at once (one line to act on, not one per row and released assistant).
          if step_of[b] ~= nil and not several_defaults then
            problem(line[i], ("linking %s to %s releases assistant %s from %s, which %s keeps"):format(
              state.numbers[after[i]] or after[i], key[i], b, state.numbers[state.assistants[b]] or "?", source))
          end
          released[#released + 1] = {assistant = b, number_id = state.assistants[b], number = state.numbers[state.assistants[b]]}
        end
      end
      table.sort(released, function(x, y) return x.assistant < y.assistant end)
      if #released > 0 then releases[i] = released end
    end
  end
  if #problems > 0 then return nil, problems end
  -- The lookups are done with; a large plan needs their room for its last columns.
  step_of, wanted_number, color = nil, nil, nil
  collectgarbage()

  -- Phases: a step runs after the step it depends on; then sort by phase, input order.
  -- Steps that wait for none are in phase 0 and keep their place: without dependencies
  -- and cycle breakers the plan's order is its rows' order and `perm` is not built.
  local phase = {}
  local function phase_of(i)
    if dep[i] == nil then return 0 end
    if phase[i] then return phase[i] end
    local chain, cur = {}, i
    while dep[cur] ~= nil and not phase[cur] do
      chain[#chain + 1] = cur
      cur = dep[cur]
    end
    local p = dep[cur] == nil and 0 or phase[cur]
    for k = #chain, 1, -1 do
      p = p + 1
      phase[chain[k]] = p
    end
    return phase[i]
  end
  local perm, seq_of = nil, {}
  if next(dep) ~= nil or next(order) ~= nil then
    for i in pairs(dep) do phase_of(i) end
    perm = {}
    for i = 1, n do perm[i] = i end
    table.sort(perm, function(x, y)
      local px, py = phase[x] or 0, phase[y] or 0
      if px ~= py then return px < py end
      return (order[x] or x) < (order[y] or y)
    end)
    -- Where a step that others wait for ended up (only those are asked for).
    for _, d in pairs(dep) do seq_of[d] = true end
    for s, i in ipairs(perm) do
      if seq_of[i] then seq_of[i] = s end
    end
  end
  -- The columns stay where they were built: step `seq` is row perm[seq] (row seq
  -- without perm); phase holds the steps not in phase 0.
  local plan = {
    n = n, perm = perm, seq_of = seq_of, key = key, before = before, after = after, line = line, phase = phase,
    dep = dep, note = note, releases = releases, unchanged = unchanged, changes = n, numbers = state.numbers,
    left_out = left_out, unit = unit,
  }
  return plan, {}
end

--- The assistants on shared default numbers a plan takes off them (by a step of their own,
--- or released by a default link of the plan), and how many are on one now: linking a
--- default number releases every other assistant on one, so an undo cannot put them all
--- back when two or more are on one before the run.
---@param plan table what links.plan returned
---@param state table the snapshot it was made from
---@return string[]|nil leaving nil when an undo can put everyone back
---@return integer on_default how many are on a default number now
function links.default_leavers(plan, state)
  local leaving, stays, users, links_default = {}, {}, 0, false
  for row = 1, plan.n do
    local key, before, after = plan.key[row], plan.before[row], plan.after[row]
    if after and state.default[after] then links_default = true end
    if before and state.default[before] then stays[key] = stays[key] or after == before end
  end
  for a in pairs(state.on_default or {}) do
    users = users + 1
    -- Its own step moves it off, or a default link of the plan releases it.
    if stays[a] == false or (stays[a] == nil and links_default) then leaving[#leaving + 1] = a end
  end
  if #leaving == 0 or users < 2 then return nil, users end
  table.sort(leaving)
  return leaving, users
end

--- Step `i` of a plan as a table, as the journal records it: {seq, key, action, before,
--- after, line, phase, dep, note, releases}, before and after being {number_id, number}
--- or nil.
---@param plan table what links.plan returned
---@param i integer the step's seq
---@return table step
function links.step(plan, i)
  local function side(id)
    if not id then return nil end
    return {number_id = id, number = plan.numbers[id]}
  end
  local row = plan.perm and plan.perm[i] or i
  local dep = plan.dep[row]
  return {
    seq = i, key = plan.key[row], action = plan.after[row] and "link" or "unlink", before = side(plan.before[row]),
    after = side(plan.after[row]), line = plan.line[row] or nil, phase = plan.phase[row] or 0,
    dep = dep and plan.seq_of[dep] or nil, note = plan.note[row], releases = plan.releases[row],
  }
end

--- The steps of a plan, made tables one at a time (for the journal and the runner).
---@param plan table what links.plan returned
---@return {n: integer, at: fun(i: integer): table} steps
function links.steps(plan)
  return {n = plan.n, at = function(i) return links.step(plan, i) end}
end

--- One line describing a step: `  12. link    <assistant>  +31… → +31…  (note)`.
---@param step table a plan step
---@return string line
function links.describe(step)
  local function show(s) return s and (s.number or s.number_id) or "(none)" end
  local text = ("%5d. %-6s %s  %s → %s"):format(step.seq, step.action, step.key, show(step.before), show(step.after))
  local notes = {}
  if step.note then notes[#notes + 1] = step.note end
  if step.releases then
    local names = {}
    for _, r in ipairs(step.releases) do names[#names + 1] = r.assistant end
    notes[#notes + 1] = "shared default number: releases " .. table.concat(names, ", ")
  end
  if #notes > 0 then text = text .. "  (" .. table.concat(notes, "; ") .. ")" end
  return text
end

--- Prints a plan on `out`: a count line, then the steps (all of them, or the first `limit`).
---@param out file* where (io.stdout, io.stderr)
---@param plan table what links.plan returned, or steps {n, at, changes, unchanged, done_before?}
---@param opts? {limit?: integer, target?: string}
function links.print_plan(out, plan, opts)
  opts = opts or {}
  local releases = 0
  for _, r in pairs(plan.releases or {}) do releases = releases + #r end
  -- What a resumed run left behind was done by the earlier run, not found as wanted now.
  local other = plan.done_before and ("%d done before (the run resumed)"):format(plan.done_before)
    or ("%d already as wanted"):format(plan.unchanged)
  local steps = plan.at and plan or links.steps(plan)
  -- A cycle's break and its relink are two changes to one assistant: say so, or the counts
  -- do not add up to the input's rows.
  local seen, assistants = {}, 0
  for i = 1, steps.n do
    local key = plan.key and plan.key[plan.perm and plan.perm[i] or i] or steps.at(i).key
    if not seen[key] then seen[key], assistants = true, assistants + 1 end
  end
  local to = assistants ~= plan.changes and (" to %d assistant%s"):format(assistants, assistants == 1 and "" or "s") or ""
  out:write(("Plan%s: %d change%s%s, %s%s\n"):format(
    opts.target and " for " .. opts.target or "", plan.changes, plan.changes == 1 and "" or "s", to, other,
    releases > 0 and (", %d assistant%s released from default numbers"):format(releases, releases == 1 and "" or "s") or ""))
  if plan.left_out and #plan.left_out > 0 then
    out:write(("Left out: %d assistant%s wanting shared default numbers (at most one assistant can be on one; "
      .. "link the one that matters yourself):\n"):format(#plan.left_out, #plan.left_out == 1 and "" or "s"))
    for _, l in ipairs(plan.left_out) do
      out:write(("  %s → %s%s\n"):format(l.assistant, l.number or l.number_id,
        l.line and (" (%s %s)"):format(plan.unit or "line", l.line) or ""))
    end
  end
  local limit = opts.limit or steps.n
  for i = 1, math.min(limit, steps.n) do out:write(links.describe(steps.at(i)), "\n") end
  if steps.n > limit then
    out:write(("  … and %d more (--dry-run prints every step)\n"):format(steps.n - limit))
  end
end

--- Runs plan steps (all, or what a resumed run has left) with the bulk runner: each is
--- idempotent (`ensure`), phases run in order, a step whose prerequisite did not succeed
--- is blocked, and every outcome goes to the journal. Steps are made one at a time, so a
--- large plan is never held twice.
---@param client table the flireo client
---@param steps {n: integer, at: fun(i: integer): table} the steps to run, in seq order (links.steps(plan), or a resumed run's)
---@param opts table {journal, concurrency, max_failures, progress_every, done = {seq → true} (already done), skipped = count, done_before = count (a resumed run's), name, label, plan = all the plan's steps {n, at} when `steps` is what a resumed run has left, on_waiting = fun(ids, maybe) told the assistants a cycle's break has left without a number so far, and those whose break is in flight or of unknown outcome, each time that changes}
---@return table summary what bulk.run returned, and `waiting`: the assistants a cycle's break unlinked whose own link was not made (the run stopped first, or it failed; not one whose outcome is unknown): they have no number now; `maybe_waiting`: the same for breaks of unknown outcome (the server may have applied them)
function links.execute(client, steps, opts)
  local done = opts.done or {}
  -- A cycle's break: an unlink whose assistant is linked again by a later step (links.plan notes it).
  local function breaks_cycle(s)
    return s.action == "unlink" and s.note ~= nil and s.note:find("breaks the cycle", 1, true) ~= nil
  end
  -- Steps whose outcome is unknown (the server may have applied them).
  local doubt = {}
  -- Assistants a cycle's break has unlinked, until their own link is made, and those whose
  -- break is in flight or of unknown outcome (opts.on_waiting hears of both).
  local unlinked, maybe = {}, {}
  local function told()
    if not opts.on_waiting then return end
    local function sorted(set)
      local list = {}
      for key in pairs(set) do list[#list + 1] = key end
      table.sort(list)
      return list
    end
    opts.on_waiting(sorted(unlinked), sorted(maybe))
  end
  local warnings = client.config.warnings
  client.config.warnings = false
  local function action(step)
    local a = client.assistant(step.key)
    if step.action == "link" then
      local sent, r = pcall(a.link, a, {id = step.after.number_id, number = step.after.number}, {ensure = true})
      if not sent then
        -- (The last attempt says: a read-back that found it not applied clears an earlier doubt.)
        doubt[step.seq] = type(r) == "table" and r.outcome_unknown or nil
        error(r, 0)
      end
      if unlinked[step.key] or maybe[step.key] then
        unlinked[step.key], maybe[step.key] = nil, nil
        told()
      end
      done[step.seq] = true
      return {number_id = r.phone_number and r.phone_number.id, previous = r.previous_phone_number_id,
        released = r.released_assistants, reconciled = r.reconciled, already = r.already_linked}
    end
    local cycle = breaks_cycle(step)
    if cycle then
      maybe[step.key] = true
      told()
    end
    local sent, r = pcall(a.unlink, a, {ensure = true})
    if not sent then
      local unknown = type(r) == "table" and r.outcome_unknown
      doubt[step.seq] = unknown or nil
      if cycle and not unknown then
        maybe[step.key] = nil
        told()
      end
      error(r, 0)
    end
    done[step.seq] = true
    if cycle then
      maybe[step.key], unlinked[step.key] = nil, true
      told()
    end
    return {unlinked = r.unlinked_phone_number and r.unlinked_phone_number.id, reconciled = r.reconciled,
      already = r.already_unlinked}
  end
  local i = 0
  local ok, summary = pcall(bulk.run, function()
    i = i + 1
    if i <= steps.n then return steps.at(i) end
  end, action, {
    total = steps.n, concurrency = opts.concurrency, journal = opts.journal, max_failures = opts.max_failures,
    progress_every = opts.progress_every, label = opts.label or "applying", name = opts.name,
    skipped = opts.skipped, done_before = opts.done_before, quiet = opts.quiet,
    phase = function(s) return s.phase end,
    blocked = function(s)
      if s.dep and not done[s.dep] then
        return ("waits for step %d, which did not succeed"):format(s.dep)
      end
    end,
  })
  client.config.warnings = warnings
  if not ok then error(summary, 0) end
  summary.waiting, summary.maybe_waiting = json.array(), json.array()
  if (summary.failed or 0) + (summary.blocked or 0) + (summary.not_started or 0) > 0 then
    -- (A break the server may have applied leaves its assistant maybe without a number.)
    local all, broken, unsure = opts.plan or steps, {}, {}
    for k = 1, all.n do
      local s = all.at(k)
      if breaks_cycle(s) and (done[s.seq] or doubt[s.seq]) then
        (done[s.seq] and broken or unsure)[s.key] = true
      elseif s.action == "link" and not done[s.seq] and (broken[s.key] or unsure[s.key]) then
        -- (A link back that may have been applied leaves it maybe without a number too.)
        local list = (broken[s.key] and not doubt[s.seq]) and summary.waiting or summary.maybe_waiting
        list[#list + 1] = s.key
      end
    end
  end
  return summary
end

return links
