--- Dry run: reads are sent, mutations are not. Each mutation is predicted from the
--- current state as changed by the mutations planned before it (so a plan of many
--- links is predicted as a whole), returned marked `dry_run = true`, and printed as one
--- plan line on stderr.
local native = require "flireo.native"
local check = require "flireo.core.check"
local numbers = require "flireo.core.numbers"
local shared = require "flireo.core.shared"

local plan = {}

--- Whether a client's mutations are planned instead of sent: its setting, or `--dry-run`
--- (which no setting lifts).
function plan.dry(client)
  return plan.rehearsal ~= nil or client.config.dry_run == true or native.dry_run == true
end

--- A rehearsal (the REPL's `? call`): while one is on, every client is dry, whatever its
--- setting (one from flireo.connect too, and one the call itself sets back), and plans in a
--- copy of its planned state, dropped when the rehearsal ends: asking what a call answers
--- neither sends it nor leaves it in a dry run's plan.
---@param on boolean
function plan.rehearse(on)
  plan.rehearsal = on and setmetatable({}, {__mode = "k"}) or nil
end

--- The planned state of a client (nil before its first dry mutation or read); in a
--- rehearsal, the rehearsal's copy of it.
local function plan_of(client)
  local rehearsal = plan.rehearsal
  if not rehearsal then return rawget(client, "_plan") end
  local copy = rehearsal[client]
  local real = rawget(client, "_plan")
  if copy == nil and real then
    copy = {}
    for k, v in pairs(real) do
      if type(v) == "table" then
        local t = {}
        for kk, vv in pairs(v) do t[kk] = vv end
        v = t
      end
      copy[k] = v
    end
    rehearsal[client] = copy
  end
  return copy
end

--- Sets (or, with nil, forgets) the planned state: the rehearsal's copy during one.
local function set_current(client, s)
  if plan.rehearsal then
    plan.rehearsal[client] = s
  else
    rawset(client, "_plan", s)
  end
end

--- Prints one plan line, `dry-run: <text>`, on stderr; a client from flireo.connect adds
--- the server it plans for, so two clients' lines can be told apart.
function plan.say(client, text)
  local label = rawget(client, "_connected")
  local server = label and (" [" .. tostring(client.base_url) .. (type(label) == "string" and ", " .. label or "") .. "]")
    or ""
  io.stderr:write("dry-run: ", text, server, "\n")
end

--- Forgets the planned state: a mutation was sent for real, so what the plan predicted
--- from (links read before, holders, default users) may no longer hold.
function plan.reset(client)
  set_current(client, nil)
end

--- In a dry run, the links its planned mutations (and the reads they made) leave, by
--- assistant: a number table ({id, number, origin}) or false; nil outside a dry run.
---@return table<string, table|false>|nil links
function plan.links(client)
  local s = plan_of(client)
  if not plan.dry(client) or not s then return nil end
  return s.links
end

--- The planned state of a client: links by assistant, holders by number.
local function state(client)
  local s = plan_of(client)
  if not s then
    s = {links = {}, holders = nil, default_users = nil}
    set_current(client, s)
  end
  return s
end

--- The number linked to `aid` in the planned state (read from the server once).
local function link_of(client, aid)
  local s = state(client)
  local current = s.links[aid]
  if current == nil then
    local record = client._native:_link_of(aid)
    current = record.phone_number or false
    if s.links[aid] == nil then s.links[aid], s.reverse = current, nil end
    current = s.links[aid]
  end
  return current or nil
end

--- Who holds each custom number, from the account's list (once), then as planned.
local function holders(client)
  local s = state(client)
  if not s.holders then
    local held = {}
    for _, n in pairs(numbers.index(client).by_id) do
      if n.linked_assistant and n.origin ~= "default" then held[n.id] = n.linked_assistant.id end
    end
    -- What was planned before the holders were needed overrides the list.
    for id, aid in pairs(held) do
      local planned = s.links[aid]
      if planned ~= nil and (not planned or planned.id ~= id) then held[id] = nil end
    end
    for aid, n in pairs(s.links) do
      if n and n.origin ~= "default" then held[n.id] = aid end
    end
    s.holders = held
  end
  return s.holders
end

--- The set of assistants on a default number: every assistant's link is read once
--- (only when a default number is linked in a dry run).
local function default_users(client)
  local s = state(client)
  if s.default_users then return s.default_users end
  -- Links planned at once share one reading: two readings would each release everyone.
  local users = shared(s, "default_users_loading", function()
    local users, ids = {}, {}
    local offset = 0
    while true do
      local page = client._native:_page("assistants", {}, 100, offset)
      for _, a in ipairs(page.items) do ids[#ids + 1] = a.id end
      offset = offset + #page.items
      if #page.items == 0 or offset >= (page.total or 0) then break end
    end
    local _, failures = parallel(ids, function(aid)
      local n = link_of(client, aid)
      if n and (n.origin == "default" or (numbers.find(client, n.id) or {}).origin == "default") then
        users[aid] = true
      end
    end, {concurrency = 16})
    -- A link that could not be read leaves the prediction unknown: fail, not guess.
    local _, failure = next(failures or {})
    if failure ~= nil then error(failure, 0) end
    return users
  end)
  s.default_users = users
  return users
end

local function short(id) return id:sub(1, 8) .. "…" end

--- The fields of a predicted link's error: what the server's would carry (the
--- messages are the linking page's), and `dry_run`: nothing was sent.
local function link_request(aid, status)
  return {status = status or 400, method = "POST", path = ("/v1/assistants/%s/phone-number"):format(aid), dry_run = true}
end

--- Predicts a link (raising what the server would: already_linked, already_in_use,
--- not_found) and records it in the plan.
function plan.link(client, aid, number_id, ensure)
  local target = numbers.find(client, number_id)
  if not target then
    check.raise("not_found", "Phone number not found", link_request(aid, 404))
  end
  local record = {id = target.id, number = target.number, type = target.type, locality = target.locality,
    origin = target.origin}
  local current
  -- The assistant's link is read, then what else the prediction needs (each may wait),
  -- then the link once more (read by then, so it does not wait): nothing waits between
  -- that reading and recording the plan, so two links of one assistant planned at once
  -- (in `parallel`) each start from the other's outcome.
  for reading = 1, 2 do
    current = link_of(client, aid)
    if current and current.id == number_id then
      if ensure then
        return {assistant_id = aid, phone_number = record, released_assistants = 0, already_linked = true, dry_run = true}
      end
      check.raise("already_linked", "Phone number already linked to this assistant", link_request(aid))
    end
    if reading == 1 then
      if target.origin == "default" then default_users(client) else holders(client) end
    end
  end
  local released = 0
  if target.origin == "default" then
    local users = default_users(client)
    for user in pairs(users) do
      if user ~= aid then
        released = released + 1
        state(client).links[user], state(client).reverse = false, nil
      end
    end
    for user in pairs(users) do users[user] = nil end
    users[aid] = true
  else
    local holder = holders(client)[number_id]
    if holder and holder ~= aid then
      check.raise("already_in_use", "Custom phone number is linked to another assistant", link_request(aid))
    end
    holders(client)[number_id] = aid
    local s = plan_of(client)
    if s.default_users then s.default_users[aid] = nil end
  end
  if current and holders(client)[current.id] == aid then holders(client)[current.id] = nil end
  state(client).links[aid], state(client).reverse = record, nil
  local line = ("link %s → %s"):format(short(aid), target.number)
  local notes = {}
  if current then notes[#notes + 1] = "replaces " .. (current.number or current.id) end
  if released > 0 then notes[#notes + 1] = ("releases %d assistant%s"):format(released, released == 1 and "" or "s") end
  if #notes > 0 then line = line .. " (" .. table.concat(notes, "; ") .. ")" end
  plan.say(client, line)
  return {
    assistant_id = aid, phone_number = record, previous_phone_number_id = current and current.id or nil,
    released_assistants = released, dry_run = true,
  }
end

--- Predicts an unlink (no_phone_number unless ensure) and records it in the plan.
function plan.unlink(client, aid, ensure)
  local current = link_of(client, aid)
  if not current then
    if ensure then return {assistant_id = aid, already_unlinked = true, dry_run = true} end
    check.raise("no_phone_number", "No phone number to unlink",
      {status = 400, method = "DELETE", path = ("/v1/assistants/%s/phone-number"):format(aid), dry_run = true})
  end
  state(client).links[aid], state(client).reverse = false, nil
  local s = plan_of(client)
  if s.holders then s.holders[current.id] = nil end
  if s.default_users then s.default_users[aid] = nil end
  plan.say(client, ("unlink %s (frees %s)"):format(short(aid), current.number or current.id))
  return {assistant_id = aid, unlinked_phone_number = {id = current.id, number = current.number}, dry_run = true}
end

--- The planned link of an assistant (what :phone() returns in a dry run once planned).
function plan.phone(client, aid)
  local s = plan_of(client)
  if s and s.links[aid] ~= nil then return s.links[aid] or nil end
  return nil, true
end

--- A listed phone number as the plan leaves it (a dry run's lists follow its links):
--- `linked_assistant` and `available` changed where a planned link or unlink moved it.
--- A shared default number stays available; only its holder follows the plan.
---@param n table a phone number record from a list
---@return table n the same record
function plan.overlay(client, n)
  local s = plan_of(client)
  if not s or type(n.id) ~= "string" then return n end
  if not s.reverse then
    local by_number = {}
    for aid, link in pairs(s.links) do if link then by_number[link.id] = aid end end
    s.reverse = by_number
  end
  local listed = type(n.linked_assistant) == "table" and n.linked_assistant.id or nil
  local holder = s.reverse[n.id]
  -- Its listed holder was planned onto another number or none: the number is free.
  if holder == nil and listed and s.links[listed] ~= nil then holder = false end
  if holder == false then
    n.linked_assistant, n.available = nil, true
  elseif holder ~= nil and holder ~= listed then
    n.linked_assistant, n.available = {id = holder}, n.origin == "default"
  end
  return n
end

--- Predicts an order: the number must be among the available ones (that search is
--- sent: it is a read); nothing is charged. The account's credits are not known before
--- an order, so a dry run cannot tell whether they suffice.
function plan.order(client, number, opts)
  local s = state(client)
  s.ordered = s.ordered or {}
  local found = not s.ordered[number] and client._native:_available({
    type = opts.type, query = number, limit = 50, verification_group = opts.verification_group,
  })
  local hit
  for _, item in ipairs(found and found.items or {}) do
    if item.number == number then hit = item end
  end
  if not hit then
    -- As the server would answer, marked as predicted.
    check.raise("invalid_parameters", ("Phone number %s is not available for ordering"):format(number),
      {status = 400, method = "POST", path = "/v1/phone-numbers", dry_run = true})
  end
  s.ordered[number] = true
  local credits = type(hit.cost) == "table" and hit.cost.credits or 10
  plan.say(client, ("order %s (%s credits)"):format(number, tostring(credits)))
  return {number = number, type = hit.type, status = "pending", credits_used = credits, dry_run = true}
end

return plan
