-- Cancelling a task ends its request in flight at once (the sandbox answers after 2 s).
test("task:cancel() ends a link and a phone lookup in flight", function()
  local a = flireo.assistant("660e8400-e29b-41d4-a716-446655440000")
  local started = flireo.clock()
  local link = spawn(function() return a:link("550e8400-e29b-41d4-a716-446655440000") end)
  local phone = spawn(function() return a:phone() end)
  sleep(0.2)
  link:cancel()
  phone:cancel()
  for _, t in ipairs({link, phone}) do
    local ok, err = pcall(t.wait, t)
    eq(ok, false, "cancelled")
    eq(err.code, "cancelled", "a structured error")
    assert(tostring(err):match("cancelled: the task was cancelled$"), tostring(err))
  end
  assert(flireo.clock() - started < 1.5, "ended before the server answered")
end)
