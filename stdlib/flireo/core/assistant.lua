--- The methods of flireo.Assistant objects: :phone(), :link(), :unlink(), :get().
--- They are added to the native object's method table, so `a:link(x)` calls them.
local native = require "flireo.native"
local check = require "flireo.core.check"
local numbers = require "flireo.core.numbers"
local plan = require "flireo.core.plan"
local result = require "flireo.core.result"

local Assistant = native.assistant_methods()

--- The Lua client (settings, caches) an assistant belongs to.
local function client_of(a)
  if getmetatable(a) == nil or type(a) ~= "userdata" then
    check.bad("self", "a flireo.Assistant (call methods with ':')", a)
  end
  return Assistant._clients[a.client_serial]
end
--- Lua clients by their native client's serial.
Assistant._clients = {}

local function warn_line(client, text)
  if client.config.warnings ~= false then io.stderr:write("flireo: warning: ", text, "\n") end
end

local function phone_number(record, raw)
  if record == nil then return nil end
  return result.new("PhoneNumber", record, raw)
end

--- The phone number linked to the assistant, or nil.
function Assistant:phone(...)
  if select("#", ...) > 0 then check.no_more("assistant:phone", "no arguments", 0, ...) end
  local client = client_of(self)
  if plan.dry(client) then
    local planned, unknown = plan.phone(client, self.id)
    if not unknown then return planned and result.new("PhoneNumber", planned, nil) or nil end
  end
  local record, raw = client._native:_link_of(self.id)
  self:_remember(record.assistant_name)
  return phone_number(record.phone_number, raw and raw.phone_number)
end

--- Links a phone number (an id, an E.164 number, or a table with .id).
function Assistant:link(number, opts, ...)
  if select("#", ...) > 0 then check.no_more("assistant:link", "(number [, opts])", 2, ...) end
  local client = client_of(self)
  opts = check.options(opts, "opts", {ensure = true})
  check.field(opts, "ensure", "boolean", "opts")
  local number_id, known = numbers.resolve(client, number, "number")
  if plan.dry(client) then
    return result.new("LinkResult", plan.link(client, self.id, number_id, opts.ensure), nil)
  end
  local ok, record, raw = pcall(client._native._link, client._native, self.id, number_id)
  if not ok then
    local err = record
    if opts.ensure and type(err) == "table" and err.code == "already_linked" then
      local linked = known or numbers.find(client, number_id) or {id = number_id}
      return result.new("LinkResult", {
        assistant_id = self.id, released_assistants = 0, already_linked = true,
        message = type(err.message) == "string" and err.message or nil,
        phone_number = phone_number({id = linked.id, number = linked.number, type = linked.type, locality = linked.locality,
          origin = type(linked.origin) == "string" and linked.origin or numbers.origin(client, number_id)}),
      }, nil)
    end
    -- The server says who holds the number now: flireo.phone_number(x) says so too.
    local holder = type(err) == "table" and err.code == "already_in_use" and type(err.details) == "table"
      and err.details.linked_assistant_id
    if type(holder) == "string" then numbers.seen(client, {id = number_id, available = false, linked_assistant = {id = holder}}) end
    error(err, 0)
  end
  -- The link response names no origin; the number given (a table, found by E.164, or
  -- in the loaded index) does.
  local linked = record.phone_number
  if type(linked) == "table" then
    if linked.origin == nil then
      -- Known from the number given, or from the loaded index (never a request for it).
      local origin = known and known.origin
      if type(origin) ~= "string" and type(linked.id) == "string" then origin = numbers.origin(client, linked.id) end
      if type(origin) == "string" then linked.origin = origin end
    end
    record.phone_number = phone_number(linked, raw and raw.phone_number)
  end
  numbers.moved(client, self.id, type(linked) == "table" and linked.id or number_id, record.previous_phone_number_id,
    self.name)
  plan.reset(client)
  if client.config.warnings == false then return result.new("LinkResult", record, raw) end
  local notes = {}
  if record.previous_phone_number_id then
    local previous = numbers.find(client, record.previous_phone_number_id)
    notes[#notes + 1] = "replaced " .. (previous and previous.number or record.previous_phone_number_id)
  end
  if (record.released_assistants or 0) > 0 then
    notes[#notes + 1] = ("released %d other assistant%s from default numbers"):format(
      record.released_assistants, record.released_assistants == 1 and "" or "s")
  end
  if #notes > 0 then
    warn_line(client, ("%s linked to %s: %s"):format(tostring(self), record.phone_number.number, table.concat(notes, ", ")))
  end
  return result.new("LinkResult", record, raw)
end

--- Unlinks the assistant's number.
function Assistant:unlink(opts, ...)
  if select("#", ...) > 0 then check.no_more("assistant:unlink", "([opts])", 1, ...) end
  local client = client_of(self)
  opts = check.options(opts, "opts", {ensure = true})
  check.field(opts, "ensure", "boolean", "opts")
  if plan.dry(client) then
    return result.new("UnlinkResult", plan.unlink(client, self.id, opts.ensure), nil)
  end
  local ok, record, raw = pcall(client._native._unlink, client._native, self.id)
  if not ok then
    if opts.ensure and type(record) == "table" and record.code == "no_phone_number" then
      return result.new("UnlinkResult", {assistant_id = self.id, already_unlinked = true}, nil)
    end
    error(record, 0)
  end
  local freed = record.unlinked_phone_number
  numbers.moved(client, self.id, nil, type(freed) == "table" and freed.id or nil)
  plan.reset(client)
  return result.new("UnlinkResult", record, raw)
end

--- The assistant's record.
function Assistant:get(...)
  if select("#", ...) > 0 then check.no_more("assistant:get", "no arguments", 0, ...) end
  local client = client_of(self)
  local record, raw = client._native:_assistant(self.id)
  self:_remember(record.name)
  return result.new("AssistantRecord", record, raw)
end

return Assistant
