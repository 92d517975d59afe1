-- Every method yields through the scheduler: parallel overlaps requests.
test("32 assistants' phones in parallel overlap on the server", function()
  reset()
  local all = flireo.assistants({page_size = 100}):list()
  local items = {}
  for i = 1, 32 do items[i] = all[(i - 1) % #all + 1] end
  local results, failures = flireo.parallel(items, function(a) return a:phone() or false end, {concurrency = 32})
  eq(failures, nil, "no failures")
  eq(#results, 32, "every result")
  local s = stats()
  assert(s.max_in_flight >= 16, "max in flight " .. s.max_in_flight)
end)

test("two clients in one script: one reads, the other writes", function()
  reset()
  local fx = fixture()
  local reader = flireo.connect({base_url = SANDBOX_URL, api_key_env = "OTHER_SANDBOX_KEY", rate_limit = "off", dry_run = true})
  eq(reader.config.dry_run, true, "reader dry")
  eq(flireo.config.dry_run, false, "writer live")
  local target = reader.assistant(fx.assistant_without_number)
  local planned = target:link(fx.free_custom_number)
  eq(planned.dry_run, true, "planned")
  eq(flireo.assistant(fx.assistant_without_number):phone(), nil, "nothing sent by the reader")
  flireo.assistant(fx.assistant_without_number):link(fx.free_custom_number)
  eq(target:phone().id, fx.free_custom_number, "the writer's link is seen through the reader")
  eq(target == flireo.assistant(fx.assistant_without_number), true, "same server, same assistant")
end)

test("a failure inside a task names the task's line, never the library's", function()
  reset()
  local a = flireo.assistant("00000000-0000-4000-8000-000000000000")
  local _, tail = flireo.parallel({a}, function(x) return x:phone() end)
  eq(tail[1].code, "not_found", "code")
  eq(tail[1].where, nil, "a tail call left no caller: no position rather than a library's")
  local _, plain = flireo.parallel({a}, function(x) local p = x:phone() return p end)
  assert(plain[1].where and plain[1].where:find("test_concurrency.lua:%d+$"), tostring(plain[1].where))
end)

test("an iterator that fails ends parallel with its error, carrying the items that ran (QA round 28)", function()
  local _, sample = pcall(flireo.assistant, "not-a-uuid")
  local mt = getmetatable(sample)
  local n = 0
  local function items()
    n = n + 1
    if n > 3 then error(setmetatable({code = "server_error", message = "page lost"}, mt), 0) end
    return n
  end
  local ok, err = pcall(parallel, items, function(x) if x == 2 then error("two", 0) end return x * 10 end, {concurrency = 2})
  eq(ok, false, "raised")
  eq(err.code, "server_error", "the iterator's error")
  eq(err.results[1], 10, "results kept")
  eq(err.results[3], 30, "results kept")
  eq(err.failures[2], "two", "failures kept")
  assert(tostring(err.where):find("test_concurrency%.lua:%d+$"), tostring(err.where))
end)
