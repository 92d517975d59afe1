--- flireo.snapshot: the account's assistant ↔ phone number link table as it is now, read
--- in pages (a few requests for thousands of assistants, several at once) into tables
--- kept small: only what a plan needs, E.164 numbers as integers. flireo.links builds
--- plans on it; `links.snapshot` is `snapshot.read`.

local check = require "flireo.core.check"
local id_of = require("flireo.core.collection").id_of

--- The account's link table as it is now, read in pages and kept small.
---@class flireo.snapshot
local snapshot = {}

--- A table of E.164 numbers by number id that keeps each number as an integer: a
--- string costs about 55 bytes, an integer nothing beyond its slot, and a large account
--- has hundreds of thousands of numbers. Reads give the "+…" text back, `pairs` too;
--- anything that is not a plain E.164 number is kept as it came.
---@return table<string, string> numbers
function snapshot.number_table()
  local raw = {}
  local function decode(v)
    if math.type(v) == "integer" then return "+" .. v end
    return v
  end
  return setmetatable({}, {
    __index = function(_, id) return decode(raw[id]) end,
    __newindex = function(_, id, e164)
      if type(e164) == "string" and #e164 <= 16 and e164:find("^%+[1-9]%d*$") then
        raw[id] = math.tointeger(tonumber(e164:sub(2)))
      else
        raw[id] = e164
      end
    end,
    __pairs = function(self)
      return function(_, id)
        local v
        id, v = next(raw, id)
        if id ~= nil then return id, decode(v) end
      end, self, nil
    end,
  })
end

local function present(v)
  if v == nil or v == json.null then return nil end
  return v
end

local function incomplete(path, message)
  error(setmetatable({code = "inconsistent", message = ("%s %s; try again"):format(path, message)},
    {__tostring = function(e) return e.message end}), 0)
end

--- Fetches every page of a list endpoint: the first to learn the total, the others
--- `concurrency` at once. `each(items, page)` sees each page's items (pages in any order;
--- `page` is its 1-based position). `apart()`, when given, says how many items of the
--- total were listed only beside the pages (shared default numbers, as the contract's
--- example lists them).
local function each_page(client, path, each, opts, what, apart)
  local size = 100
  local function fetch(offset)
    local sep = path:find("?", 1, true) and "&" or "?"
    local page = client.request("GET", ("%s%slimit=%d&offset=%d"):format(path, sep, size, offset))
    -- A list is {data = [...], meta = {total}}: anything else would read as an empty account.
    local data = type(page) == "table" and page.data
    if type(data) ~= "table" or (next(data) ~= nil and data[1] == nil) then
      incomplete(path, "answered without a list in data")
    end
    if not math.tointeger(present(type(page.meta) == "table" and page.meta.total or nil)) then
      incomplete(path, "answered without meta.total")
    end
    return page
  end
  -- A decoded page is a hundred small tables: collect each page's before the next
  -- piles onto it (a young collection, cheap), so a large account is read in flat memory.
  local function take(page_data, position, page)
    each(page_data, position, page)
    collectgarbage("step", 0)
  end
  local first = fetch(0)
  local data = first.data
  local total = math.tointeger(first.meta.total)
  -- Never trust meta.limit: the first page's length is the page size actually served.
  local step = #data
  -- Each page after the first starts on the last item of the one before: an item added or
  -- removed before a page while the pages are read shifts the pages after it, and their
  -- shared item then differs (counts alone miss a removal and an addition together).
  local overlap = step > 1 and step < total
  local ends = {{nil, id_of(data[#data])}}
  take(data, 1, first)
  if step == 0 or step >= total then return end
  local stride = overlap and step - 1 or step
  local offsets = {}
  for offset = stride, total - (overlap and 2 or 1), stride do offsets[#offsets + 1] = offset end
  local seen = #data
  -- A paced read of a large account takes minutes: after two seconds, say how far it is.
  local shown = opts and opts.progress and require("flireo.progress").new(("%s (%s)"):format(opts.progress, what),
    total, {delay = 2, every = math.max(step, total // 10)})
  local _, failures = parallel(offsets, function(offset, i)
    local page = fetch(offset)
    local items = page.data
    if overlap then
      ends[i + 1] = {id_of(items[1]), id_of(items[#items])}
      table.remove(items, 1)
    end
    seen = seen + #items
    take(items, i + 1, page)
    if shown then shown:update({done = seen, skipped = 0, failed = 0}) end
  end, {concurrency = opts and opts.concurrency or 8})
  if shown then shown:finish() end
  if failures then
    for _, e in pairs(failures) do error(e, 0) end
  end
  -- (A page past the list's end is empty: shared numbers listed apart count in the total.)
  for position = 2, overlap and #offsets + 1 or 0 do
    local last, next_first = ends[position - 1][2], ends[position][1]
    if last ~= nil and next_first ~= nil and last ~= next_first then
      incomplete(path, "changed while it was read (items were added or removed between its pages)")
    end
  end
  if seen + (apart and apart() or 0) < total then
    incomplete(path, ("changed while it was read (%d of %d items)"):format(seen, total))
  end
end

--- The account's link table now, read in pages (a few requests for thousands of
--- assistants, `concurrency` at once).
---@param client table the flireo client (the global `flireo`, or one from flireo.connect)
---@param opts? {names?: boolean, details?: boolean, only?: {assistants: table<string, any>, numbers: table<string, any>}, concurrency?: integer, progress?: string} progress: a label ("undo: reading the account") for a progress display on stderr when the read takes more than two seconds; names: keep assistant names (for exports); details: keep number types and the number list's own idea of each holder (for audits and filters); only: keep just these assistants and numbers (keyed by id, or E.164 for numbers), those holding them and those on default numbers: what a plan for them needs, in a fraction of the memory
---@return table state {assistants = {id → number id or false}, order = {ids in listing order; empty with `only`}, probe = {the first 3 ids}, names, numbers = {id → E.164}, by_number = {E.164 → id}, default = {id → true}, types = {id → type} (details), holder = {custom number id → assistant}, on_default = {assistant → true}, listed_holder = {number id → assistant, as the number list says} (details)}
function snapshot.read(client, opts)
  if type(client) ~= "table" or client._native == nil then
    check.bad("client", "a flireo client (flireo, or one from flireo.connect)", client)
  end
  opts = check.options(opts, "opts", {names = true, details = true, only = true, concurrency = true, progress = true})
  local only = opts.only
  local state = {
    assistants = {}, order = {}, probe = {}, names = opts.names and {} or nil,
    numbers = snapshot.number_table(), by_number = {}, default = {}, holder = {}, on_default = {},
    types = opts.details and {} or nil, listed_holder = opts.details and {} or nil, base_url = client.base_url,
  }
  local chunks, missing = {}, nil
  local function remember_number(n, default)
    local id, e164 = n.id, present(n.phone_number) or present(n.number)
    if not id then return end
    if default or present(n.origin) == "default" then state.default[id] = true end
    if only and not (only.numbers[id] or (e164 and only.numbers[e164]) or state.default[id]) then return end
    if e164 then
      state.numbers[id] = e164
      -- E.164 lookups are for the input's numbers (all of them without `only`).
      if not only or only.numbers[e164] or state.default[id] then state.by_number[e164] = id end
    end
    if opts.details then
      state.types[id] = present(n.number_type) or present(n.type)
      local linked = present(n.linked_assistant)
      if linked and linked.id then state.listed_holder[id] = linked.id end
    end
  end
  -- Shared default numbers: listed in data too, or (as the contract's example) only in
  -- shared_numbers, counted in the total.
  local shared = require("flireo.core.besides").new()
  each_page(client, "/v1/phone-numbers?include_default=true", function(items, _, page)
    local listed_apart = present(page.shared_numbers) or {}
    shared:note(listed_apart, nil, items)
    for _, n in ipairs(listed_apart) do remember_number(n, true) end
    for _, n in ipairs(items) do remember_number(n, false) end
  end, opts, "phone numbers", function() return shared:apart() end)
  each_page(client, "/v1/assistants", function(items, page)
    local ids = {}
    if page == 1 then
      for i = 1, math.min(3, #items) do state.probe[i] = items[i].id end
    end
    for _, a in ipairs(items) do
      local phone = a.phone_number
      local number = present(phone)
      -- With `only`, an assistant matters when it is wanted, holds a wanted number, or
      -- is on a default number (a default link would release it).
      local keep = not only or only.assistants[a.id]
        or (number and (only.numbers[number.id] or only.numbers[number.number] or state.default[number.id]
          or present(number.origin) == "default"))
      if keep then
        if not only then ids[#ids + 1] = a.id end
        if phone == nil then
          missing = missing or {}
          missing[#missing + 1] = a.id
          state.assistants[a.id] = false
        else
          state.assistants[a.id] = number and number.id or false
          if number then
            if not state.numbers[number.id] and present(number.number) then
              state.numbers[number.id] = number.number
              if not only then state.by_number[number.number] = number.id end
            end
            if present(number.origin) == "default" then state.default[number.id] = true end
          end
        end
        if state.names then state.names[a.id] = present(a.name) end
      end
    end
    chunks[page] = ids
  end, opts, "assistants")
  -- An API whose assistant list carries no phone_number: ask each assistant.
  if missing then
    local _, failures = parallel(missing, function(id)
      local phone = client.assistant(id):phone()
      state.assistants[id] = phone and phone.id or false
      if phone then
        state.numbers[phone.id], state.by_number[phone.number] = phone.number, phone.id
        if phone.origin == "default" then state.default[phone.id] = true end
      end
    end, {concurrency = opts.concurrency or 8})
    -- An assistant whose link could not be read would be missing from the snapshot.
    local _, failure = next(failures or {})
    if failure ~= nil then error(failure, 0) end
  end
  for _, ids in ipairs(chunks) do
    for _, id in ipairs(ids) do state.order[#state.order + 1] = id end
  end
  -- A dry run reads the account as its planned links leave it, as `:phone()` does.
  for a, n in pairs(require("flireo.core.plan").links(client) or {}) do
    if state.assistants[a] ~= nil then
      state.assistants[a] = n and n.id or false
      if n and n.number then state.numbers[n.id], state.by_number[n.number] = n.number, n.id end
      if n and n.origin == "default" then state.default[n.id] = true end
    end
  end
  for a, n in pairs(state.assistants) do
    if n then
      if state.default[n] then state.on_default[a] = true else state.holder[n] = a end
    end
  end
  return state
end

return snapshot
