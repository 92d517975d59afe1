--- One task at a time for work several tasks may ask for at once (loading the number
--- index, reading who is on default numbers, fetching a collection's next page): the
--- first caller starts it, the others wait for the same result or error.
---@param holder table where the running task is kept
---@param key string its field in `holder`
---@param fn function the work
---@return any result what `fn(...)` returned
return function(holder, key, fn, ...)
  local running = holder[key]
  if running then return running:wait() end
  local task = spawn(fn, ...)
  holder[key] = task
  local ok, result = pcall(task.wait, task)
  holder[key] = nil
  if not ok then error(result, 0) end
  return result
end
