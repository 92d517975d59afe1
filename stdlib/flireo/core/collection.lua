--- Lazily fetched lists: `for x in c do … end` fetches one page per request; `c:list()`
--- takes everything; `c:count()` asks for the total.
local check = require "flireo.core.check"
local shared = require "flireo.core.shared"
local besides = require "flireo.core.besides"

local Collection = {__name = "flireo.Collection"}

local USE = "for x in c do … end reads it page by page, c:list() takes every item, c:count() asks for the total"

-- Read like a list, a collection would look empty (it holds no items, only a cursor):
-- `#c`, `c[1]`, `ipairs(c)` and `pairs(c)` are errors that say what to use instead.
-- (The methods stay a plain __index table, so the REPL still completes them.)
Collection.__index = Collection
setmetatable(Collection, {__index = function(_, key)
  if math.type(key) == "integer" then
    check.raise("invalid_parameters", ("a flireo.Collection cannot be indexed (c[%d]): %s"):format(key, USE))
  end
end})

function Collection.__len()
  check.raise("invalid_parameters", "a flireo.Collection has no length (#c): " .. USE)
end

function Collection.__pairs()
  check.raise("invalid_parameters", "a flireo.Collection cannot be walked with pairs: " .. USE)
end

local collection = {}

--- A collection over `fetch(limit, offset)`, which returns a page
--- `{items, raws, total, besides?, besides_raws?}`; `wrap(item, raw)` turns each into what
--- is yielded, and `keep(item)` filters. `besides` are items the response lists beside its
--- page (a number list's shared default numbers): each comes once, after the last page,
--- unless a page lists it itself; `total` may count them or not.
---@param fetch fun(limit: integer, offset: integer): table
---@param page_size integer
---@param wrap fun(item: any, raw: any): any
---@param keep? fun(item: any): boolean
---@return flireo.Collection
---@param path? string the list's path, named in an error about an incomplete list
function collection.new(fetch, page_size, wrap, keep, path)
  return setmetatable({
    _fetch = fetch, _size = page_size, _wrap = wrap, _keep = keep, _path = path,
    _buffer = {}, _next = 1, _offset = 0, _done = false,
    _besides = besides.new(),
  }, Collection)
end

--- An item's id (an object or a table), or nil; flireo.snapshot's page check uses it too.
---@param item any
---@return any id
function collection.id_of(item)
  local kind = type(item)
  if kind ~= "table" and kind ~= "userdata" then return nil end
  local ok, id = pcall(function() return item.id end)
  return ok and id or nil
end

--- Fills the buffer with the next page; returns false at the end.
local function fill(self)
  while not self._done do
    -- A page after the first starts on the last item of the one before: an item added or
    -- removed before it since then shifts the list, which would skip or repeat an item
    -- without a word; the shared item then differs, and that is said instead.
    -- (Not where the server serves pages of one: such a page would bring nothing new.)
    local overlap = self._offset > 0 and self._last_id ~= nil and (self._served or 0) > 1
    local page = self._fetch(self._size, overlap and self._offset - 1 or self._offset)
    local items, raws = page.items, page.raws or {}
    self._served = #items
    if overlap and #items > 0 then
      if collection.id_of(items[1]) ~= self._last_id then
        check.raise("inconsistent", ("the list changed while it was read (an item was added or removed before "
          .. "position %d): items after it may be skipped or repeated; read it again"):format(self._offset),
          {path = self._path, method = self._path and "GET" or nil})
      end
      table.remove(items, 1)
      if #raws > 0 then table.remove(raws, 1) end
    end
    self._last_id = collection.id_of(items[#items]) or self._last_id
    self._besides:note(page.besides, page.besides_raws, items)
    local apart = self._besides:apart()
    local total = page.total or 0
    -- A page short of the total with nothing after it is an incomplete list, not its end.
    if #items == 0 and self._offset + apart < total then
      check.raise("invalid_response", ("the page at offset %d is empty but meta.total is %d; the list is incomplete")
        :format(self._offset, total), {path = self._path, method = self._path and "GET" or nil})
    end
    self._offset = self._offset + #items
    -- Items added while the list is read are listed; one that keeps growing ahead of the
    -- reader (each page's total one more) would be read without end (as FlireoPages says).
    self._first_total = self._first_total or total
    if self._offset > self._first_total * 2 + 1000 then
      check.raise("invalid_response", ("the list kept growing while it was read: meta.total was %d at the start and is "
        .. "%d after %d items; stopping"):format(self._first_total, total, self._offset),
        {path = self._path, method = self._path and "GET" or nil})
    end
    -- More pages exist while offset + items < total; never trust meta.limit.
    local pending = {}
    if #items == 0 or self._offset >= total then
      self._done = true
      -- Then what was listed only beside the pages.
      pending = self._besides:unlisted()
    end
    local buffer = {}
    local function add(item, raw)
      item = self._wrap(item, raw)
      if not self._keep or self._keep(item) then buffer[#buffer + 1] = item end
    end
    for i = 1, #items do add(items[i], raws[i]) end
    for _, entry in ipairs(pending) do add(entry[1], entry[2]) end
    self._buffer, self._next = buffer, 1
    if #buffer > 0 then return true end
  end
  return false
end

--- Fills the buffer; tasks reading one collection at once share one fetch, so each
--- item is handed out once. Returns false at the end.
local function refill(self)
  while self._next > #self._buffer do
    -- A fill marks the end in the same step as it sets the buffer.
    if self._done then return false end
    shared(self, "_filling", fill, self)
  end
  return true
end

--- The iterator step: `for x in c do`.
function Collection:__call()
  if self._next > #self._buffer and not refill(self) then return nil end
  local item = self._buffer[self._next]
  self._buffer[self._next] = nil
  self._next = self._next + 1
  return item
end

-- The same query from its first page, with a cursor of its own.
local function restarted(self)
  return collection.new(self._fetch, self._size, self._wrap, self._keep, self._path)
end

--- Every item in a table (fetches every page, from the first: `for x in c` consumes the
--- collection, `c:list()` does not).
function Collection:list(...)
  check.self(self, "flireo.Collection", "list")
  if select("#", ...) > 0 then check.no_more("collection:list", "no arguments", 0, ...) end
  local items = json.array()
  for item in restarted(self) do items[#items + 1] = item end
  return items
end

--- How many items there are: one request for the total when nothing is filtered,
--- otherwise counts them all (from the first page, like `list`).
function Collection:count(...)
  check.self(self, "flireo.Collection", "count")
  if select("#", ...) > 0 then check.no_more("collection:count", "no arguments", 0, ...) end
  if not self._keep then return self._fetch(1, 0).total end
  local n = 0
  for _ in restarted(self) do n = n + 1 end
  return n
end

function Collection:__tostring()
  return ("flireo.Collection (pages of %d, %s): for x in c do … end, c:list(), c:count()"):format(self._size,
    self._done and "read to the end" or ("%d read"):format(self._offset))
end

return collection
