-- A tiny harness for the Lua unit tests the Swift suite runs: test(name, fn) records,
-- eq/ok/raises assert, done() prints "N passed, N failed" and exits non-zero on failure.
local T = {passed = 0, failed = 0}

function T.test(name, fn)
  local ok, err = pcall(fn)
  if ok then
    T.passed = T.passed + 1
  else
    T.failed = T.failed + 1
    io.stderr:write("FAIL ", name, ": ", tostring(err), "\n")
  end
end

local function show(v)
  if type(v) == "table" then
    local ok, text = pcall(json.encode, v)
    return ok and text or tostring(v)
  end
  return tostring(v)
end

function T.eq(got, want, what)
  local same = got == want
  if type(got) == "table" and type(want) == "table" then same = show(got) == show(want) end
  if not same then error(("%s: got %s, want %s"):format(what or "value", show(got), show(want)), 2) end
end

function T.ok(cond, what)
  if not cond then error(what or "expected true", 2) end
end

--- Calls fn and returns its error, failing when it does not raise.
function T.raises(fn, what)
  local ok, err = pcall(fn)
  if ok then error((what or "call") .. " did not raise", 2) end
  return err
end

--- A scratch file path for this test run.
function T.tmp(name)
  return (os.getenv("TEST_TMP") or "/tmp") .. "/" .. name
end

function T.write(path, text)
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
end

function T.done()
  print(("%d passed, %d failed"):format(T.passed, T.failed))
  os.exit(T.failed == 0 and 0 or 1)
end

return T
