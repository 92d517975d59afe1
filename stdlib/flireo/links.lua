--- flireo.links: the account's assistant ↔ phone number link table, and plans that
--- change it safely. A plan is the difference between the table now and the one wanted,
--- ordered so that no link ever hits `already_in_use`: the holder of a wanted number
--- moves (or is unlinked) first, a swap cycle between assistants is broken through one
--- unlink, and links to shared default numbers name the assistants they release.
--- link-from-csv, apply-links, unlink and undo all run their changes through it.
local native = require "flireo.native"
local bulk = require "flireo.bulk"

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

local function present(v)
  if v == nil or v == json.null then return nil end
  return v
end

--- Fetches every page of a list endpoint: the first to learn the total, the others
--- `concurrency` at once. `each(items, page)` sees each page's items (pages in any order;
--- `page` is its 1-based position).
local function each_page(client, path, each, opts)
  local size = 100
  local function fetch(offset)
    local sep = path:find("?", 1, true) and "&" or "?"
    return client.request("GET", ("%s%slimit=%d&offset=%d"):format(path, sep, size, offset))
  end
  local first = fetch(0)
  local data = first.data or {}
  each(data, 1, first)
  local total = math.tointeger(present(first.meta and first.meta.total)) or #data
  -- Never trust meta.limit: the first page's length is the page size actually served.
  local step = #data
  if step == 0 or step >= total then return end
  local offsets = {}
  for offset = step, total - 1, step do offsets[#offsets + 1] = offset end
  local seen = #data
  local _, failures = parallel(offsets, function(offset, i)
    local page = fetch(offset)
    seen = seen + #(page.data or {})
    each(page.data or {}, i + 1, page)
  end, {concurrency = opts and opts.concurrency or 8})
  if failures then
    for _, e in pairs(failures) do error(e, 0) end
  end
  if seen < total then
    error(setmetatable({code = "inconsistent", message = ("%s changed while it was read (%d of %d items); try again")
      :format(path, seen, total)}, {__tostring = function(e) return e.message end}), 0)
  end
end

--- The account's link table now, read in pages (a few requests for thousands of
--- assistants, `concurrency` at once).
---@param client table the flireo client (the global `flireo`, or one from flireo.connect)
---@param opts? {names?: boolean, concurrency?: integer} names: keep assistant names (for exports)
---@return table state {assistants = {id → number id or false}, order = {ids in listing order}, names, numbers = {id → E.164}, by_number = {E.164 → id}, default = {id → true}, types = {id → type}, holder = {custom number id → assistant}, on_default = {assistant → true}, listed_holder = {number id → assistant, as the number list says}}
function links.snapshot(client, opts)
  opts = opts or {}
  local state = {
    assistants = {}, order = {}, names = opts.names and {} or nil,
    numbers = {}, by_number = {}, default = {}, types = {}, holder = {}, on_default = {},
    listed_holder = {}, base_url = client.base_url,
  }
  local chunks, missing = {}, nil
  local function remember_number(n, default)
    local id, e164 = n.id, present(n.phone_number) or present(n.number)
    if not id then return end
    if e164 then state.numbers[id], state.by_number[e164] = e164, id end
    state.types[id] = present(n.number_type) or present(n.type)
    if default or present(n.origin) == "default" then state.default[id] = true end
    local linked = present(n.linked_assistant)
    if linked and linked.id then state.listed_holder[id] = linked.id end
  end
  each_page(client, "/v1/phone-numbers?include_default=true", function(items, _, page)
    for _, n in ipairs(items) do remember_number(n, false) end
    for _, n in ipairs(present(page.shared_numbers) or {}) do remember_number(n, true) end
  end, opts)
  each_page(client, "/v1/assistants", function(items, page)
    local ids = {}
    for i, a in ipairs(items) do
      ids[i] = a.id
      local phone = a.phone_number
      if phone == nil then
        missing = missing or {}
        missing[#missing + 1] = a.id
        state.assistants[a.id] = false
      else
        phone = present(phone)
        state.assistants[a.id] = phone and phone.id or false
        if phone then
          if not state.numbers[phone.id] and present(phone.number) then
            state.numbers[phone.id], state.by_number[phone.number] = phone.number, phone.id
          end
          if present(phone.origin) == "default" then state.default[phone.id] = true end
        end
      end
      if state.names then state.names[a.id] = present(a.name) end
    end
    chunks[page] = ids
  end, opts)
  -- An API whose assistant list carries no phone_number: ask each assistant.
  if missing then
    parallel(missing, function(id)
      local phone = client.assistant(id):phone()
      state.assistants[id] = phone and phone.id or false
      if phone and phone.origin == "default" then state.default[phone.id] = true end
    end, {concurrency = opts.concurrency or 8})
  end
  for _, ids in ipairs(chunks) do
    for _, id in ipairs(ids) do state.order[#state.order + 1] = id end
  end
  for a, n in pairs(state.assistants) do
    if n then
      if state.default[n] then state.on_default[a] = true else state.holder[n] = a end
    end
  end
  return state
end

--- A number as the journal records it: {number_id, number} (nil for no number).
local function side(state, number_id)
  if not number_id then return nil end
  return {number_id = number_id, number = state.numbers[number_id]}
end

--- The plan that makes the assistants in `desired` match it, against `state`.
---
--- Each entry is `{assistant = id, number = number id or false, line = n}`; assistants
--- not listed are left alone, except a holder of a wanted number: with `outside =
--- "unlink"` it is unlinked first (and the step says why), otherwise that is a problem.
--- Problems (a number wanted twice, two assistants wanting default numbers, a default
--- link that would release an assistant the file keeps) come back instead of a plan.
---@param state table what links.snapshot returned
---@param desired table[] the wanted links
---@param opts? {outside?: "unlink"|"refuse", source?: string} source: what to call the input in messages ("the file")
---@return table|nil plan {steps (in order: seq, key, action, before, after, phase, dep, line, note, releases), unchanged, changes}
---@return table[] problems {line, message} each
function links.plan(state, desired, opts)
  opts = opts or {}
  local source = opts.source or "the file"
  local problems = {}
  local function problem(line, message) problems[#problems + 1] = {line = line, message = message} end

  local wanted, step_of, steps, wanted_number = {}, {}, {}, {}
  local unchanged = 0
  local defaults_wanted, default_links = {}, 0
  for _, d in ipairs(desired) do
    local a, t = d.assistant, d.number or false
    wanted[a] = t
    if t then
      if state.default[t] then
        defaults_wanted[#defaults_wanted + 1] = d
      elseif wanted_number[t] then
        problem(d.line, ("%s is wanted by %s and by %s (line %s)"):format(state.numbers[t] or t, a,
          wanted_number[t].assistant, tostring(wanted_number[t].line)))
      else
        wanted_number[t] = d
      end
    end
    local now = state.assistants[a]
    if now == nil then
      problem(d.line, ("assistant %s is not in this account"):format(a))
    elseif now == t then
      unchanged = unchanged + 1
    else
      local step = {key = a, action = t and "link" or "unlink", before = side(state, now), after = side(state, t),
        line = d.line, _order = #steps + 1}
      if t and state.default[t] then default_links = default_links + 1 end
      steps[#steps + 1] = step
      step_of[a] = step
    end
  end
  if default_links > 0 and #defaults_wanted > 1 then
    local names = {}
    for _, d in ipairs(defaults_wanted) do names[#names + 1] = d.assistant .. (d.line and " (line " .. d.line .. ")" or "") end
    problem(defaults_wanted[2].line, "several assistants want shared default numbers, but linking a default number "
      .. "releases every other assistant on one: " .. table.concat(names, ", "))
  end

  -- Holders first: a link waits for the step that frees its number.
  for i = 1, #steps do
    local s = steps[i]
    local t = s.action == "link" and s.after.number_id
    local h = t and not state.default[t] and state.holder[t]
    if h and h ~= s.key then
      if step_of[h] then
        s.dep = step_of[h]
      elseif wanted[h] == nil then
        if opts.outside == "unlink" then
          local u = {key = h, action = "unlink", before = side(state, t), after = nil, _order = #steps + 1,
            note = ("holds %s, which %s gets; not in %s"):format(state.numbers[t] or t, s.key, source)}
          steps[#steps + 1] = u
          step_of[h] = u
          s.dep = u
        else
          problem(s.line, ("%s is linked to assistant %s, which is not in %s (unlink it first, or use apply-links)")
            :format(state.numbers[t] or t, h, source))
        end
      end
    end
  end

  -- Cycles (A wants B's number, B wants A's): one unlink breaks each.
  local color = {}
  for i = 1, #steps do
    local s = steps[i]
    if not color[s] then
      local path, on_path = {}, {}
      local cur = s
      while cur and not color[cur] do
        color[cur] = "visiting"
        path[#path + 1] = cur
        on_path[cur] = #path
        cur = cur.dep
      end
      if cur and color[cur] == "visiting" and on_path[cur] then
        -- path[on_path[cur]] … path[#path] is a cycle; break it at its first step.
        local first = path[on_path[cur]]
        local last = path[#path]
        local members = {}
        for k = on_path[cur], #path do members[#members + 1] = path[k].key end
        local u = {key = first.key, action = "unlink", before = first.before, after = nil, _order = first._order - 0.5,
          note = ("breaks the cycle %s; linked again below"):format(table.concat(members, " → "))}
        steps[#steps + 1] = u
        last.dep = u
      end
      for _, p in ipairs(path) do color[p] = "done" end
    end
  end

  -- Default links release the other assistants on default numbers.
  for _, s in ipairs(steps) do
    if s.action == "link" and state.default[s.after.number_id] then
      local released = {}
      for b in pairs(state.on_default) do
        if b ~= s.key and not step_of[b] then
          if wanted[b] ~= nil then
            problem(s.line, ("linking %s to %s releases assistant %s from %s, which %s keeps"):format(
              s.after.number, s.key, b, state.numbers[state.assistants[b]] or "?", source))
          end
          released[#released + 1] = {assistant = b, number_id = state.assistants[b], number = state.numbers[state.assistants[b]]}
        end
      end
      table.sort(released, function(x, y) return x.assistant < y.assistant end)
      if #released > 0 then s.releases = released end
    end
  end
  if #problems > 0 then return nil, problems end

  -- Phases: a step runs after the step it depends on.
  local function phase(s)
    if s.phase then return s.phase end
    s.phase = s.dep and phase(s.dep) + 1 or 0
    return s.phase
  end
  for _, s in ipairs(steps) do phase(s) end
  table.sort(steps, function(x, y)
    if x.phase ~= y.phase then return x.phase < y.phase end
    return x._order < y._order
  end)
  for i, s in ipairs(steps) do s.seq = i end
  for _, s in ipairs(steps) do
    s.dep = s.dep and s.dep.seq or nil
    s._order = nil
  end
  return {steps = steps, unchanged = unchanged, changes = #steps}, {}
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
---@param plan table what links.plan returned
---@param opts? {limit?: integer, target?: string}
function links.print_plan(out, plan, opts)
  opts = opts or {}
  local releases = 0
  for _, s in ipairs(plan.steps) do if s.releases then releases = releases + #s.releases end end
  out:write(("Plan%s: %d change%s, %d already as wanted%s\n"):format(
    opts.target and " for " .. opts.target or "", plan.changes, plan.changes == 1 and "" or "s", plan.unchanged,
    releases > 0 and (", %d assistant%s released from default numbers"):format(releases, releases == 1 and "" or "s") or ""))
  local limit = opts.limit or #plan.steps
  for i = 1, math.min(limit, #plan.steps) do out:write(links.describe(plan.steps[i]), "\n") end
  if #plan.steps > limit then
    out:write(("  … and %d more (--dry-run prints every step)\n"):format(#plan.steps - limit))
  end
end

--- Runs plan steps (all, or what a resumed run has left) with the bulk runner: each is
--- idempotent (`ensure`), phases run in order, a step whose prerequisite did not succeed
--- is blocked, and every outcome goes to the journal.
---@param client table the flireo client
---@param steps table[] the steps to run, in seq order
---@param opts table {journal, concurrency, max_failures, progress_every, done = {seq → true} (already done), skipped = count, name, label}
---@return table summary what bulk.run returned
function links.execute(client, steps, opts)
  local done = opts.done or {}
  local by_seq = {}
  for _, s in ipairs(steps) do by_seq[s.seq] = s end
  local warnings = client.config.warnings
  client.config.warnings = false
  local function action(step)
    local a = client.assistant(step.key)
    if step.action == "link" then
      local r = a:link({id = step.after.number_id, number = step.after.number}, {ensure = true})
      done[step.seq] = true
      return {number_id = r.phone_number and r.phone_number.id, previous = r.previous_phone_number_id,
        released = r.released_assistants, reconciled = r.reconciled, already = r.already_linked}
    end
    local r = a:unlink({ensure = true})
    done[step.seq] = true
    return {unlinked = r.unlinked_phone_number and r.unlinked_phone_number.id, reconciled = r.reconciled,
      already = r.already_unlinked}
  end
  local ok, summary = pcall(bulk.run, steps, action, {
    concurrency = opts.concurrency, journal = opts.journal, max_failures = opts.max_failures,
    progress_every = opts.progress_every, label = opts.label or "applying", name = opts.name,
    skipped = opts.skipped, quiet = opts.quiet,
    phase = function(s) return s.phase end,
    blocked = function(s)
      if s.dep and not done[s.dep] then
        local d = by_seq[s.dep]
        return ("waits for step %d (%s %s), which did not succeed"):format(s.dep, d and d.action or "?", d and d.key or "?")
      end
    end,
  })
  client.config.warnings = warnings
  if not ok then error(summary, 0) end
  return summary
end

return links
