--- The account's phone numbers by E.164 number and by id, loaded once per client (all
--- pages, with the shared default numbers) and refreshed when a number is missing, so
--- that `a:link("+31201234567")` costs no request per call in a bulk run.
local check = require "flireo.core.check"
local shared = require "flireo.core.shared"

local numbers = {}

local function load(client)
  local by_number, by_id, raws = {}, {}, {}
  local offset = 0
  while true do
    local page = client._native:_page("phone_numbers", {include_default = true}, 100, offset)
    local shared = {}
    for _, n in ipairs(page.shared or {}) do shared[n.id] = true end
    for i, n in ipairs(page.items) do
      if shared[n.id] then n.origin = "default" end
      by_number[n.number], by_id[n.id], raws[n.id] = n, n, (page.raws or {})[i]
    end
    for _, n in ipairs(page.shared or {}) do
      n.origin = "default"
      if not by_id[n.id] then by_number[n.number], by_id[n.id] = n, n end
    end
    offset = offset + #page.items
    if #page.items == 0 or offset >= (page.total or 0) then break end
  end
  return {by_number = by_number, by_id = by_id, raws = raws}
end

--- The index, loading it once; concurrent callers share one load.
---@param refresh? boolean load it again (a number was not found)
function numbers.index(client, refresh)
  if client._numbers and not refresh then return client._numbers end
  local index = shared(client, "_numbers_loading", load, client)
  client._numbers, client._numbers_at = index, os.time()
  return index
end

--- Finds a number record by E.164 number or id; nil when the account has none.
---@return table|nil record
---@return any raw the server's object, as listed
function numbers.find(client, key)
  local field = key:sub(1, 1) == "+" and "by_number" or "by_id"
  -- Ids are matched in any letter case (the API writes them in lower case).
  if field == "by_id" then key = key:lower() end
  local index = numbers.index(client)
  local found = index[field][key]
  -- A missing number may be new (just ordered): look again, but not on every miss.
  if not found and os.time() - (client._numbers_at or 0) >= 5 then
    index = numbers.index(client, true)
    found = index[field][key]
  end
  if found then return found, index.raws[found.id] end
  return nil
end

--- The number's record when the index is loaded (no request), else nil.
function numbers.known(client, id)
  return client._numbers and client._numbers.by_id[id:lower()] or nil
end

--- The number's origin ("custom", "default") as the client has seen it listed or loaded,
--- else nil (never a request).
function numbers.origin(client, id)
  local found = numbers.known(client, id)
  if found and type(found.origin) == "string" then return found.origin end
  return client._origins and client._origins[id:lower()] or nil
end

--- Keeps the index true after the client's own link or unlink: the linked number is
--- taken, the one it replaced (or the unlinked one) is free. A shared default number is
--- always listed as available, with its one holder: linking one releases every other
--- assistant on a default number, so the others have none.
---@param aid string the assistant
---@param linked? string the number now linked to it
---@param freed? string the number it no longer has
---@param name? string the assistant's name, when known
function numbers.moved(client, aid, linked, freed, name)
  local index = client._numbers
  if not index then return end
  local taken, free = linked and index.by_id[linked], freed and index.by_id[freed]
  if free and free.origin ~= "default" then free.linked_assistant, free.available = nil, true end
  -- A default number shared before any default link (seeded data) may have other users.
  if free and free.origin == "default" and type(free.linked_assistant) == "table" and free.linked_assistant.id == aid then
    free.linked_assistant = nil
  end
  if taken and taken.origin == "default" then
    for _, n in pairs(index.by_id) do
      if n.origin == "default" then n.linked_assistant = nil end
    end
  end
  if taken then taken.linked_assistant, taken.available = {id = aid, name = name}, taken.origin == "default" end
end

--- Keeps the index true to a fresher view of one number (a list page, a refusal): its
--- availability and its holder.
---@param n table {id, available?, linked_assistant?}
function numbers.seen(client, n)
  -- A number's origin never changes: kept from every list read, for a link's answer (which names none).
  if type(n.id) == "string" and type(n.origin) == "string" then
    client._origins = client._origins or {}
    client._origins[n.id:lower()] = n.origin
  end
  local index = client._numbers
  local known = index and type(n.id) == "string" and index.by_id[n.id:lower()]
  if not known or known == n then return end
  if n.available ~= nil then known.available = n.available end
  known.linked_assistant = n.linked_assistant
end

--- The id to link for `x`: a phone number id, an E.164 number or a table with .id.
--- An E.164 number the account does not have is a not_found error.
---@param name string the parameter's name for messages
function numbers.resolve(client, x, name)
  -- Ids go out in lower case, as the API writes them, so they compare with its answers.
  if type(x) == "table" then
    if type(x.id) == "string" and client._is_uuid(x.id) then return x.id:lower(), x end
    if x.id ~= nil then
      check.bad(name .. ".id", "a phone number id (a UUID)", x.id)
    end
    check.bad(name, "a phone number table with an .id", x)
  end
  if type(x) == "string" then
    if client._is_uuid(x) then return x:lower(), numbers.known(client, x) end
    if client._is_e164(x) then
      local found = numbers.find(client, x)
      if not found then
        check.raise("not_found", ("Phone number %s not found in this account or its shared default numbers"):format(x),
          {status = 404})
      end
      return found.id, found
    end
  end
  -- A string that is nearly a number (spaces, a national 0): how E.164 is written.
  if type(x) == "string" and x:find("^%s*[+0-9(]") then
    check.bad(name, "a phone number id, an E.164 number (+, then 7 to 15 digits, no spaces: +31201234567) "
      .. "or a phone number table", x)
  end
  check.bad(name, "a phone number id, an E.164 number or a phone number table", x)
end

--- Forgets the index (after an order adds numbers, for instance).
function numbers.forget(client)
  client._numbers = nil
end

return numbers
