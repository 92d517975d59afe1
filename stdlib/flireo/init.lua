--- flireo: the Flireo AI API as a Lua module. The documented API is in meta/flireo.lua;
--- this file builds it over the natives of flireo.native (one request each, yielding
--- through the scheduler) and keeps the policy in Lua: argument checks, one naming for
--- results, E.164 resolution, idempotent `ensure`, dry runs and warnings.
local native = require "flireo.native"
local check = require "flireo.core.check"
local collection = require "flireo.core.collection"
local numbers = require "flireo.core.numbers"
local plan = require "flireo.core.plan"
local result = require "flireo.core.result"
local Assistant = require "flireo.core.assistant"
require "flireo.core.stderr"

local Order = {}

local function order(client, record, raw)
  return result.new("Order", record, raw, Order)
end

--- Seconds on a monotonic clock (for timing a run).
local function clock(...)
  if select("#", ...) > 0 then check.no_more("flireo.clock", "no arguments", 0, ...) end
  return native.clock()
end

--- Polls the order until it is no longer pending.
function Order:wait(opts, ...)
  check.self(self, "flireo.Order", "wait")
  if select("#", ...) > 0 then check.no_more("order:wait", "([opts])", 1, ...) end
  opts = check.options(opts, "opts", {interval = true, timeout = true})
  local interval = check.field(opts, "interval", "number", "opts") or 1
  local timeout = check.field(opts, "timeout", "number", "opts") or 300
  -- A poll every 50 ms at most: a zero interval would send requests as fast as it can.
  if not (interval >= 0.05) then check.bad("opts.interval", "seconds between polls, at least 0.05", interval) end
  if not (timeout >= 0) then check.bad("opts.timeout", "seconds, at least 0", timeout) end
  if self.dry_run then return self end
  local client = rawget(self, "_client") or getmetatable(self).__client
  local started, current = native.clock(), self
  while current.status == "pending" do
    if native.clock() - started > timeout then
      check.raise("timeout", ("order %s still pending after %g s"):format(current.id, timeout))
    end
    sleep(math.min(interval, math.max(0, timeout - (native.clock() - started)) + 0.001))
    local record, raw = client._native:_order_get(current.id)
    current = order(client, record, raw)
    getmetatable(current).__client = client
  end
  if current.status == "success" then numbers.forget(client) end
  return current
end

--- A client's settings: known names only, booleans only. A misspelled `dryrun = true`
--- would otherwise leave dry run off without a word and send the mutations.
local function make_config(values)
  local names = {}
  for k in pairs(values) do names[#names + 1] = k end
  table.sort(names)
  local function unknown(k)
    check.raise("invalid_parameters", ("flireo.config has no setting %s (settings: %s)")
      :format(check.describe(k), table.concat(names, ", ")))
  end
  return setmetatable({}, {
    __name = "flireo.Config",
    __fields = names,  -- for the REPL's completion, which never calls __index
    -- Reading a misspelled setting is as wrong as setting one: `if flireo.config.dryrun`
    -- would otherwise be nil, and false, without a word.
    __index = function(_, k)
      local v = values[k]
      if v == nil then unknown(k) end
      return v
    end,
    __newindex = function(_, k, v)
      if values[k] == nil then unknown(k) end
      if type(v) ~= "boolean" then check.bad("config." .. k, "true or false", v) end
      -- `flireo --dry-run` is a promise about the whole run: no client may lift it.
      if k == "dry_run" and v == false and native.dry_run then
        check.raise("invalid_parameters", "dry run is on for the whole run (--dry-run): it cannot be turned off")
      end
      values[k] = v
    end,
    __pairs = function() return next, values, nil end,
    __json = values,  -- json.encode(flireo.config), which reads no metamethod
    __tostring = function()
      local shown = {}
      for _, k in ipairs(names) do shown[#shown + 1] = ("%s = %s"):format(k, tostring(values[k])) end
      return "flireo.Config { " .. table.concat(shown, ", ") .. " }"
    end,
  })
end

local TYPES = {"local", "mobile", "national"}

--- `query` of available numbers: digits, with `+` and `*` wildcards.
local function check_query(opts)
  local query = check.field(opts, "query", "string", "opts")
  if query ~= nil and (query == "" or query:find("[^%d%+%*]")) then
    check.bad("opts.query", "digits, with '+' and '*' wildcards (such as \"+3120*\")", query)
  end
end

--- The fields of a new verification group: {name → required}.
local GROUP_FIELDS = {
  type = true, name = true, business_name = true, contact_person_first_name = true, contact_person_last_name = true,
  contact_person_phone = true, street_name = true, house_number = true, postal_code = true, city = true,
  province = true,
}
-- Accepted besides the required fields.
local GROUP_OPTIONAL = {description = true}

local function make_client(native_client, settings)
  local config = make_config({dry_run = settings.dry_run == true, warnings = true})
  local client = {
    _native = native_client,
    _is_uuid = native.is_uuid,
    _is_e164 = native.is_e164,
    null = native.null,
    version = native.version,
    parallel = parallel, spawn = spawn, sleep = sleep, clock = clock,
  }
  Assistant._clients[native_client.serial] = client

  local function wrap_order(record, raw)
    local o = order(client, record, raw)
    getmetatable(o).__client = client
    return o
  end

  -- One object per assistant while it is in use, so `seen[a]` finds the same assistant.
  local assistants = setmetatable({}, {__mode = "v"})

  -- An argument too many is an error, unless the client itself came first
  -- (flireo:assistant(id)): the first argument's check says that better.
  local function extra(first, name, takes, declared, ...)
    if select("#", ...) > 0 and not rawequal(first, client) then check.no_more(name, takes, declared, ...) end
  end

  function client.assistant(id, ...)
    extra(id, "flireo.assistant", "(id)", 1, ...)
    -- An assistant of this client is itself (one object per assistant); one of another
    -- client is taken by its id.
    if type(id) == "userdata" and (getmetatable(id) or {}).__name == "flireo.Assistant" then id = id.id end
    check.uuid(id, "id")
    local key = id:lower()
    local a = assistants[key]
    if not a then
      a = native.assistant(native_client, key)
      assistants[key] = a
    end
    return a
  end

  function client.assistants(opts, ...)
    extra(opts, "flireo.assistants", "([opts])", 1, ...)
    opts = check.options(opts, "opts", {page_size = true})
    local size = check.page_size(opts, "opts", 50)
    return collection.new(function(limit, offset)
      return native_client:_page("assistants", {}, limit, offset)
    end, size, function(a)
      local known = assistants[a.id]
      if not known then
        assistants[a.id] = a
        return a
      end
      known:_remember(a.name)
      return known
    end, nil, "/v1/assistants")
  end

  function client.phone_numbers(opts, ...)
    extra(opts, "flireo.phone_numbers", "([opts])", 1, ...)
    opts = check.options(opts, "opts", {include_default = true, available = true, type = true, page_size = true})
    local include_default = check.field(opts, "include_default", "boolean", "opts")
    if include_default == nil then include_default = true end
    local available = check.field(opts, "available", "boolean", "opts")
    local kind = check.choice(opts, "type", TYPES, "opts")
    local size = check.page_size(opts, "opts", 50)
    local keep
    if available ~= nil or kind ~= nil then
      keep = function(n)
        return (available == nil or n.available == available) and (kind == nil or n.type == kind)
      end
    end
    return collection.new(function(limit, offset)
      local page = native_client:_page("phone_numbers", {include_default = include_default}, limit, offset)
      -- With include_default the shared default numbers belong to the list, also from a
      -- server that lists them only in shared_numbers (as the contract's example does).
      if include_default then
        page.besides, page.besides_raws = page.shared, page.shared_raws
        -- Linking a default number releases its holders: it is always available.
        for _, n in ipairs(page.besides) do
          if n.available == nil then n.available = true end
        end
      end
      return page
    end, size, function(n, raw)
      -- What flireo.phone_number(x) says follows the freshest list read.
      numbers.seen(client, n)
      -- A dry run's list shows the numbers as its planned links leave them.
      if plan.dry(client) then plan.overlay(client, n) end
      return result.new("PhoneNumber", n, raw)
    end, keep, "/v1/phone-numbers")
  end

  function client.phone_number(key, ...)
    extra(key, "flireo.phone_number", "(id_or_number)", 1, ...)
    if type(key) ~= "string" or not (native.is_uuid(key) or native.is_e164(key)) then
      check.bad("id_or_number", "a phone number id or an E.164 number", key)
    end
    local found, raw = numbers.find(client, key)
    if not found then check.raise("not_found", "Phone number " .. key .. " not found", {status = 404}) end
    local copy = {}
    for k, v in pairs(found) do copy[k] = v end
    if plan.dry(client) then plan.overlay(client, copy) end
    return result.new("PhoneNumber", copy, raw)
  end

  function client.available_numbers(opts, ...)
    extra(opts, "flireo.available_numbers", "([opts])", 1, ...)
    opts = check.options(opts, "opts", {type = true, query = true, limit = true, verification_group = true})
    check.choice(opts, "type", TYPES, "opts")
    check_query(opts)
    local limit = check.integer_field(opts, "limit", 1, 50, "opts")
    if opts.verification_group ~= nil then
      check.uuid(opts.verification_group, "opts.verification_group")
      -- A group's numbers are local numbers: another type would be ignored without a word.
      if opts.type ~= nil and opts.type ~= "local" then
        check.bad("opts.type", "\"local\" or nothing with a verification group (its numbers are local)", opts.type)
      end
    elseif opts.type == "local" then
      -- Local numbers are searched through a verification group: say how, before a request.
      check.bad("opts.type", "national or mobile, or \"local\" with opts.verification_group (local numbers are "
        .. "searched through a verification group)", opts.type)
    end
    local found, raw = native_client:_available({
      type = opts.type, query = opts.query, limit = limit, verification_group = opts.verification_group,
    })
    local items = found.items
    for i, item in ipairs(items) do items[i] = result.new("AvailableNumber", item, found.raws[i]) end
    items.total_results, items.type, items.requires_verification = found.total_results, found.type, found.requires_verification
    return result.new("AvailableNumbers", items, raw)
  end

  function client.order_number(number, opts, ...)
    extra(number, "flireo.order_number", "(number [, opts])", 2, ...)
    opts = check.options(opts, "opts", {type = true, verification_group = true})
    -- An available number as found (a table with .number): its type comes with it.
    if type(number) == "table" and type(rawget(number, "number")) == "string" then
      if opts.type == nil and type(rawget(number, "type")) == "string" then
        local copy = {}
        for k, v in pairs(opts) do copy[k] = v end
        copy.type = number.type
        opts = copy
      end
      number = number.number
    end
    if type(number) ~= "string" or not native.is_e164(number) then
      check.bad("number", "an E.164 number such as \"+31201234567\", or an available number", number)
    end
    check.choice(opts, "type", TYPES, "opts")
    if opts.verification_group ~= nil then
      check.uuid(opts.verification_group, "opts.verification_group")
      -- A group orders local numbers, as it searches them: another type would attach the
      -- group to an order it does not belong to, and none means local.
      if opts.type ~= nil and opts.type ~= "local" then
        check.bad("opts.type", "\"local\" or nothing with a verification group (its numbers are local)", opts.type)
      elseif opts.type == nil then
        local copy = {}
        for k, v in pairs(opts) do copy[k] = v end
        copy.type, opts = "local", copy
      end
    end
    if opts.type == "local" and opts.verification_group == nil then
      check.bad("opts.verification_group", "a verification group's id (local numbers are ordered through one)", nil)
    end
    local ok, placed, raw
    if plan.dry(client) then
      ok, placed = pcall(plan.order, client, number, opts)
    else
      ok, placed, raw = pcall(native_client._order, native_client, number, opts.type, opts.verification_group)
    end
    if not ok then
      local e = placed
      -- Ordered as national when no type was given: say so where the server only says "not available".
      if type(e) == "table" and e.code == "invalid_parameters" and opts.type == nil
        and tostring(e.message):find("not available", 1, true) then
        local copy = setmetatable({}, getmetatable(e))
        for k, v in next, e do copy[k] = v end
        copy.message = tostring(e.message) .. " (ordered as a national number: for a mobile or local one, pass "
          .. "{type = \"mobile\"} or {type = \"local\", verification_group = …}, or order the available number as found)"
        e = copy
      end
      error(e, 0)
    end
    return wrap_order(placed, raw)
  end

  function client.orders(opts, ...)
    extra(opts, "flireo.orders", "([opts])", 1, ...)
    opts = check.options(opts, "opts", {status = true, verification_group = true, type = true, page_size = true})
    local size = check.page_size(opts, "opts", 20)
    check.choice(opts, "status", {"pending", "success", "failed"}, "opts")
    check.choice(opts, "type", TYPES, "opts")
    if opts.verification_group ~= nil then check.uuid(opts.verification_group, "opts.verification_group") end
    local filter = {status = opts.status, verification_group = opts.verification_group, type = opts.type}
    return collection.new(function(limit, offset)
      return native_client:_page("orders", filter, limit, offset)
    end, size, wrap_order, nil, "/v1/phone-number-orders")
  end

  function client.order(id, ...)
    extra(id, "flireo.order", "(id)", 1, ...)
    check.uuid(id, "id")
    return wrap_order(native_client:_order_get(id))
  end

  function client.verification_groups(opts, ...)
    extra(opts, "flireo.verification_groups", "([opts])", 1, ...)
    opts = check.options(opts, "opts", {status = true, type = true, page_size = true})
    local size = check.page_size(opts, "opts", 20)
    check.choice(opts, "status", {"pending", "approved", "rejected", "deleted"}, "opts")
    check.choice(opts, "type", TYPES, "opts")
    local filter = {status = opts.status, type = opts.type}
    return collection.new(function(limit, offset)
      return native_client:_page("verification_groups", filter, limit, offset)
    end, size, function(g, raw) return result.new("VerificationGroup", g, raw) end, nil, "/v1/verification-groups")
  end

  function client.verification_group(id, ...)
    extra(id, "flireo.verification_group", "(id)", 1, ...)
    check.uuid(id, "id")
    return result.new("VerificationGroup", native_client:_group_get(id))
  end

  function client.create_verification_group(fields, ...)
    extra(fields, "flireo.create_verification_group", "(fields)", 1, ...)
    if type(fields) ~= "table" then check.bad("fields", "a table of the group's fields", fields) end
    local known = {}
    for name in pairs(GROUP_FIELDS) do known[name] = true end
    for name in pairs(GROUP_OPTIONAL) do known[name] = true end
    check.options(fields, "fields", known)
    -- Every required field that is missing is named at once, not one per run.
    local missing = {}
    for name in pairs(known) do
      local value = check.field(fields, name, "string", "fields")
      if GROUP_FIELDS[name] and (value == nil or value:match("^%s*$")) then missing[#missing + 1] = name end
    end
    if #missing == 1 then check.bad("fields." .. missing[1], "a non-empty string (it is required)", fields[missing[1]]) end
    if #missing > 1 then
      table.sort(missing)
      check.raise("invalid_parameters", ("Invalid 'fields': %d required fields are missing or empty: %s"):format(#missing,
        table.concat(missing, ", ")))
    end
    check.choice(fields, "type", TYPES, "fields")
    -- The server answers with the new group's id: the rest is what was sent.
    local group = {name = fields.name, type = fields.type, business_name = fields.business_name,
      description = fields.description, status = "pending"}
    if plan.dry(client) then
      plan.say(client, ("create verification group %q"):format(fields.name))
      group.dry_run = true
      return result.new("VerificationGroup", group, nil)
    end
    local created, raw = native_client:_group_create(fields)
    group.id, group.message = created.id, created.message
    if type(raw) == "table" and type(raw.status) == "string" then group.status = raw.status end
    return result.new("VerificationGroup", group, raw)
  end

  local methods = {GET = true, POST = true, PUT = true, PATCH = true, DELETE = true}
  function client.request(method, path, body, ...)
    -- A fourth argument (headers, options) would be dropped without a word: it takes none
    -- (a nil passed through by a wrapper is no argument).
    local extra = false
    for i = 1, select("#", ...) do
      if select(i, ...) ~= nil then extra = true end
    end
    if extra then
      check.raise("invalid_parameters", "flireo.request takes (method, path [, body]): no headers or options "
        .. "(the client sets Authorization, Content-Type and User-Agent itself)")
    end
    if type(method) ~= "string" or not methods[method:upper()] then
      check.bad("method", "GET, POST, PUT, PATCH or DELETE", method)
    end
    if type(path) ~= "string" or path:sub(1, 1) ~= "/" then
      check.bad("path", "a path such as \"/v1/assistants\"", path)
    end
    if body ~= nil and type(body) ~= "table" then check.bad("body", "a table", body) end
    -- A GET or DELETE carries no body (strict front ends refuse one); the API takes none.
    if body ~= nil and (method:upper() == "GET" or method:upper() == "DELETE") then
      check.bad("body", ("nothing: a %s request takes no body"):format(method:upper()), body)
    end
    if plan.dry(client) and method:upper() ~= "GET" then
      plan.say(client, ("%s %s"):format(method:upper(), path))
      return {dry_run = true}
    end
    return native_client:_request(method, path, body)
  end

  function client.try(fn, ...)
    if type(fn) ~= "function" and not (getmetatable(fn) or {}).__call then
      check.bad("fn", "a function", fn)
    end
    -- Every result, as pcall gives them: parallel's failures, a task's several values.
    return pcall(fn, ...)
  end

  function client.connect(opts, ...)
    extra(opts, "flireo.connect", "([opts])", 1, ...)
    opts = check.options(opts, "opts", {base_url = true, api_key_env = true, profile = true, rate_limit = true, dry_run = true})
    -- A bare number is per minute, as in --rate-limit and the profile's rate_limit (120.0
    -- is 120); false is off.
    local limit = opts.rate_limit
    if limit ~= nil and type(limit) ~= "string" then
      if limit ~= false and not math.tointeger(limit) then
        check.bad("opts.rate_limit", 'a whole number of requests per minute, a string such as "5/s", or false (off)', limit)
      end
      local copy = {}
      for k, v in pairs(opts) do copy[k] = v end
      copy.rate_limit, opts = limit == false and "off" or tostring(math.tointeger(limit)), copy
    end
    for _, key in ipairs({"base_url", "api_key_env", "profile", "rate_limit"}) do check.field(opts, key, "string", "opts") end
    check.field(opts, "dry_run", "boolean", "opts")
    local ok, other = pcall(native.connect, opts)
    if not ok then
      if type(other) == "table" then other.where = check.where(2) end
      error(other, 0)
    end
    -- Under --dry-run every client is dry, whatever `dry_run` says.
    if native.dry_run and opts.dry_run == false then
      check.raise("invalid_parameters", "dry run is on for the whole run (--dry-run): a client cannot turn it off")
    end
    local connected = make_client(other, {dry_run = opts.dry_run or native.dry_run})
    -- What tells it from another client of the same server (the accounts share the API's host).
    rawset(connected, "_connected", opts.profile and ("profile " .. opts.profile)
      or opts.api_key_env and ("key $" .. opts.api_key_env) or true)
    return connected
  end

  return setmetatable(client, {
    __name = "flireo",
    -- `config` is not one of the table's own keys: replacing it (`flireo.config = {…}`)
    -- would drop dry_run without a word, so that is an error.
    -- Nor is `base_url`: assigning it would not move the client to another server.
    -- `inspect` is loaded when first used.
    __index = {config = config, base_url = native_client.base_url,
      inspect = function(value, opts, ...)
        check.no_more("flireo.inspect", "(value [, opts])", 2, ...)
        -- A bad option is an argument mistake of the API's (inspect.lua says it as string.rep would).
        local ok, text = pcall(require("flireo.inspect").inspect, value, opts)
        if ok then return text end
        local wrong = type(text) == "string" and text:match("bad argument #2 to 'inspect' %((.*)%)$")
        if wrong then check.raise("invalid_parameters", "Invalid 'opts': " .. wrong) end
        error(text, 0)
      end},
    __newindex = function(t, k, v)
      if k == "config" then
        check.raise("invalid_parameters", "flireo.config cannot be replaced: set its settings one by one "
          .. "(flireo.config.warnings = false)")
      elseif k == "base_url" then
        check.raise("invalid_parameters", "flireo.base_url cannot be changed: for another server, "
          .. "flireo.connect{base_url = …, api_key_env = …} returns a client of its own")
      end
      rawset(t, k, v)
    end,
    __tostring = function(t)
      local label = rawget(t, "_connected")
      return "flireo<" .. (native_client.base_url or "not configured") .. (type(label) == "string" and ", " .. label or "")
        .. ">"
    end,
  })
end

return make_client(native.default_client, {dry_run = native.dry_run})
