--- The shape of a plan step, as `--resume` and `undo` read it back from a journal:
--- `{seq, key, action, before, after, …}`, `before` and `after` being `false` (or nil:
--- no number) or `{number_id = ID, number = E164}`.
local step = {}

--- What is wrong with a plan step, or nil when `--resume` and `undo` can read it.
---@param s any the step
---@return string|nil problem
function step.problem(s)
  if type(s) ~= "table" then return ("is a %s, not a table"):format(type(s)) end
  if math.type(s.seq) ~= "integer" then
    return ("has seq = %s: it must be an integer (the step's place in the plan)"):format(tostring(s.seq))
  end
  if type(s.key) ~= "string" then
    return ("has key = %s: it must be the assistant's id, a string"):format(tostring(s.key))
  end
  for _, side in ipairs({"before", "after"}) do
    local v = s[side]
    if v ~= nil and v ~= false and v ~= json.null and (type(v) ~= "table" or type(v.number_id) ~= "string") then
      local shown = type(v) == "string" and ("%q"):format(v) or type(v) == "table" and "a table without number_id"
        or tostring(v)
      return ("has %s = %s: it must be false (no number) or {number_id = ID, number = E164} (undo and --resume "
        .. "read the number's id from it)"):format(side, shown)
    end
  end
  return nil
end

return step
