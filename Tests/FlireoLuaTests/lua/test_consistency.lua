-- What the client knows stays true: caches after its own mutations, a collection read by
-- several tasks, one object per assistant, predictions after real changes.
local fx = fixture()

test("one object per assistant: the same id (in any case) is the same table key", function()
  reset()
  local a = flireo.assistant(fx.assistant_with_custom_number)
  local seen = {[a] = true}
  eq(seen[flireo.assistant(fx.assistant_with_custom_number:upper())], true, "the same object")
  local found
  for listed in flireo.assistants({page_size = 100}) do
    if seen[listed] then found = listed end
  end
  eq(rawequal(found, a), true, "a listed assistant is the same object too")
  eq(a.id, fx.assistant_with_custom_number, "ids in lower case")
end)

test("a collection read by several tasks hands out each item once", function()
  reset()
  local c = flireo.assistants({page_size = 4})
  local seen, handed = {}, 0
  local tasks = {}
  for w = 1, 4 do
    tasks[w] = spawn(function()
      for a in c do
        handed = handed + 1
        assert(not seen[a.id], "handed out twice: " .. a.id)
        seen[a.id] = true
      end
    end)
  end
  for _, t in ipairs(tasks) do t:wait() end
  eq(handed, flireo.assistants():count(), "every assistant once")
end)

test("parallel takes a lazy collection and fetches its pages as the tasks go", function()
  reset()
  local total = flireo.assistants():count()
  local results, failures = flireo.parallel(flireo.assistants({page_size = 7}), function(a, i)
    return a.id
  end, {concurrency = 5})
  eq(failures, nil, "no failures")
  eq(#results, total, "every assistant")
  local distinct = {}
  for _, id in ipairs(results) do distinct[id] = true end
  local n = 0
  for _ in pairs(distinct) do n = n + 1 end
  eq(n, total, "each once")
  -- An iterator that fails fails parallel, once: no task calls it again.
  local calls = 0
  local ok, err = pcall(flireo.parallel, function()
    calls = calls + 1
    if calls == 3 then error("page 3 failed", 0) end
    return calls
  end, function(x) sleep(0.01) return x end, {concurrency = 4})
  eq(ok, false, "the iterator's error is parallel's")
  eq(err, "page 3 failed", "as raised")
  eq(calls, 3, "not called after it failed")
  local e = select(2, pcall(flireo.parallel, {1, 2}, print, {conc = 2}))
  assert(tostring(e):find("unknown option conc", 1, true), tostring(e))
  e = select(2, pcall(flireo.parallel, {1, 2}, print, {concurrency = "4"}))
  assert(tostring(e):find("concurrency must be a positive integer", 1, true), tostring(e))
  -- A callable table is a function here, as for flireo.try.
  local doubled = flireo.parallel({1, 2}, setmetatable({}, {__call = function(_, x) return 2 * x end}))
  eq(doubled[2], 4, "a callable table as fn")
  e = select(2, pcall(flireo.parallel, {a = 1}, print))
  assert(tostring(e):find("a sequence expected", 1, true), tostring(e))
  -- A search that found nothing is an empty list, not a mistake (its total is a field).
  local none = flireo.available_numbers({query = "999999999", limit = 5})
  eq(#none, 0, "nothing found")
  eq(#flireo.parallel(none, function(x) return x end), 0, "an empty result runs nothing")
end)

test("the number index follows the client's own links: availability, holder, origin", function()
  reset()
  local a = flireo.assistant(fx.assistant_without_number)
  local free = flireo.phone_number(fx.free_custom_number)
  eq(free.available, true, "free before")
  eq(type(free.raw), "table", "the server's object is kept")
  local r = a:link(fx.free_custom_number)
  eq(r.phone_number.origin, "custom", "a link by id has its origin from the index")
  local after = flireo.phone_number(fx.free_custom_number)
  eq(after.available, false, "taken after the link")
  eq(after.linked_assistant.id, a.id, "held by the assistant")
  a:unlink()
  eq(flireo.phone_number(fx.free_custom_number).available, true, "free again after the unlink")
end)

test("the number index follows what a later list or a refusal shows of others' links", function()
  reset()
  flireo.config.warnings = false
  local other = flireo.connect{}  -- another client of the account: a colleague, another process
  other.config.warnings = false
  local a = flireo.assistant(fx.assistant_without_number)
  eq(flireo.phone_number(fx.free_custom_number).available, true, "free when the index is loaded")
  other.assistant(fx.assistant_without_number):link(fx.free_custom_number)
  -- Refused by the server: phone_number() says who holds it now.
  local b = flireo.assistant(fx.assistants_on_default_number[1])
  raises("already_in_use", b.link, b, fx.free_custom_number)
  local n = flireo.phone_number(fx.free_custom_number)
  eq(n.available, false, "taken, as the refusal said")
  eq(n.linked_assistant.id, a.id, "by the holder the refusal named")
  other.assistant(fx.assistant_without_number):unlink()
  eq(flireo.phone_number(fx.free_custom_number).available, false, "another client's unlink is not seen yet")
  for _ in flireo.phone_numbers() do end
  n = flireo.phone_number(fx.free_custom_number)
  eq(n.available, true, "a list read since shows it free")
  eq(n.linked_assistant, nil, "and held by nobody")
  -- The client's own link names the holder as the assistant object knows it.
  a:get()
  a:link(fx.free_custom_number)
  eq(flireo.phone_number(fx.free_custom_number).linked_assistant.name, a.name, "the holder's name")
  a:unlink()
end)

test("a dry run after real changes predicts from the changed state", function()
  reset()
  local a = flireo.assistant(fx.assistant_without_number)
  local b = flireo.assistant(fx.assistants_on_default_number[1])
  flireo.config.dry_run = true
  -- The plan reads the account now: the number is free.
  eq(b:link(fx.free_custom_number).dry_run, true, "predicted free")
  flireo.config.dry_run = false
  a:link(fx.free_custom_number)
  flireo.config.dry_run = true
  local ok, e = pcall(b.link, b, fx.free_custom_number)
  flireo.config.dry_run = false
  eq(ok, false, "predicted to fail")
  eq(e.code, "already_in_use", "as the server would answer")
  raises("already_in_use", b.link, b, fx.free_custom_number)
end)

test("a shared default number's holder follows the client's own links, real and planned", function()
  reset()
  flireo.config.warnings = false
  local function listed(id)
    for n in flireo.phone_numbers() do if n.id == id then return n end end
  end
  local function server_holder(id)
    for _, n in ipairs(flireo.request("GET", "/v1/phone-numbers?limit=100&include_default=true").data) do
      if n.id == id then return type(n.linked_assistant) == "table" and n.linked_assistant.id or nil end
    end
  end
  local d = fx.default_numbers[1]
  local a = flireo.assistant(fx.assistant_without_number)
  flireo.phone_number(d)  -- the index is loaded before the link
  -- Planned: the holder moves in phone_number() and in the list; the number stays available.
  flireo.config.dry_run = true
  a:link(d)
  eq(flireo.phone_number(d).linked_assistant.id, a.id, "planned holder in phone_number()")
  eq(listed(d).linked_assistant.id, a.id, "planned holder in the list")
  eq(listed(d).available, true, "a default number stays available")
  flireo.config.dry_run = false
  -- Real: the index follows, as the server answers.
  a:link(d)
  eq(server_holder(d), a.id, "the server's holder")
  eq(flireo.phone_number(d).linked_assistant.id, a.id, "holder in phone_number() after the link")
  eq(flireo.phone_number(d).available, true, "still available")
  for _, other in ipairs(fx.default_numbers) do
    if other ~= d then eq(flireo.phone_number(other).linked_assistant, nil, "every other default user was released") end
  end
  a:unlink()
  eq(flireo.phone_number(d).linked_assistant, server_holder(d), "no holder after the unlink")
end)
