---@meta
-- LuaLS stubs for flireo.native, the Swift primitives under the flireo module
-- (stdlib/flireo/init.lua and flireo.core.*). Scripts use the flireo module instead;
-- the format of this file is described at the top of meta/luakit.lua.
if ... then return end

--- The host's primitives for the flireo module. `require "flireo.native"`.
---@class flireo.native
---@field default_client flireo.native.Client the client from flags, environment and profile
---@field dry_run boolean whether the process runs with --dry-run
---@field version string flireo's version
---@field null userdata the value that sends a JSON null
local native = {}

--- A client for another account or server.
---@param opts {base_url?: string, api_key_env?: string, profile?: string, rate_limit?: string}
---@return flireo.native.Client client
function native.connect(opts) end

--- The assistant object for an id, bound to a client; no request is made.
---@param client flireo.native.Client the client
---@param id string the assistant's id (checked by the caller)
---@param name? string its name, when known
---@return flireo.Assistant assistant
function native.assistant(client, id, name) end

--- Seconds since the process started (a monotonic clock).
---@return number seconds
function native.clock() end

--- A new table sized for `array` list items and `fields` keyed ones, so a large column
--- is allocated once instead of one doubling at a time.
---@param array integer list slots, 0 to 50,000,000
---@param fields? integer keyed slots, 0 to 50,000,000
---@return table t
function native.table(array, fields) end

--- A base URL spelled as the client spells it: no blanks or trailing slashes, the scheme
--- and host in lower case, no port that is the scheme's own.
---@param text string the URL
---@return string url
function native.canonical_url(text) end

--- Whether a string is a UUID (the API's ids).
---@param text string the text
---@return boolean uuid
function native.is_uuid(text) end

--- Whether a string is an E.164 phone number: `+` and 7 to 15 digits.
---@param text string the text
---@return boolean e164
function native.is_e164(text) end

--- Whether a string holds an API key this process holds (or part of one), or a word
--- that looks like a key: a message must not quote it.
---@param text string the text
---@return boolean secret
function native.holds_secret(text) end

--- The text with every API key this process holds, or part of one, and every word that
--- looks like a key, masked as `[redacted]`: the last scrub before a message is shown.
---@param text string the message
---@return string safe
function native.redact(text) end

--- The metatable of the flireo module's error values (code, status, message, …).
---@return table metatable
function native.error_metatable() end

--- The method table of flireo.Assistant objects, for the Lua methods added to it.
---@return table methods
function native.assistant_methods() end

--- The native client under the flireo module's client table.
---@class flireo.native.Client
