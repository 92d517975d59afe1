-- --dry-run: reads are sent, mutations are not; predictions follow the plan.
local fx = fixture()

local function links() return json.encode(flireo.request("GET", "/_sandbox/links").data) end

test("the client is in dry-run mode", function()
  eq(flireo.config.dry_run, true, "dry_run")
end)

test("a misspelled or non-boolean setting is an error, never silently ignored", function()
  local ok, e = pcall(function() flireo.config.dryrun = false end)
  eq(ok, false, "misspelled setting accepted")
  eq(e.code, "invalid_parameters", "code")
  assert(tostring(e):find("settings: dry_run, warnings", 1, true), tostring(e))
  ok, e = pcall(function() flireo.config.dry_run = "false" end)
  eq(ok, false, "a string accepted as a boolean")
  eq(flireo.config.dry_run, true, "dry_run unchanged")
end)

test("link and unlink are predicted, printed, and never sent", function()
  local before = links()
  local s0 = stats()
  local a = flireo.assistant(fx.assistant_without_number)
  local out = captured_stderr(function()
    local r = a:link(fx.default_numbers[1])
    eq(r.dry_run, true, "dry_run")
    eq(r.released_assistants, 3, "released predicted")
    local h = flireo.assistant(fx.assistant_with_custom_number)
    local u = h:unlink()
    eq(u.unlinked_phone_number.id, fx.linked_custom_number, "unlink predicted")
    local r2 = a:link(fx.linked_custom_number)
    eq(r2.previous_phone_number_id, fx.default_numbers[1], "the plan is followed")
    eq(a:phone().id, fx.linked_custom_number, ":phone() shows the plan")
  end)
  local plan_lines = select(2, out:gsub("dry%-run: ", ""))
  eq(plan_lines, 3, "one plan line per mutation:\n" .. out)
  eq(mutations(stats()) - mutations(s0), 0, "no mutation reached the server")
  eq(links(), before, "the account is unchanged")
end)

test("predicted errors are the server's", function()
  local a = flireo.assistant(fx.assistant_without_number)
  local other = flireo.assistant(fx.assistants_on_default_number[1])
  raises("already_in_use", other.link, other, fx.linked_custom_number)
  -- Released by the planned link of a default number above: nothing left to unlink.
  local released = flireo.assistant(fx.assistants_on_default_number[2])
  local e = raises("no_phone_number", released.unlink, released)
  -- In the words, and with the request, of the server's (test_errors.lua).
  eq(tostring(e):match("no_phone_number %(400%): No phone number to unlink — DELETE /v1/assistants/%S+/phone%-number "
    .. "%(predicted by the dry run: nothing was sent%)$") ~= nil, true, tostring(e))
  eq(e.dry_run, true, "a predicted error says so")
  eq(raises("already_in_use", other.link, other, fx.linked_custom_number).method, "POST", "a link's")
  eq(raises("already_in_use", other.link, other, fx.linked_custom_number).dry_run, true, "predicted")
  raises("not_found", released.link, released, "00000000-0000-4000-8000-00000000abcd")
end)

test("orders are predicted too, and nothing is charged", function()
  local number = flireo.available_numbers({type = "national", limit = 1})[1].number
  local order = flireo.order_number(number)
  eq(order.dry_run, true, "dry_run")
  eq(order:wait().dry_run, true, "wait returns the prediction")
  -- What the server would refuse is refused: a number not on offer, or ordered already.
  raises("invalid_parameters", flireo.order_number, number)
  local e = raises("invalid_parameters", flireo.order_number, "+31201234567")
  -- Said as a predicted link error is: the request it stands for, and that nothing was sent.
  eq(e.dry_run, true, "marked as predicted")
  assert(tostring(e):find("— POST /v1/phone-numbers (predicted by the dry run: nothing was sent)", 1, true), tostring(e))
  assert(tostring(e):find('{type = "mobile"}', 1, true), "the same hint as the real run's: " .. tostring(e))
end)

test("replacing flireo.config or flireo.base_url is refused: dry run cannot be dropped by accident", function()
  local before = mutations(stats())
  local e = raises("invalid_parameters", function() flireo.config = {warnings = false} end)
  assert(e.message:find("cannot be replaced", 1, true), e.message)
  eq(flireo.config.dry_run, true, "still dry")
  -- Nor does assigning base_url move the client: refused, and it says what does.
  local url = flireo.base_url
  local moved = raises("invalid_parameters", function() flireo.base_url = "https://elsewhere.example" end)
  assert(moved.message:find("flireo.connect{base_url", 1, true), moved.message)
  eq(flireo.base_url, url, "unchanged")
  assert(url:find("^http://127%.0%.0%.1:%d+$"), url)
  -- A misspelled setting is refused when read, as when set.
  local misspelled = raises("invalid_parameters", function() return flireo.config.dryrun end)
  assert(misspelled.message:find('no setting "dryrun"', 1, true), misspelled.message)
  eq(flireo.assistant(fx.assistant_without_number):link(fx.free_custom_number).dry_run, true, "predicted")
  eq(mutations(stats()) - before, 0, "nothing was sent")
end)

test("default links planned at once release as the server would: everyone, then one", function()
  reset()
  flireo._plan = nil
  local a = flireo.assistant(fx.assistant_without_number)
  local b = flireo.assistant(fx.assistant_with_custom_number)
  local results = flireo.parallel({a, b}, function(x, i) return x:link(fx.default_numbers[i]) end)
  local released = {results[1].released_assistants, results[2].released_assistants}
  table.sort(released)
  eq(released[1], 1, "the second releases the first")
  eq(released[2], 3, "the first releases the fixture's three")
end)

test("a number id in capitals is predicted as the same number", function()
  reset()
  flireo._plan = nil
  local other = flireo.assistant(fx.assistant_without_number)
  raises("already_in_use", other.link, other, fx.linked_custom_number:upper())
  local holder = flireo.assistant(fx.assistant_with_custom_number)
  raises("already_linked", holder.link, holder, fx.linked_custom_number:upper())
end)

test("two links of one assistant planned at once: the second replaces the first", function()
  reset()
  flireo._plan = nil
  local a = flireo.assistant(fx.assistant_without_number)
  local free = flireo.phone_numbers({available = true, include_default = false}):list()
  local targets = {free[1].id, free[2].id}
  -- The number index is read anew (a wait after the assistant's link was read).
  flireo._numbers = nil
  local results
  captured_stderr(function()
    results = flireo.parallel(targets, function(n) return a:link(n) end, {concurrency = 2})
  end)
  -- Whichever was planned second replaced the other, and the plan ends on it.
  local first, second = results[1], results[2]
  if first.previous_phone_number_id ~= nil then first, second = second, first end
  eq(first.previous_phone_number_id, nil, "the first starts from no number")
  eq(second.previous_phone_number_id, first.phone_number.id, "the second replaces the first")
  eq(a:phone().id, second.phone_number.id, "the plan ends on the second")
end)

test("--dry-run holds for every client, and nothing turns it off", function()
  reset()
  local before = mutations(stats())
  local ok, e = pcall(function() flireo.config.dry_run = false end)
  eq(ok, false, "refused")
  eq(e.code, "invalid_parameters", "code")
  eq(flireo.config.dry_run, true, "still on")
  local other = flireo.connect({base_url = SANDBOX_URL, api_key_env = "OTHER_SANDBOX_KEY", rate_limit = "off"})
  eq(other.config.dry_run, true, "a connected client is dry too")
  local a = other.assistants():list()[1]
  local free = other.phone_numbers({available = true}):list()[1]
  local line = captured_stderr(function() eq(a:link(free).dry_run, true, "its link is predicted") end)
  -- Two clients' plan lines are told apart: a connected client's names its server and
  -- its key's variable (two accounts share the API's host), as its tostring does.
  assert(line:find("^dry%-run: link .* %[" .. SANDBOX_URL:gsub("%p", "%%%0") .. ", key %$OTHER_SANDBOX_KEY%]\n$"), line)
  eq(tostring(other), "flireo<" .. SANDBOX_URL .. ", key $OTHER_SANDBOX_KEY>", "tostring")
  assert(not tostring(flireo):find(",", 1, true), tostring(flireo))
  eq(mutations(stats()) - before, 0, "nothing was sent")
  local refused = raises("invalid_parameters", flireo.connect,
    {base_url = SANDBOX_URL, api_key_env = "OTHER_SANDBOX_KEY", rate_limit = "off", dry_run = false})
  assert(refused.message:find("cannot turn it off", 1, true), refused.message)
  -- A bare number is a rate per minute, as in --rate-limit; the caller's table is left alone.
  local opts = {base_url = SANDBOX_URL, api_key_env = "OTHER_SANDBOX_KEY", rate_limit = 120}
  local paced = flireo.connect(opts)
  eq(paced._native.requests_per_second, 2.0, "120 per minute")
  eq(opts.rate_limit, 120, "opts unchanged")
  -- A float with a whole value is the same number; false is off; a fraction is refused.
  eq(flireo.connect({base_url = SANDBOX_URL, api_key_env = "OTHER_SANDBOX_KEY", rate_limit = 60.0})
    ._native.requests_per_second, 1.0, "60.0 per minute")
  eq(flireo.connect({base_url = SANDBOX_URL, api_key_env = "OTHER_SANDBOX_KEY", rate_limit = false})
    ._native.requests_per_second, nil, "false is off")
  local fraction = raises("invalid_parameters", flireo.connect,
    {base_url = SANDBOX_URL, api_key_env = "OTHER_SANDBOX_KEY", rate_limit = 1.5})
  eq(fraction.message, [[Invalid 'opts.rate_limit': expected a whole number of requests per minute, a string such as "5/s", or false (off), got 1.5]], "named")
  -- true is no rate: said with what is accepted.
  local yes = raises("invalid_parameters", flireo.connect, {base_url = SANDBOX_URL, api_key_env = "OTHER_SANDBOX_KEY", rate_limit = true})
  eq(yes.message, [[Invalid 'opts.rate_limit': expected a whole number of requests per minute, a string such as "5/s", or false (off), got true]], "true")
  for _, wrong in ipairs({{}, print, 0/0}) do
    local e = raises("invalid_parameters", flireo.connect, {base_url = SANDBOX_URL, api_key_env = "OTHER_SANDBOX_KEY", rate_limit = wrong})
    assert(e.message:find("expected a whole number of requests per minute", 1, true), e.message)
  end
  -- A URL that names no server is said first, before the key it would need.
  local bad = raises("configuration", flireo.connect, {base_url = "nope"})
  assert(bad.message:find("Invalid base URL", 1, true), bad.message)
end)

test("a dry run's number list follows its planned links", function()
  reset()
  flireo._plan = nil  -- a fresh plan: the tests above planned on this client too
  local before = mutations(stats())
  -- A number the plan frees is listed as available.
  flireo.assistant(fx.assistant_with_custom_number):unlink()
  local freed
  for n in flireo.phone_numbers({include_default = false}) do
    if n.id == fx.linked_custom_number then freed = n end
  end
  eq(freed.available, true, "freed by the planned unlink")
  eq(freed.linked_assistant, nil, "no holder")
  -- "The first free number", three times, as a real run would see it after the links before.
  local taken = {}
  for i, a in ipairs(flireo.assistants({page_size = 3}):list()) do
    if i > 3 then break end
    local n = flireo.phone_numbers({available = true, include_default = false}):list()[1]
    assert(not taken[n.id], "a number the plan already gave away is not offered again")
    taken[n.id] = true
    local ok, r = flireo.try(a.link, a, n)
    eq(ok, true, "predicted like the real run: " .. tostring(r))
  end
  eq(mutations(stats()) - before, 0, "nothing was sent")
end)

test("a dry run's snapshot reads the account as its planned links leave it", function()
  reset()
  flireo._plan = nil
  local snapshot = require "flireo.snapshot"
  local before = mutations(stats())
  local a = flireo.assistant(fx.assistant_without_number)
  local b = flireo.assistant(fx.assistant_with_custom_number)
  a:link(fx.free_custom_number)
  b:unlink()
  local s = snapshot.read(flireo)
  eq(s.assistants[a.id], fx.free_custom_number, "the planned link")
  eq(s.assistants[b.id], false, "the planned unlink")
  eq(s.holder[fx.free_custom_number], a.id, "the planned holder")
  eq(s.holder[fx.linked_custom_number], nil, "the freed number is held by nobody")
  eq(mutations(stats()) - before, 0, "nothing was sent")
end)
