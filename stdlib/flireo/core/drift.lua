--- What a plan made earlier meets in the account now: what changed under its steps (a
--- resumed run, or one confirmed after its question waited, refuses to carry out a plan for
--- a state that is gone) and how many of its steps the account already shows made. Part of
--- flireo.apply.
local links = require "flireo.links"

local drift = {}

--- What changed in the account since a journal's plan was made, for the steps left
--- (its plan would act on a state that is gone): an assistant of a step now on neither
--- the number before nor the one after it, and, when a step links a shared default
--- number, an assistant it would release that the plan does not name, or one it names
--- that is no longer on the default number the plan releases it from.
--- (An assistant some step of the plan moves, done or not, is the plan's own business; so
--- is one on no number where the plan had a shared default number, once the plan links a
--- default number, which releases every other assistant on one, done or in doubt.)
---@param client table the flireo client
---@param remaining table[] the steps left (all of them for a plan not begun)
---@param steps table[] all the plan's steps
---@param opts table the parsed options (concurrency, script)
---@return string[] changes one line each
---@return table state the account as read (flireo.snapshot's shape)
function drift.changes(client, remaining, steps, opts)
  -- keys: the assistants of the steps left; left_as: where the plan leaves each of the others.
  local only, first, named, keys, left_as = {assistants = {}, numbers = {}}, {}, {}, {}, {}
  for _, step in ipairs(steps) do left_as[step.key] = step.after and step.after.number_id or false end
  for _, step in ipairs(remaining) do
    keys[step.key], only.assistants[step.key] = true, true
    first[step.key] = first[step.key] or step
    -- named: the assistants a step left releases, each with the number it releases it from.
    for _, r in ipairs(step.releases or {}) do
      named[r.assistant], only.assistants[r.assistant] = r.number_id or true, true
    end
  end
  local state = links.snapshot(client, {only = only, concurrency = math.min(opts.concurrency or 8, 16),
    progress = opts.script .. ": reading the account"})
  local function show(id) return id and (state.numbers[id] or id) or "no number" end
  -- Whether the plan links a default number, and whether a step left does (it releases
  -- whoever is on one then, named or not).
  local links_default, releasing = false, false
  for _, step in ipairs(steps) do
    if step.after and state.default[step.after.number_id] then links_default = true end
  end
  for _, step in ipairs(remaining) do
    if step.after and state.default[step.after.number_id] then releasing = true end
  end
  local changes = {}
  for _, step in ipairs(remaining) do
    local aid = step.key
    if first[aid] == step then
      local now, before = state.assistants[aid], step.before and step.before.number_id or false
      local released = now == false and before and state.default[before] and links_default
      if now == nil then
        changes[#changes + 1] = ("%s is no longer in the account"):format(aid)
      elseif now ~= before and now ~= (step.after and step.after.number_id or false) and not released then
        changes[#changes + 1] = ("%s is on %s, where the plan has %s"):format(aid, show(now),
          step.before and step.before.number or show(before))
      end
    end
  end
  if releasing then
    -- (One whose steps are done and left it there is the plan's own doing.)
    for aid in pairs(state.on_default) do
      if not named[aid] and not keys[aid] and left_as[aid] ~= state.assistants[aid] then
        changes[#changes + 1] = ("%s is on a shared default number now: a step would release it, and the plan does not "
          .. "name it"):format(aid)
      end
    end
    -- (One on no number was released: by a default link of the plan sent before, in doubt.)
    for aid, from in pairs(named) do
      local now = state.assistants[aid]
      if not keys[aid] and now and (not state.on_default[aid] or (from ~= true and now ~= from)) then
        changes[#changes + 1] = ("%s, which the plan releases from %s, is on %s now"):format(aid,
          from ~= true and show(from) or "a shared default number", show(now))
      end
    end
  end
  table.sort(changes)
  return changes, state
end

--- Lines of `drift.changes`, the first ten and how many more.
---@param changes string[]
---@return string
function drift.listed(changes)
  local shown = {}
  for i = 1, math.min(10, #changes) do shown[i] = "  " .. changes[i] end
  if #changes > 10 then shown[#shown + 1] = ("  … and %d more"):format(#changes - 10) end
  return table.concat(shown, "\n")
end

--- How many of the steps left the account already shows made: requests an interrupted run
--- sent whose answers it never journaled. An assistant's steps run in order, so where the
--- account has it says how many of them are made (a cycle's break, and not its link back:
--- one). Resuming sends them again, idempotently (`ensure`), and journals them.
---@param remaining table[] the steps left
---@param state table the account, as drift.changes read it
---@return integer made
function drift.already_made(remaining, state)
  local by_key = {}
  for _, step in ipairs(remaining) do
    local list = by_key[step.key] or {}
    by_key[step.key], list[#list + 1] = list, step
  end
  local made = 0
  for key, list in pairs(by_key) do
    local now = state.assistants[key]
    for k = #list, 1, -1 do
      if now == (list[k].after and list[k].after.number_id or false) then
        made = made + k
        break
      end
    end
  end
  return made
end

return drift
