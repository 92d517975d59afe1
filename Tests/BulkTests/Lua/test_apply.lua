-- flireo.apply: what a link-changing script says before it asks.
package.path = arg[0]:gsub("[^/]*$", "") .. "?.lua;" .. package.path
local T = require "testing"
local apply = require "flireo.apply"

--- What note_duration writes to stderr for `requests` at `rate` requests/s.
local function note(rate, requests)
  local path = T.tmp("note.txt")
  local saved = io.stderr
  io.stderr = assert(io.open(path, "w"))
  local ok, err = pcall(apply.note_duration, {_native = {requests_per_second = rate}}, requests, {script = "s"})
  io.stderr:close()
  io.stderr = saved
  assert(ok, err)
  local f = assert(io.open(path))
  local text = f:read("a")
  f:close()
  return text
end

T.test("a run longer than a minute at the client's pace says how long", function()
  T.ok(note(100 / 60, 10000):find("at the client's pace of 100/min this takes about 1 h 40 min", 1, true), "10,000 at 100/min")
  T.ok(note(1 / 60, 3):find("pace of 1/min this takes about 3 min", 1, true), "3 at 1/min")
  T.ok(note(5, 600):find("pace of 5/s this takes about 2 min", 1, true), "600 at 5/s")
end)

T.test("a short run, or no pacing, says nothing", function()
  T.eq(note(100 / 60, 100), "", "100 at 100/min is a minute")
  T.eq(note(nil, 10000), "", "pacing off")
end)

T.done()
