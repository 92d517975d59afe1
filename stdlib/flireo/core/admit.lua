--- flireo.core.admit: what a journal's header must show for a run to continue it or undo
--- it (flireo.journal re-exports these): the same script, server and input, not a dry
--- run's, not undone. And the error every journal refusal raises.
local native = require "flireo.native"

local admit = {}

--- Raises a journal error: {code, message}, a one-line tostring.
---@param code string
---@param message string
function admit.raise(code, message)
  error(setmetatable({code = code, message = message}, {
    __name = "flireo.journal.Error",
    __tostring = function(e) return e.message end,
  }), 0)
end
local raise = admit.raise

--- Whether this run is a dry run (the global client's setting).
---@return boolean
function admit.dry_now()
  local client = rawget(_G, "flireo")
  return type(client) == "table" and client.config.dry_run == true
end

--- Refuses, for a real run, a journal a dry run wrote: its outcomes were predicted, not
--- sent, and taken as done they would be skipped.
---@param state table what journal.read returned
---@param path string the journal's path
function admit.refuse_dry(state, path)
  if state.header.dry_run and not admit.dry_now() then
    raise("dry_run", ("%s was written by a dry run: nothing in it was sent, so it can be neither resumed nor "
      .. "undone; start the real run without --resume and with another --journal (or remove this one)"):format(path))
  end
end

--- Refuses to continue a run that was undone (see journal.hold_for_undo).
---@param state table what journal.read returned
---@param path string the journal's path
function admit.refuse_undone(state, path)
  if state.undone_by then
    raise("undone", ("%s was undone by %s: resuming that run would re-apply what the undo reverted; to make its "
      .. "changes again, start a new run without --resume and with another --journal (or remove this one)")
      :format(path, state.undone_by))
  end
end

--- Refuses a journal whose header does not match `expect`, with the reason.
---@param state table what journal.read returned
---@param expect table the fields that must match (nested tables compared field by field)
---@param describe? table<string, string> names of the fields for the message
---@param path string the journal's path
function admit.check(state, expect, describe, path)
  describe = describe or {}
  local function same(a, b)
    if type(a) ~= "table" or type(b) ~= "table" then return a == b end
    for k, v in pairs(b) do if not same(a[k], v) then return false end end
    return true
  end
  for field, wanted in pairs(expect) do
    local got = state.header[field]
    -- One server however its URL was spelled when the journal was written (a trailing
    -- "/", upper case, the scheme's own port).
    if field == "base_url" and type(got) == "string" and type(wanted) == "string" then
      got, wanted = admit.same_server(got, wanted) and wanted or got, wanted
    end
    if not same(got, wanted) then
      -- An input file is known by a fingerprint of its content: say so, not its JSON.
      local function show(v)
        if type(v) == "table" and v.fingerprint ~= nil and next(v, next(v)) == nil then
          return "content " .. tostring(v.fingerprint)
        end
        return type(v) == "table" and json.encode(v) or tostring(v)
      end
      raise("mismatch", ("the journal %s was written for another %s: it has %s, this run has %s%s")
        :format(path, describe[field] or field, show(got), show(wanted),
          field == "base_url" and admit.servers_note(got, wanted) or ""))
    end
  end
end

--- Whether two base URLs name the same server, however each is spelled.
---@param a string a base URL
---@param b string another
---@return boolean same
function admit.same_server(a, b)
  return native.canonical_url(a) == native.canonical_url(b)
end

--- Why two servers differ when both are on this machine: most often two sandboxes, each
--- `flireo --sandbox` starting one of its own. "" otherwise.
---@param a any a base URL
---@param b any another
---@return string note to append to a message
function admit.servers_note(a, b)
  local function here(url)
    return type(url) == "string" and (url:match("^https?://127%.") or url:match("^https?://localhost[:/]")
      or url:match("^https?://localhost$") or url:match("^https?://%[::1%]")) ~= nil
  end
  if not (here(a) and here(b)) then return "" end
  return ". Both are on this machine: if they are sandboxes, each `flireo --sandbox` run starts a new one, so its "
    .. "journal cannot be resumed or undone by another; rehearse on one that stays (`flireo sandbox serve --state FILE`, "
    .. "then FLIREO_BASE_URL) to use --resume and undo"
end

return admit
