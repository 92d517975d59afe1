--- Items a list response names beside its pages (the shared default numbers of the
--- account's number list, in `shared_numbers`), and which of them a page lists as its own.
--- One served the other way needs the same handling: what is listed only beside the pages
--- comes once, after the last page, and a `meta.total` may count it.
local besides = {}

local Tracker = {}
Tracker.__index = Tracker

--- A tracker for one pass over a list.
---@return table tracker
function besides.new()
  return setmetatable({entries = {}, index = {}, listed = {}, listed_count = 0}, Tracker)
end

--- Notes one page: the items it lists beside itself (and their raw forms, if kept), and
--- its own items.
---@param beside? table[] items with `.id`
---@param raws? table the server's objects of `beside`, by position
---@param items table[] the page's own items, with `.id`
function Tracker:note(beside, raws, items)
  for i, item in ipairs(beside or {}) do
    if item.id ~= nil and not self.index[item.id] then
      self.entries[#self.entries + 1] = {item, raws and raws[i]}
      self.index[item.id] = true
    end
  end
  if #self.entries == 0 then return end
  for _, item in ipairs(items) do
    if item.id ~= nil and self.index[item.id] and not self.listed[item.id] then
      self.listed[item.id], self.listed_count = true, self.listed_count + 1
    end
  end
end

--- How many items were listed only beside the pages so far (those a total may count).
---@return integer
function Tracker:apart()
  return #self.entries - self.listed_count
end

--- The `{item, raw}` entries listed only beside the pages, in the order first seen.
---@return table[]
function Tracker:unlisted()
  local left = {}
  for _, entry in ipairs(self.entries) do
    if not self.listed[entry[1].id] then left[#left + 1] = entry end
  end
  return left
end

return besides
