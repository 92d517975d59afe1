--- One task at a time for work several tasks may ask for at once (loading the number
--- index, reading who is on default numbers, fetching a collection's next page): the
--- first caller starts it, the others wait for the same result or error.
local check = require "flireo.core.check"

--- The error of the shared work, as each caller's own: a structured error raised inside
--- the task has no position in the caller's code, so a copy gets the caller's file:line.
local function raise(e)
  if type(e) == "table" and rawget(e, "where") == nil and rawget(e, "code") ~= nil then
    local copy = {}
    for k, v in next, e do copy[k] = v end
    copy.where = check.where(2)
    e = setmetatable(copy, getmetatable(e))
  end
  error(e, 0)
end

---@param holder table where the running task is kept
---@param key string its field in `holder`
---@param fn function the work
---@return any result what `fn(...)` returned
return function(holder, key, fn, ...)
  local running = holder[key]
  if running then
    local ok, result = pcall(running.wait, running)
    if not ok then raise(result) end
    return result
  end
  local task = spawn(fn, ...)
  holder[key] = task
  local ok, result = pcall(task.wait, task)
  holder[key] = nil
  if not ok then raise(result) end
  return result
end
