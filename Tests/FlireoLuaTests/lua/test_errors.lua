-- Every error code reachable from Lua, with its fields.
local fx = fixture()
local unknown = "00000000-0000-4000-8000-000000000000"

test("errors carry code, status, message, method, path and the caller's position", function()
  reset()
  local ok, e = pcall(function() return flireo.assistant(unknown):phone() end)
  eq(ok, false, "raised")
  eq(e.code, "not_found", "code")
  eq(e.status, 404, "status")
  eq(e.method, "GET", "method")
  eq(e.path, "/v1/assistants/" .. unknown .. "/phone-number", "path")
  eq(type(e.message), "string", "message")
  assert(e.where:match("test_errors%.lua:%d+$"), "where: " .. tostring(e.where))
  eq(tostring(e), ("%s: not_found (404): %s — GET %s"):format(e.where, e.message, e.path), "one line")
  eq("failed: " .. e, "failed: " .. tostring(e), "joined with .. as its one line")
  eq(e .. "!", tostring(e) .. "!", "on either side")
end)

test("forbidden, already_in_use, already_linked, no_phone_number", function()
  reset()
  local free = flireo.assistant(fx.assistant_without_number)
  eq(raises("forbidden", free.link, free, fx.foreign_number).status, 403, "forbidden")
  eq(raises("already_in_use", free.link, free, fx.linked_custom_number).status, 400, "already_in_use")
  local holder = flireo.assistant(fx.assistant_with_custom_number)
  eq(raises("already_linked", holder.link, holder, fx.linked_custom_number).status, 400, "already_linked")
  eq(raises("no_phone_number", free.unlink, free).status, 400, "no_phone_number")
  eq(raises("not_found", free.link, free, unknown).status, 404, "unknown number")
  -- The messages are the linking page's, as a dry run predicts them (test_dryrun.lua).
  eq(raises("already_in_use", free.link, free, fx.linked_custom_number).message, "Custom phone number is linked to another assistant", "message")
  eq(raises("already_linked", holder.link, holder, fx.linked_custom_number).message, "Phone number already linked to this assistant", "message")
  eq(tostring(raises("no_phone_number", free.unlink, free)):match("no_phone_number %(400%): No phone number to unlink — DELETE /v1/assistants/%S+/phone%-number$") ~= nil, true, "one line")
end)

test("argument mistakes raise invalid_parameters before any request", function()
  reset()
  local o = flireo.orders():list()[1]  -- an order to call wait on below
  local before = stats().requests
  local e = raises("invalid_parameters", flireo.assistant, "not-a-uuid")
  assert(e.message:match("^Invalid 'id': expected a UUID"), e.message)
  local a = flireo.assistant(fx.assistant_without_number)
  e = raises("invalid_parameters", a.link, a, "0612345678")
  assert(e.message:find("^Invalid 'number': expected a phone number id, an E.164 number %(%+, then 7 to 15 digits, no spaces: "
    .. "%+31201234567%) or a phone number table, got \"0612345678\""), e.message)
  e = raises("invalid_parameters", a.link, a, "office")
  assert(e.message:match("^Invalid 'number': expected a phone number id, an E.164 number or a phone number table"), e.message)
  raises("invalid_parameters", a.link, a, {})
  for _, limit in ipairs({2.5, 0, 51, 1e300, 0/0, "3"}) do
    raises("invalid_parameters", flireo.available_numbers, {limit = limit})
  end
  for _, size in ipairs({2.5, 0, 101, math.huge}) do
    raises("invalid_parameters", flireo.assistants, {page_size = size})
  end
  raises("invalid_parameters", a.link, a, fx.free_custom_number, {force = true})
  -- An argument too many is said, not dropped (a nil passed on by a wrapper is none).
  e = raises("invalid_parameters", flireo.assistant, fx.assistant_without_number, "extra")
  eq(e.message, "too many arguments to flireo.assistant: it takes (id), got 2", "counted")
  e = raises("invalid_parameters", a.phone, a, 1)
  eq(e.message, "too many arguments to assistant:phone: it takes no arguments, got 1", "a method")
  raises("invalid_parameters", a.link, a, fx.free_custom_number, {ensure = true}, "more")
  raises("invalid_parameters", a.unlink, a, nil, true)
  raises("invalid_parameters", a.get, a, {})
  raises("invalid_parameters", flireo.phone_numbers, {}, 2)
  raises("invalid_parameters", flireo.connect, {}, 2)
  raises("invalid_parameters", flireo.phone_number, fx.free_custom_number, true)
  eq(flireo.assistant(fx.assistant_without_number, nil).id, fx.assistant_without_number, "a trailing nil is no argument")
  -- A wait the server asked for is part of the one line, as a person reads it.
  local mt = getmetatable(e)
  eq(tostring(setmetatable({code = "rate_limit_exceeded", status = 429, message = "slow down", retry_after = 31536000,
    method = "GET", path = "/v1/x"}, mt)), "rate_limit_exceeded (429): slow down (retry after 365 days) — GET /v1/x", "days")
  eq(tostring(setmetatable({code = "rate_limit_exceeded", message = "m", retry_after = 1.5}, mt)),
    "rate_limit_exceeded: m (retry after 1.5 s)", "seconds")
  eq(tostring(setmetatable({code = "rate_limit_exceeded", message = "m", retry_after = 150}, mt)),
    "rate_limit_exceeded: m (retry after 2.5 min)", "minutes")
  -- The scheduler's functions, inspect and bulk.run too.
  e = raises("invalid_parameters", flireo.inspect, {}, {}, 1)
  eq(e.message, "too many arguments to flireo.inspect: it takes (value [, opts]), got 3", "inspect")
  raises("invalid_parameters", require("flireo.bulk").run, {1}, function() end, {quiet = true}, 1)
  -- inspect shows a chain of 100,000 tables down to 500 levels, even with all (QA round 28: a stack overflow).
  local deep = {}
  local link = deep
  for _ = 1, 100000 do link[1] = {}; link = link[1] end
  local shown = flireo.inspect(deep, {all = true})
  assert(shown:find("{…}", 1, true) and select(2, shown:gsub("{", "")) <= 502, #shown)
  -- And the collections', an order's wait and the clock (QA round 28).
  local c = flireo.assistants()
  e = raises("invalid_parameters", c.list, c, 5)
  eq(e.message, "too many arguments to collection:list: it takes no arguments, got 1", "list")
  raises("invalid_parameters", c.count, c, 5)
  e = raises("invalid_parameters", flireo.clock, 1)
  eq(e.message, "too many arguments to flireo.clock: it takes no arguments, got 1", "clock")
  eq(type(flireo.clock()), "number", "the clock without")
  raises("invalid_parameters", o.wait, o, nil, 5)
  local ok, why = pcall(parallel, {1}, function() end, nil, 1)
  assert(not ok and tostring(why):find("bad argument #4 to 'parallel' (no more arguments expected", 1, true), tostring(why))
  ok, why = pcall(sleep, 0, "x")
  assert(not ok and tostring(why):find("bad argument #2 to '.-sleep' %(no more arguments expected"), tostring(why))
  eq(select("#", parallel({1}, function() end, nil, nil)), 2, "a trailing nil is none for parallel either")
  raises("invalid_parameters", flireo.phone_numbers, {page_size = 0})
  raises("invalid_parameters", flireo.phone_numbers, {available = "yes"})
  raises("invalid_parameters", flireo.order_number, "123")
  raises("invalid_parameters", flireo.order_number, "+3")
  raises("invalid_parameters", a.link, a, "+31")
  e = raises("invalid_parameters", flireo.verification_groups, {status = {"approved"}})
  assert(e.message:find("'opts.status'", 1, true), e.message)
  raises("invalid_parameters", flireo.orders, {status = 1})
  raises("invalid_parameters", flireo.orders, {status = "done"})
  e = raises("invalid_parameters", flireo.verification_groups, {type = "bogus"})
  eq(e.message, [[Invalid 'opts.type': expected one of local, mobile, national, got "bogus"]], "named as Lua names it")
  raises("invalid_parameters", flireo.available_numbers, {query = "abc"})
  raises("invalid_parameters", flireo.available_numbers, {verification_group = fx.approved_group, type = "mobile"})
  local e = raises("invalid_parameters", flireo.available_numbers, {type = "local"})
  assert(e.message:find("with opts.verification_group", 1, true), e.message)
  e = raises("invalid_parameters", flireo.assistants, {page_size = 0})
  assert(e.message:find("got 0", 1, true), e.message)
  e = raises("invalid_parameters", flireo.assistant, "a" .. ("é"):rep(30))
  assert(utf8.len(e.message), "a cut quotation stays valid UTF-8: " .. e.message)
  e = raises("invalid_parameters", flireo.assistant, "Bearer sk_sandbox_0123456789abcdef")
  assert(not e.message:find("0123456789abcdef", 1, true), e.message)
  local orders = flireo.orders()
  e = raises("invalid_parameters", orders.list)
  assert(e.message:find("with ':'", 1, true), e.message)
  -- flireo:assistants() for flireo.assistants(): the client came as an argument.
  for _, call in ipairs({
    function() return flireo:assistants() end, function() return flireo:phone_numbers({available = true}) end,
    function() return flireo:assistant(fx.assistant_without_number) end,
  }) do
    local ok, err = pcall(call)
    eq(ok, false, "refused")
    eq(err.code, "invalid_parameters", tostring(err))
    assert(err.message:find("got the flireo client itself: call its functions with '.', not ':'", 1, true), err.message)
  end
  local _, named = pcall(function() local c = flireo:phone_numbers({available = true}) return c end)
  assert(named.message:find("(flireo.phone_numbers(…), not flireo:phone_numbers(…))", 1, true), named.message)
  raises("invalid_parameters", flireo.create_verification_group, {type = "local", name = "x", descripton = "typo"})
  raises("invalid_parameters", flireo.request, "FETCH", "/v1/assistants")
  eq(stats().requests, before, "nothing sent")
end)

test("the server's invalid_parameters, insufficient_credits and invalid_status", function()
  reset()
  local e = raises("invalid_parameters", flireo.request, "POST",
    "/v1/assistants/" .. fx.assistant_without_number .. "/phone-number", {phone_number_id = "nope"})
  eq(e.status, 400, "status")
  flireo.request("PUT", "/_sandbox/credits", {credits = 0})
  local available = flireo.available_numbers({type = "national", limit = 1})
  eq(raises("insufficient_credits", flireo.order_number, available[1].number).status, 402, "402")
  flireo.request("PUT", "/_sandbox/credits", {credits = 100})
  local group_numbers = flireo.available_numbers({verification_group = fx.approved_group, limit = 1})
  eq(raises("invalid_status", flireo.order_number, group_numbers[1].number,
    {verification_group = fx.pending_group}).status, 400, "invalid_status")
end)

test("a wrong key is unauthorized; a missing key variable is a configuration error", function()
  local other = flireo.connect({base_url = SANDBOX_URL, api_key_env = "OTHER_SANDBOX_KEY", rate_limit = "off"})
  eq(#other.assistants({page_size = 1}):list() > 0, true, "the other client works")
  local wrong = flireo.connect({base_url = SANDBOX_URL, api_key_env = "WRONG_KEY", rate_limit = "off"})
  local u = raises("unauthorized", function() return wrong.assistants():list() end)
  eq(u.status, 401, "401")
  assert(not tostring(u):find("sk_wrong_key", 1, true), "the key never shows")
  -- Errors of work shared between callers (pages, the number index) name each caller's line.
  local closed = flireo.connect({base_url = "http://127.0.0.1:1", api_key_env = "OTHER_SANDBOX_KEY", rate_limit = "off"})
  local reads = {  -- (no tail calls: a tail call leaves no line of its own)
    function() local r = closed.assistants():list() return r end,
    function() for _ in closed.phone_numbers() do end end,
    function() local r = closed.phone_number("+31201234567") return r end,
    function() local r = closed.assistant(fx.assistant_without_number):link("+31201234567") return r end,
  }
  for i, read in ipairs(reads) do
    local e = raises("connection_failed", read)
    local line = debug.getinfo(read, "S").linedefined
    assert(tostring(e.where):match("test_errors%.lua:" .. line .. "$"), ("where of read %d: %s"):format(i, tostring(e.where)))
    assert(tostring(e):find(e.where, 1, true) == 1, tostring(e))
  end
  local e = raises("configuration", flireo.connect, {base_url = SANDBOX_URL, api_key_env = "NO_SUCH_VARIABLE", rate_limit = "off"})
  assert(e.message:match("NO_SUCH_VARIABLE"), e.message)
  -- A key given where a URL or a profile name belongs is never quoted back.
  local key = "sk_test_secret_0123456789"
  for _, opts in ipairs({{base_url = key}, {profile = key}, {base_url = SANDBOX_URL, rate_limit = key}}) do
    local ok, err = pcall(flireo.connect, opts)
    eq(ok, false, "refused")
    assert(not tostring(err):find("0123456789", 1, true), tostring(err))
  end
  -- A key of any format, once the process holds it, is not quoted back either.
  local odd = os.getenv("ODD_KEY")
  flireo.connect({base_url = SANDBOX_URL, api_key_env = "ODD_KEY", rate_limit = "off"})
  for _, attempt in ipairs({
    function() return flireo.connect({base_url = "http://" .. odd}) end,
    function() return flireo.assistant(odd) end,
    function() return flireo.phone_number("x" .. odd) end,
  }) do
    local ok, err = pcall(attempt)
    eq(ok, false, "refused")
    assert(not tostring(err):find("2718281828", 1, true), tostring(err))
  end
  -- A bad rate limit given to connect is an argument mistake, as a wrong type there is.
  local limit = raises("invalid_parameters", flireo.connect, {base_url = SANDBOX_URL, api_key_env = "OTHER_SANDBOX_KEY",
    rate_limit = "fast"})
  assert(limit.message:find("connect{rate_limit}", 1, true), limit.message)
  eq(limit.details.parameter, "opts.rate_limit", "the parameter named")
  local typo = raises("invalid_parameters", flireo.connect, {api_key = "x"})
  eq(typo.message, [[Invalid 'opts': unknown option "api_key" (options: api_key_env, base_url, dry_run, profile, rate_limit)]],
    "an unknown option is named")
end)

test("flireo.try is the non-raising twin", function()
  reset()
  local ok, e = flireo.try(function() return flireo.assistant(unknown):get() end)
  eq(ok, false, "ok")
  eq(e.code, "not_found", "code")
  local ok2, n = flireo.try(function() return flireo.assistant(fx.assistant_with_custom_number):phone().id end)
  eq(ok2, true, "ok")
  eq(n, fx.linked_custom_number, "result")
  -- Every result: parallel's failures are not lost.
  local ok3, results, failures = flireo.try(parallel, {1, 2}, function(x) if x == 2 then error("bad", 0) end return x end)
  eq(ok3, true, "parallel returned")
  eq(results[1], 1, "its results")
  eq(type(failures), "table", "and its failures")
  eq(failures[2], "bad", "the failure of item 2")
  eq(select("#", flireo.try(function() return 1, 2, 3 end)), 4, "every value")
end)

test("options are checked under the names Lua code uses", function()
  reset()
  local before = mutations(stats())
  local a = flireo.assistant(fx.assistant_with_custom_number)
  local e = raises("invalid_parameters", a.link, a, fx.linked_custom_number, {ensure = "yes"})
  assert(e.message:find("'opts.ensure'", 1, true), e.message)
  raises("invalid_parameters", a.unlink, a, {ensure = 1})
  e = raises("invalid_parameters", flireo.orders, {verification_group = "nope"})
  assert(e.message:find("'opts.verification_group'", 1, true), e.message)
  e = raises("invalid_parameters", flireo.order_number, "+31201234567", {type = "local"})
  assert(e.message:find("'opts.verification_group'", 1, true), e.message)
  -- A group orders local numbers only, as it searches them.
  e = raises("invalid_parameters", flireo.order_number, "+31612345678", {type = "mobile", verification_group = fx.approved_group})
  assert(e.message:find("'opts.type'", 1, true) and e.message:find("its numbers are local", 1, true), e.message)
  -- Structured errors also for what the natives check.
  e = raises("invalid_parameters", flireo.create_verification_group, {type = "local", name = "Shop", city = " "})
  -- Every missing field at once, not one per run.
  eq(e.message, "Invalid 'fields': 9 required fields are missing or empty: business_name, city, contact_person_first_name, "
    .. "contact_person_last_name, contact_person_phone, house_number, postal_code, province, street_name", "all named")
  e = raises("invalid_parameters", flireo.request, "GET", "/v1/assistants", nil, {headers = {Authorization = "x"}})
  assert(e.message:find("takes (method, path [, body])", 1, true), e.message)
  -- A wrapper passing its arguments through, nils included, is fine.
  local function wrapped(m, p, b, o) return flireo.request(m, p, b, o) end
  eq(type(wrapped("GET", "/v1/assistants?limit=1", nil, nil).data), "table", "nil fourth argument")
  e = raises("invalid_parameters", flireo.request, "POST", "/v1/verification-groups", {f = print})
  assert(e.message:find("cannot be sent as JSON", 1, true), e.message)
  -- An id in capitals is the same number.
  eq(flireo.phone_number(fx.linked_custom_number:upper()).id, fx.linked_custom_number, "upper-case id")
  -- The library's modules check their arguments as the API does, at the caller's line.
  local snapshot, csv = require "flireo.snapshot", require "flireo.csv"
  e = raises("invalid_parameters", snapshot.read, nil)
  assert(e.message:find("Invalid 'client'", 1, true), e.message)
  e = raises("invalid_parameters", snapshot.read, flireo, {nams = true})
  assert(e.message:find("nams", 1, true), e.message)
  e = raises("invalid_parameters", csv.open, nil)
  assert(e.message:find("Invalid 'path'", 1, true), e.message)
  -- flireo.inspect's options are the API's arguments: invalid_parameters at the caller's line (QA round 28).
  e = raises("invalid_parameters", function() local s = flireo.inspect({}, {bogus = 1}) return s end)
  assert(e.message:find("Invalid 'opts': unknown option bogus", 1, true), e.message)
  assert(tostring(e.where):find("test_errors%.lua:%d+$"), tostring(e.where))
  e = raises("invalid_parameters", flireo.inspect, {}, 5)
  assert(e.message:find("Invalid 'opts': table expected, got number", 1, true), e.message)
  eq(mutations(stats()) - before, 0, "nothing was sent")
end)
