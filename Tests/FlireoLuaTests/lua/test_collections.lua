-- Lazy collections, E.164 resolution across pages, numbers, orders, groups.
local fx = fixture()

local function route_count(route) return stats().routes[route] or 0 end

test("collections fetch one page at a time", function()
  reset()
  local numbers = flireo.phone_numbers({page_size = 10})
  eq(route_count("GET /v1/phone-numbers"), 0, "nothing before iterating")
  local first = numbers()
  eq(type(first.number), "string", "an item")
  eq(route_count("GET /v1/phone-numbers"), 1, "one page for the first item")
  for _ = 2, 10 do numbers() end
  eq(route_count("GET /v1/phone-numbers"), 1, "still one page for ten items")
  numbers()
  eq(route_count("GET /v1/phone-numbers"), 2, "the second page for the eleventh")
end)

test(":list() takes every page; :count() asks once", function()
  reset()
  local all = flireo.assistants({page_size = 7}):list()
  local total = flireo.assistants():count()
  eq(#all, total, "every assistant")
  eq(#all > 7, true, "several pages")
  local ids = {}
  for _, a in ipairs(all) do
    assert(not ids[a.id], "no duplicates")
    ids[a.id] = true
  end
  local n = 0
  for a in flireo.assistants({page_size = 3}) do n = n + 1 end
  eq(n, total, "iteration sees the same")
end)

test("a list whose total keeps growing ahead of the reader stops with invalid_response, not never", function()
  local collection = require "flireo.core.collection"
  local fetched = 0
  -- Every page is full, and its total one more than what has been listed.
  local c = collection.new(function(limit, offset)
    fetched = fetched + 1
    local items = {}
    for i = 1, limit do items[i] = {id = ("item-%d"):format(offset + i)} end
    return {items = items, total = offset + limit + 1}
  end, 100, function(item) return item end)
  local ok, e = pcall(function() for _ in c do end end)
  eq(ok, false, "it ends")
  eq(e.code, "invalid_response", tostring(e))
  assert(tostring(e.message):find("kept growing while it was read", 1, true), tostring(e))
  assert(fetched <= 15, fetched)
end)

test("a list that changes between its pages says so instead of skipping an item", function()
  reset()
  local c = flireo.assistants({page_size = 5})
  local first = c()
  for _ = 2, 5 do c() end
  -- One assistant of the page read goes before the next page: that page would start an
  -- item late, and one assistant would be skipped.
  flireo.request("DELETE", "/v1/assistants/" .. first.id)
  local ok, e = pcall(c)
  eq(ok, false, "not a silent skip")
  eq(e.code, "inconsistent", tostring(e))
  assert(tostring(e.message):find("changed while it was read", 1, true), tostring(e))
  -- Read again, it is whole: each assistant once.
  local seen, n = {}, 0
  for a in flireo.assistants({page_size = 5}) do
    assert(not seen[a.id], "no duplicates")
    seen[a.id], n = true, n + 1
  end
  eq(n, flireo.assistants():count(), "every assistant")
  -- A server serving one item a page: no overlap (it would bring nothing new), every item.
  flireo.request("PUT", "/_sandbox/faults", {max_page_size = 1})
  local ok2, all = pcall(function() return flireo.assistants({page_size = 5}):list() end)
  flireo.request("PUT", "/_sandbox/faults", {max_page_size = 0})
  eq(ok2, true, tostring(all))
  eq(#all, n, "pages of one")
end)

test("phone number filters and shared default numbers", function()
  reset()
  for n in flireo.phone_numbers({available = true}) do eq(n.available, true, "available") end
  for n in flireo.phone_numbers({type = "mobile"}) do eq(n.type, "mobile", "type") end
  local defaults, origins = 0, {}
  for n in flireo.phone_numbers({include_default = true}) do
    if n.id == fx.default_numbers[1] then defaults = defaults + 1 end
    origins[n.id] = n.origin
  end
  eq(defaults, 1, "default number listed once")
  eq(flireo.phone_number(fx.default_numbers[1]).origin, "default", "origin of a default number")
  for _, id in ipairs(fx.default_numbers) do eq(origins[id], "default", "the list says default too") end
  eq(origins[fx.linked_custom_number], "custom", "and custom for the account's own")
  -- A type the API does not have is an error, not an empty list.
  raises("invalid_parameters", flireo.phone_numbers, {type = "Mobile"})
end)

test("an E.164 number on a late page resolves, once for the run", function()
  reset()
  local all = flireo.phone_numbers({include_default = false, available = true}):list()
  local last = all[#all]
  -- A new client: its number index is cold.
  local fresh = flireo.connect({base_url = SANDBOX_URL, api_key_env = "OTHER_SANDBOX_KEY", rate_limit = "off"})
  local a = fresh.assistant(fx.assistant_without_number)
  local pages_before = route_count("GET /v1/phone-numbers")
  eq(a:link(last.number).phone_number.id, last.id, "resolved")
  a:unlink()
  eq(a:link(last.number).phone_number.id, last.id, "again")
  local pages = route_count("GET /v1/phone-numbers") - pages_before
  assert(pages >= 3, "the index spans several pages: " .. pages)
  a:link(last.number, {ensure = true})
  eq(route_count("GET /v1/phone-numbers") - pages_before, pages, "cached: no more list requests")
end)

test("phone_number by id and by E.164; an unknown number is not_found", function()
  reset()
  local by_id = flireo.phone_number(fx.free_custom_number)
  local by_number = flireo.phone_number(by_id.number)
  eq(by_number.id, by_id.id, "same number")
  raises("not_found", flireo.phone_number, "+319999999999")
end)

test("available numbers, an order and order:wait()", function()
  reset()
  local found = flireo.available_numbers({type = "national", limit = 3})
  eq(#found > 0, true, "some numbers")
  eq(type(found[1].cost.credits), "number", "cost")
  local order = flireo.order_number(found[1].number)
  eq(order.status, "pending", "pending at first")
  eq(order.credits_used, 10, "credits")
  local done = order:wait({interval = 0.2, timeout = 20})
  eq(done.status, "success", "completes")
  eq(flireo.order(order.id).status, "success", "flireo.order")
  local listed = 0
  for o in flireo.orders() do if o.id == order.id then listed = listed + 1 end end
  eq(listed, 1, "listed among the orders")
  eq(flireo.phone_number(found[1].number).number, found[1].number, "the new number is in the account")
  -- A timeout in fractions of a second is a timeout error; polls are bounded.
  local second = flireo.order_number(found[2].number)
  local late = raises("timeout", second.wait, second, {interval = 0.05, timeout = 0.01})
  assert(late.message:find("after 0.01 s", 1, true), late.message)
  raises("invalid_parameters", second.wait, second, {interval = 0})
  raises("invalid_parameters", second.wait, second, {timeout = -1})
  -- A mobile number: ordered as found (its type comes with it); as a bare string it is
  -- ordered as national, and the refusal says so.
  local mobile = flireo.available_numbers({type = "mobile", limit = 2})
  local refused = raises("invalid_parameters", flireo.order_number, mobile[1].number)
  assert(refused.message:find("ordered as a national number", 1, true), refused.message)
  eq(flireo.order_number(mobile[1]).status, "pending", "ordered as found")
  eq(flireo.order_number(mobile[2].number, {type = "mobile"}).status, "pending", "or with its type")
end)

test("verification groups: list, get, create", function()
  reset()
  local groups = flireo.verification_groups():list()
  eq(#groups >= 3, true, "the fixture's groups")
  local approved = flireo.verification_group(fx.approved_group)
  eq(approved.status, "approved", "status")
  local created = flireo.create_verification_group({
    type = "local", name = "Test BV", business_name = "Test BV", contact_person_first_name = "Ada",
    contact_person_last_name = "Lovelace", contact_person_phone = "+31201234567", street_name = "Dam",
    house_number = "1", postal_code = "1012JS", city = "Amsterdam", province = "Noord-Holland",
    description = "the documented optional field",
  })
  eq(type(created.id), "string", "id")
  eq(created.name, "Test BV", "the result has the group's name")
  eq(created.type, "local", "and type")
  eq(created.status, "pending", "and status")
  eq(created.message, "Verification group created", "the server's message, as a link's result has it")
  eq(created.description, "the documented optional field", "the description sent")
  local read = flireo.verification_group(created.id)
  eq(read.status, "pending", "created pending")
  eq(read.description, "the documented optional field", "and read back")
  -- Through a group a number is ordered as local, its type left out.
  local found = flireo.available_numbers({verification_group = fx.approved_group, limit = 1})
  local placed = flireo.order_number(found[1].number, {verification_group = fx.approved_group})
  eq(placed.type, "local", "ordered as local")
end)

test("flireo.request reaches any endpoint and keeps nulls", function()
  reset()
  local body = flireo.request("GET", "/v1/assistants/" .. fx.assistant_without_number .. "/phone-number")
  eq(body.data.phone_number, flireo.null, "null kept as flireo.null")
  eq(flireo.null, json.null, "the same sentinel")
  -- A body on a GET or DELETE is refused before any request.
  local e = raises("invalid_parameters", flireo.request, "GET", "/v1/assistants", {x = 1})
  assert(e.message:find("a GET request takes no body", 1, true), e.message)
  raises("invalid_parameters", flireo.request, "delete", "/v1/assistants/" .. fx.assistant_without_number .. "/phone-number", {})
end)

test("the REPL's printer shows settings, collections and the client without their internals", function()
  local inspect = require "flireo.inspect"
  eq(inspect(flireo.config), "flireo.Config { dry_run = false, warnings = true }", "settings through __pairs")
  local numbers = flireo.phone_numbers({page_size = 10})
  eq(inspect(numbers), "flireo.Collection (pages of 10, 0 read): for x in c do … end, c:list(), c:count()", "a collection")
  numbers()
  eq(inspect(numbers):find("10 read", 1, true) ~= nil, true, inspect(numbers))
  local client = inspect(flireo)
  eq(client:find("_native", 1, true), nil, client)
  eq(client:find("assistant = function", 1, true) ~= nil, true, client)
end)

test(":list() reads from the first page whatever a loop took; a loop consumes", function()
  reset()
  local c = flireo.assistants({page_size = 5})
  local total = c:count()
  eq(#c:list(), total, "first list")
  eq(#c:list(), total, "second list: the same")
  local d = flireo.assistants({page_size = 5})
  for _ in d do break end
  eq(#d:list(), total, "list after a partial loop")
  local rest = 0
  for _ in d do rest = rest + 1 end
  eq(rest, total - 1, "the loop goes on where it stopped")
end)

test("a collection read as a list is an error that says what to use", function()
  local c = flireo.assistants()
  local e = raises("invalid_parameters", function() return #c end)
  assert(e.message:find("c:count()", 1, true), e.message)
  e = raises("invalid_parameters", function() return c[1] end)
  assert(e.message:find("cannot be indexed (c[1])", 1, true), e.message)
  raises("invalid_parameters", function() for _ in ipairs(c) do end end)
  raises("invalid_parameters", function() for _ in pairs(c) do end end)
  -- Its methods, a missing field, and reading it as documented still work.
  eq(c.nope, nil, "a field it does not have")
  eq(#c:list(), c:count(), "list and count")
  local n = 0
  for _ in c do n = n + 1 end
  eq(n, c:count(), "iteration")
end)

test("a server that lists shared numbers apart and serves short pages: the same lists", function()
  reset()
  local function ids(list)
    local set, n = {}, 0
    for _, x in ipairs(list) do
      assert(not set[x.id], "listed once: " .. x.id)
      set[x.id], n = x, n + 1
    end
    return set, n
  end
  local before, count = ids(flireo.phone_numbers():list())
  local own_before, own_count = ids(flireo.phone_numbers({include_default = false}):list())
  local assistants = #flireo.assistants():list()
  -- As the contract's example: defaults only in shared_numbers, counted in meta.total; and
  -- at most 7 items a page, whatever page_size asked (meta.limit says 7).
  flireo.request("PUT", "/_sandbox/faults", {shared_numbers_apart = true, max_page_size = 7})
  local ok, failure = pcall(function()
    local after, n = ids(flireo.phone_numbers({page_size = 10}):list())
    eq(n, count, "every number, the defaults too")
    eq(flireo.phone_numbers():count(), count, "count() agrees")
    for id, number in pairs(before) do
      assert(after[id], "still listed: " .. id)
      if number.origin == "default" then
        eq(after[id].origin, "default", "a default")
        eq(after[id].available, true, "always available")
      end
    end
    local _, own = ids(flireo.phone_numbers({include_default = false}):list())
    eq(own, own_count, "without the defaults")
    eq(#flireo.phone_numbers({available = true, type = "national"}):list() > 0, true, "filters see the defaults")
    eq(#flireo.assistants({page_size = 10}):list(), assistants, "short pages: every assistant")
  end)
  flireo.request("PUT", "/_sandbox/faults", {shared_numbers_apart = false, max_page_size = 0})
  assert(ok, tostring(failure))
  assert(next(own_before))
end)

test("a list that stops short of its total is an error naming it, not a short list", function()
  local collection = require "flireo.core.collection"
  local c = collection.new(function(_, offset)
    if offset == 0 then return {items = {{id = "a"}, {id = "b"}}, total = 5} end
    return {items = {}, total = 5}
  end, 2, function(x) return x end, nil, "/v1/things")
  local e = raises("invalid_response", c.list, c)
  eq(tostring(e):match("the page at offset 2 is empty but meta.total is 5; the list is incomplete — GET /v1/things$") ~= nil,
    true, tostring(e))
  -- A total that counts items listed beside the pages ends at an empty page, without error.
  local beside = collection.new(function(_, offset)
    if offset == 0 then return {items = {{id = "a"}}, besides = {{id = "d"}}, total = 2} end
    return {items = {}, besides = {{id = "d"}}, total = 2}
  end, 1, function(x) return x end)
  local list = beside:list()
  eq(#list, 2, "its own, then the one beside")
  eq(list[2].id, "d", "after the last page")
end)
