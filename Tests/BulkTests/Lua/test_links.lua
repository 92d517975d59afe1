-- flireo.links: plans ordered against already_in_use, cycles, holders, defaults.
package.path = arg[0]:gsub("[^/]*$", "") .. "?.lua;" .. package.path
local T = require "testing"
local links = require "flireo.links"

--- A state by hand: assistants → number ids; d* numbers are shared defaults.
local function state(assistants)
  local s = {assistants = {}, order = {}, numbers = {}, by_number = {}, default = {}, holder = {}, on_default = {}}
  for a, n in pairs(assistants) do
    s.assistants[a] = n
    s.order[#s.order + 1] = a
  end
  for _, n in ipairs({"n1", "n2", "n3", "n4", "n5", "d1", "d2"}) do
    s.numbers[n] = "+3120000000" .. n:sub(2)
    if n:sub(1, 1) == "d" then s.default[n] = true end
  end
  for a, n in pairs(s.assistants) do
    if n then if s.default[n] then s.on_default[a] = true else s.holder[n] = a end end
  end
  return s
end

local function actions(plan)
  local out = {}
  for i = 1, plan.n do
    local st = links.step(plan, i)
    out[#out + 1] = st.action .. " " .. st.key .. (st.after and " " .. st.after.number_id or "")
  end
  return out
end

--- Wanted links from {assistant, number, line} tables.
local function W(list)
  local w = links.wanted()
  for _, d in ipairs(list) do links.want(w, d.assistant, d.number, d.line) end
  return w
end

--- Plans from {assistant, number, line} tables.
local function plan_of(s, list, opts) return links.plan(s, W(list), opts) end

T.test("unchanged rows are no steps; independent links share phase 0", function()
  local plan = plan_of(state({A = "n1", B = false, C = false}),
    {{assistant = "A", number = "n1"}, {assistant = "B", number = "n2"}, {assistant = "C", number = "n3"}})
  T.eq(plan.unchanged, 1, "unchanged")
  T.eq(actions(plan), {"link B n2", "link C n3"}, "steps")
  T.eq({links.step(plan, 1).phase, links.step(plan, 2).phase, links.step(plan, 1).seq}, {0, 0, 1}, "phases")
end)

T.test("a holder that moves goes first", function()
  local plan = plan_of(state({A = "n1", B = false}),
    {{assistant = "B", number = "n1"}, {assistant = "A", number = "n2"}})
  T.eq(actions(plan), {"link A n2", "link B n1"}, "order")
  T.eq(links.step(plan, 2).dep, 1, "dependency")
end)

T.test("a swap is broken through one unlink; a rotation too", function()
  local plan = plan_of(state({A = "n1", B = "n2"}), {{assistant = "A", number = "n2"}, {assistant = "B", number = "n1"}})
  T.eq(actions(plan), {"unlink A", "link B n1", "link A n2"}, "swap")
  T.ok(links.step(plan, 1).note:find("breaks the cycle A → B → A", 1, true), links.step(plan, 1).note)
  T.eq(links.step(plan, 1).before.number_id, "n1", "the breaker starts from A's number")
  T.eq(links.step(plan, 3).before, nil, "A is linked again from no number")
  -- A long rotation is named by its size, not listed.
  local ring, wanted = {}, {}
  for i = 1, 50 do
    ring["R" .. i] = "m" .. i
    wanted[i] = {assistant = "R" .. i, number = "m" .. (i % 50 + 1)}
  end
  local long = plan_of(state(ring), wanted)
  local note = links.step(long, 1).note
  T.ok(note:find("cycle of 50 assistants", 1, true) and #note < 200, note)
  plan = plan_of(state({A = "n1", B = "n2", C = "n3"}),
    {{assistant = "A", number = "n2"}, {assistant = "B", number = "n3"}, {assistant = "C", number = "n1"}})
  T.eq(actions(plan), {"unlink A", "link C n1", "link B n3", "link A n2"}, "rotation")
  T.eq({links.step(plan, 2).phase, links.step(plan, 3).phase, links.step(plan, 4).phase}, {1, 2, 3}, "phases")
end)

T.test("a holder outside the input: a problem, or unlinked first", function()
  local s = state({A = "n1", B = false})
  local plan, problems = plan_of(s, {{assistant = "B", number = "n1", line = 7}}, {source = "x.csv"})
  T.eq(plan, nil, "no plan")
  T.eq(problems[1].line, 7, "line")
  T.ok(problems[1].message:find("not in x.csv", 1, true), problems[1].message)
  plan = plan_of(s, {{assistant = "B", number = "n1"}}, {outside = "unlink"})
  T.eq(actions(plan), {"unlink A", "link B n1"}, "unlinked first")
end)

T.test("default numbers: releases named; two wanted defaults refused", function()
  local s = state({A = "d1", B = "d1", C = false, D = "n1"})
  local plan = plan_of(s, {{assistant = "C", number = "d2"}})
  T.eq(#links.step(plan, 1).releases, 2, "A and B released")
  T.ok(links.describe(links.step(plan, 1)):find("releases A, B", 1, true), links.describe(links.step(plan, 1)))
  local _, problems = plan_of(s, {{assistant = "C", number = "d2"}, {assistant = "D", number = "d1"}})
  T.ok(#problems >= 1, "two defaults")
  _, problems = plan_of(s, {{assistant = "C", number = "d2"}, {assistant = "A", number = "d1", line = 3}})
  T.ok(#problems >= 1, "a kept default released")
  -- Keeping legacy shared defaults as they are is fine.
  plan = plan_of(s, {{assistant = "A", number = "d1"}, {assistant = "B", number = "d1"}, {assistant = "D", number = "n2"}})
  T.eq(actions(plan), {"link D n2"}, "legacy kept")
end)

T.test("unknown assistants and a number wanted twice are problems", function()
  local _, problems = plan_of(state({A = false, B = false}),
    {{assistant = "Z", number = "n1", line = 2}, {assistant = "A", number = "n2", line = 3}, {assistant = "B", number = "n2", line = 4}})
  T.eq(#problems, 2, "two problems")
end)

T.done()
