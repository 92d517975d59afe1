-- flireo.bulk: concurrency, retries, failures by code, thresholds, phases, journal.
package.path = arg[0]:gsub("[^/]*$", "") .. "?.lua;" .. package.path
local T = require "testing"
local bulk = require "flireo.bulk"
local journal = require "flireo.journal"

local quiet = {quiet = true}
local function opts(extra)
  local o = {quiet = true}
  for k, v in pairs(extra) do o[k] = v end
  return o
end

T.test("runs every item, at most `concurrency` at once", function()
  local running, peak, seen = 0, 0, {}
  local items = {}
  for i = 1, 40 do items[i] = i end
  local s = bulk.run(items, function(item)
    running = running + 1
    peak = math.max(peak, running)
    sleep(0.01)
    running = running - 1
    seen[item] = true
    return item
  end, opts({concurrency = 5}))
  T.eq({s.done, s.failed, s.exit_code}, {40, 0, 0}, "counts")
  T.eq(peak, 5, "peak concurrency")
  for i = 1, 40 do T.ok(seen[i], "item " .. i) end
end)

T.test("retries transient failures, counts the others by code", function()
  local attempts = {}
  local s = bulk.run({"a", "b", "c", "d"}, function(item)
    attempts[item] = (attempts[item] or 0) + 1
    if item == "a" and attempts[item] < 3 then error({code = "server_error", message = "boom"}, 0) end
    if item == "b" then error({code = "already_in_use", message = "taken"}, 0) end
    if item == "c" then error("plain failure") end
    return true
  end, opts({backoff = 0.001}))
  T.eq(attempts.a, 3, "retried twice")
  T.eq(attempts.b, 1, "not retried")
  T.eq({s.done, s.failed, s.exit_code}, {2, 2, 3}, "counts")
  T.eq(s.by_code, {already_in_use = 1, error = 1}, "by code")
  T.ok(bulk.format_summary(s, "unit"):find("already_in_use 1", 1, true), "summary text")
end)

T.test("a retry refused as already_linked after an attempt of unknown outcome is done (QA round 28)", function()
  local attempts, path = {}, T.tmp("unknown.journal.jsonl")
  os.remove(path)
  local j = journal.create(path, {script = "unit"})
  local s = bulk.run({"applied", "plain", "unlinked"}, function(item)
    attempts[item] = (attempts[item] or 0) + 1
    if item == "applied" and attempts[item] == 1 then
      error({code = "server_error", message = "lost", outcome_unknown = true}, 0)
    elseif item == "applied" then
      error({code = "already_linked", message = "already linked"}, 0)
    elseif item == "plain" then
      error({code = "already_linked", message = "already linked"}, 0)  -- no earlier attempt: a failure
    elseif attempts[item] == 1 then
      error({code = "timeout", message = "no answer", outcome_unknown = true}, 0)
    end
    error({code = "no_phone_number", message = "nothing linked"}, 0)
  end, opts({backoff = 0.001, journal = j}))
  j:finish(s)
  T.eq({attempts.applied, attempts.plain, attempts.unlinked}, {2, 1, 2}, "attempts")
  T.eq({s.done, s.failed}, {2, 1}, "the two whose first attempt made the change are done")
  T.eq(s.by_code, {already_linked = 1}, "the plain refusal stays a failure")
  local done = 0
  for line in io.lines(path) do
    local record = json.decode(line)
    if record.outcome == "done" then
      done = done + 1
      T.eq(record.result.reconciled, true, "marked reconciled")
    end
  end
  T.eq(done, 2, "journaled done")
  os.remove(path)
end)

local function holed(n, at)
  local t = {}
  for i = 1, n do t[i] = i end
  t[at] = nil
  return t
end

T.test("an unknown option or a bad argument is an invalid_parameters error naming it, before any item runs", function()
  local ran = 0
  for _, case in ipairs({
    {{1}, function() ran = ran + 1 end, {concurency = 2}, 'unknown option "concurency"'},
    {nil, print, nil, "Invalid 'items'"},
    {{1}, "print", nil, "Invalid 'action'"},
    {{1}, print, {concurrency = 0}, "Invalid 'opts.concurrency'"},
    -- A hole would end the run early without a word, whatever # says of the table.
    {holed(1000, 10), function() ran = ran + 1 end, nil, "item 10 is nil"},
    {holed(3, 2), function() ran = ran + 1 end, nil, "item 2 is nil"},
    {{1, 2, nil, 4}, function() ran = ran + 1 end, nil, "is nil"},
  }) do
    local ok, e = pcall(bulk.run, case[1], case[2], case[3])
    T.eq(ok, false, case[4])
    T.eq(type(e) == "table" and e.code, "invalid_parameters", tostring(e))
    assert(tostring(e):find(case[4], 1, true), tostring(e))
  end
  T.eq(ran, 0, "no item ran")
end)

T.test("a hole the action makes in the items stops the run, said and counted as not started", function()
  local items = {}
  for i = 1, 10 do items[i] = i end
  local s = bulk.run(items, function(x)
    if x == 2 then items[5] = nil end
    return x
  end, opts({concurrency = 1}))
  T.eq({s.done, s.not_started, s.stopped, s.exit_code}, {4, 6, true, 3}, "counts")
  T.eq(s.stop_reason, "item 5 became nil during the run", "reason")
end)

T.test("max_failures stops starting new items", function()
  local started = 0
  local items = {}
  for i = 1, 100 do items[i] = i end
  local s = bulk.run(items, function()
    started = started + 1
    error({code = "not_found"}, 0)
  end, opts({concurrency = 1, max_failures = 3}))
  T.eq({started, s.failed, s.stopped}, {3, 3, true}, "stopped")
  T.eq(s.not_started, 97, "the items never started are counted")
  assert(bulk.format_summary(s):find("3 failed, 97 not started", 1, true), bulk.format_summary(s))
end)

T.test("skip markers, iterator sources and totals", function()
  local n = 0
  local s = bulk.run(function()
    n = n + 1
    if n <= 10 then return n end
  end, function(i)
    if i % 2 == 0 then return bulk.skip("even") end
    return i
  end, opts({total = 10, skipped = 5}))
  T.eq({s.done, s.skipped, s.total}, {5, 10, 15}, "counts")
end)

T.test("phases drain in order; blocked items are held back", function()
  local order, finished = {}, {}
  local items = {
    {key = "a", phase = 0, delay = 0.03}, {key = "b", phase = 0, delay = 0.001},
    {key = "c", phase = 1, dep = "a"}, {key = "d", phase = 1, dep = "x"}, {key = "e", phase = 2},
  }
  local s = bulk.run(items, function(item)
    sleep(item.delay or 0)
    order[#order + 1] = item.key
    finished[item.key] = true
  end, opts({
    concurrency = 4,
    phase = function(item) return item.phase end,
    blocked = function(item) if item.dep and not finished[item.dep] then return "needs " .. item.dep end end,
  }))
  T.eq(order, {"b", "a", "c", "e"}, "order")
  T.eq({s.done, s.blocked, s.exit_code}, {4, 1, 3}, "counts")
end)

T.test("every phase runs at full concurrency, not only the first", function()
  local items, running, peak = {}, 0, {}
  for i = 1, 60 do items[i] = {phase = i <= 20 and 0 or (i <= 40 and 1 or 2)} end
  bulk.run(items, function(item)
    running = running + 1
    peak[item.phase] = math.max(peak[item.phase] or 0, running)
    sleep(0.01)
    running = running - 1
  end, opts({concurrency = 8, phase = function(item) return item.phase end}))
  T.eq({peak[0], peak[1], peak[2]}, {8, 8, 8}, "peak in flight per phase")
end)

T.test("every outcome reaches the journal", function()
  local path = T.tmp("bulk.journal.jsonl")
  os.remove(path)
  local j = journal.create(path, {script = "unit"})
  local steps = {}
  for i = 1, 30 do steps[i] = {seq = i, key = "k" .. i} end
  j:write_plan(steps)
  bulk.run(steps, function(step)
    if step.seq == 7 then error({code = "not_found"}, 0) end
    return {ok = true}
  end, opts({journal = j, sync_every = 4}))
  j:close()
  local state = journal.read(path)
  local done = 0
  for _, o in pairs(state.outcomes) do if o.outcome == "done" then done = done + 1 end end
  T.eq(done, 29, "done")
  T.eq(state.outcomes[7].outcome, "failed", "failed")
  T.eq(state.outcomes[7].error.code, "not_found", "code")
  os.remove(path)
end)

T.test("text that is not UTF-8 in an error or a key is journaled with its bytes as \\xNN; the run goes on (QA round 28)", function()
  local path = T.tmp("latin1.journal.jsonl")
  os.remove(path)
  local j = journal.create(path, {script = "unit"})
  local s = bulk.run({"ok1", "caf\xe9", "ok2"}, function(name)
    if name:find("\xe9") then error("no assistant named " .. name, 0) end
    return {name = name}
  end, opts({journal = j}))
  j:finish(s)
  T.eq({s.done, s.failed, s.exit_code}, {2, 1, 3}, "the run ended with its summary")
  local f = assert(io.open(path))
  local text = f:read("a")
  f:close()
  T.ok(text:find('"key":"caf\\\\xE9","outcome":"failed"', 1, true), text)
  T.ok(text:find('"message":"no assistant named caf\\\\xE9"', 1, true), text)
  T.ok(text:find('"type":"end"', 1, true), "the journal has its end: " .. text)
  os.remove(path)
end)

T.test("bad arguments", function()
  T.raises(function() bulk.run(42, function() end) end, "items")
  T.raises(function() bulk.run({}, nil) end, "action")
  T.raises(function() bulk.run({}, function() end, {concurrency = 0}) end, "concurrency")
end)

T.test("progress: the rate and ETA are those of the last seconds, not of the whole run", function()
  local progress = require "flireo.progress"
  local now = 0
  local p = progress.new("linking", 1000, {terminal = false, every = 1, clock = function() return now end})
  local function at(t, handled)
    now = t
    return (p:status({done = handled, skipped = 0, failed = 0}))
  end
  -- A pacer's first burst: 100 in the first second, then one a second.
  at(1, 100)
  local text
  for t = 2, 40 do text = at(t, 100 + (t - 1)) end
  -- 139 done at 40 s: one a second lately (the whole run's average would say 3/s, and an
  -- ETA of about four minutes instead of fourteen).
  T.ok(text:find("139/1000  13%%  1/s  ETA 14:21", 1, false), text)
end)

T.test("progress on a terminal: the line is cut to its width, so it is redrawn in place", function()
  local progress = require "flireo.progress"
  local system = require "flireo.native.system"
  local columns, stderr = system.columns, io.stderr
  local written = {}
  system.columns = function() return 30 end
  io.stderr = {write = function(_, ...) for _, s in ipairs({...}) do written[#written + 1] = s end end, flush = function() end}
  local ok, e = pcall(function()
    local p = progress.new("reading the account", 100000, {terminal = true, clock = function() return 5 end})
    p:update({done = 51234, skipped = 0, failed = 1234})
  end)
  system.columns, io.stderr = columns, stderr
  assert(ok, tostring(e))
  local text = table.concat(written)
  local line = text:match("^\r(.-)\27%[K$")
  T.ok(line ~= nil, text)
  T.eq(#line, 29, "one column short of the width: " .. line)
end)

T.test("cancelling the task a run waits in stops it: no item starts after, those running are cancelled", function()
  local items = {}
  for i = 1, 30 do items[i] = i end
  local started, finished = 0, 0
  local t = spawn(function()
    return bulk.run(items, function()
      started = started + 1
      sleep(0.03)
      finished = finished + 1
    end, opts({concurrency = 3}))
  end)
  sleep(0.05)
  t:cancel()
  local at_cancel = {started, finished}
  local ok, err = pcall(t.wait, t)
  sleep(0.12)
  T.eq(ok, false, "the run fails")
  T.eq(err.code, "cancelled", "with the cancellation")
  T.ok(at_cancel[1] > 0, "items had started")
  T.eq(started, at_cancel[1], "none after")
  T.eq(finished, at_cancel[2], "none of those running finished")
end)

T.done()
