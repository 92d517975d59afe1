-- flireo.core.plan (dry runs) against a client whose reads are scripted: no server.
package.path = arg[0]:gsub("[^/]*$", "") .. "?.lua;" .. package.path
local T = require "testing"
local plan = require "flireo.core.plan"

local D = "dddddddd-0000-4000-8000-000000000001"
-- A client of three assistants, all on the default number D, one of whose links cannot be read.
local function client(unreadable)
  local native = {}
  function native:_page(kind)
    if kind == "phone_numbers" then
      return {items = {{id = D, number = "+31850000001"}}, shared = {{id = D, number = "+31850000001"}}, total = 1}
    end
    return {items = {{id = "a1"}, {id = "a2"}, {id = "a3"}}, total = 3}
  end
  function native:_link_of(aid)
    if aid == unreadable then error({code = "server_error", status = 503, message = "unavailable"}, 0) end
    if aid == "a4" then return {phone_number = nil} end  -- the assistant being linked has no number
    return {phone_number = {id = D, number = "+31850000001", origin = "default"}}
  end
  return {_native = native, config = {dry_run = true}}
end

T.test("a default link predicts every release when every link is read", function()
  local result = plan.link(client(nil), "a1", D, true)
  T.eq(result.already_linked, true, "a1 is on D already")
  local c = client(nil)
  local r = plan.link(c, "a4", D)
  T.eq(r.released_assistants, 3, "a1, a2 and a3 released")
end)

T.test("a link that cannot be read fails the prediction instead of leaving it out", function()
  local c = client("a3")
  local ok, e = pcall(plan.link, c, "a4", D)
  T.eq(ok, false, "no prediction")
  T.eq(type(e) == "table" and e.code, "server_error", "the read's own error")
end)

T.done()
