---@meta
-- LuaLS stubs for the `flireo` module: the Flireo AI API as Lua functions and objects.
-- Editors read them for completion and hover; the REPL's help() reads them too (the
-- format is described at the top of meta/luakit.lua).
--
-- One naming for every result, whatever the endpoint calls it: a phone number is
-- `{id, number, type, locality, origin}` (the list endpoint's `phone_number` and
-- `number_type` become `number` and `type`). JSON null becomes nil. The server's own
-- object stays reachable as `result.raw` (it is not among the table's keys, so it does
-- not show in printing or JSON).
if ... then return end

--- The Flireo AI API. The global `flireo` is the client configured from the command line
--- (`--sandbox`, `--base-url`, `--profile`), the environment (`FLIREO_BASE_URL`,
--- `FLIREO_API_KEY`) and the config file; `flireo.connect{…}` makes more clients with the
--- same functions. Every call that talks to the server waits without blocking other
--- tasks, so `flireo.parallel` overlaps them. Failures raise a `flireo.Error`.
---@class flireo
---@field config flireo.Config settings of this client (dry_run, warnings); set one by one: replacing the table is an error
---@field null userdata an explicit JSON null for request bodies (the same value as json.null)
---@field base_url string the server this client talks to
---@field version string the flireo version
flireo = {}

--- Settings of one client.
---@class flireo.Config
---@field dry_run boolean reads are sent, mutations are not: each returns its predicted result, marked dry_run = true, and prints one plan line (--dry-run sets it for every client, and then it cannot be turned off)
---@field warnings boolean print one line on stderr when a link replaces a number or releases assistants (default true)

--- An assistant, by id (any letter case). No request is made until a method is called.
--- While an assistant object is in use, the same id gives the same object (so it works as
--- a table key), on this client.
---@param id string the assistant's UUID
---@return flireo.Assistant assistant
function flireo.assistant(id) end

--- Every assistant of the account, fetched lazily one page at a time:
--- `for a in flireo.assistants() do … end`, or `:list()` for a table.
---@param opts? {page_size?: integer} page_size: items per request (1–100, default 50)
---@return flireo.Collection assistants of flireo.Assistant
function flireo.assistants(opts) end

--- The account's phone numbers, fetched lazily one page at a time. Filters are applied
--- as the pages arrive.
---@param opts? {include_default?: boolean, available?: boolean, type?: string, page_size?: integer} include_default: also the shared default numbers (default true); available: only numbers that can (true) or cannot (false) be linked; type: local, mobile or national
---@return flireo.Collection numbers of flireo.PhoneNumber
function flireo.phone_numbers(opts) end

--- One phone number of the account (or a shared default number), by id or E.164 number.
--- Numbers are looked up in the account's list, loaded once for the run: `available` and
--- `linked_assistant` are as that list last showed them, kept up to date by this client's
--- own links, its later `phone_numbers()` pages and `already_in_use` refusals, but not by
--- other clients' changes (iterate `flireo.phone_numbers()` for the server's state now).
---@param id_or_number string a UUID or an E.164 number such as "+31201234567"
---@return flireo.PhoneNumber number
function flireo.phone_number(id_or_number) end

--- Numbers that can be ordered. Local numbers need an approved verification group.
---@param opts? {type?: string, query?: string, limit?: integer, verification_group?: string} type: national or mobile; query: a digit pattern; verification_group: search local numbers through this group
---@return flireo.AvailableNumber[] numbers with fields total_results, type, requires_verification
function flireo.available_numbers(opts) end

--- Orders a number (10 credits). The order completes asynchronously: `order:wait()`. In a
--- dry run the number is looked up among the available ones (a read), and the predicted
--- order has no id; the account's credits cannot be checked before an order.
---@param number string|flireo.AvailableNumber the E.164 number to order, or an available number as found (its type is used)
---@param opts? {type?: string, verification_group?: string} type: national (default, or the available number's), mobile, or local; verification_group: required for local numbers, and only for them (with it, the type is local)
---@return flireo.Order order
function flireo.order_number(number, opts) end

--- Phone number orders, fetched lazily one page at a time.
---@param opts? {status?: string, verification_group?: string, type?: string, page_size?: integer} status: pending, success or failed; type: local, mobile or national
---@return flireo.Collection orders of flireo.Order
function flireo.orders(opts) end

--- One phone number order, by id.
---@param id string the order's UUID
---@return flireo.Order order
function flireo.order(id) end

--- Verification groups (regulatory bundles for local numbers), fetched lazily.
---@param opts? {status?: string, type?: string, page_size?: integer} status: pending, approved, rejected or deleted; type: local, mobile or national
---@return flireo.Collection groups of flireo.VerificationGroup
function flireo.verification_groups(opts) end

--- One verification group with its documents and numbers.
---@param id string the group's UUID
---@return flireo.VerificationGroup group
function flireo.verification_group(id) end

--- Creates a verification group (it starts pending).
---@param fields table type, name, business_name, contact_person_first_name, contact_person_last_name, contact_person_phone, street_name, house_number, postal_code, city, province, and optionally description
---@return flireo.VerificationGroup group {id, name, type, business_name, description, status, message} (no id in a dry run); an unknown or missing field is an error before any request
function flireo.create_verification_group(fields) end

--- Any endpoint, for what the module does not wrap: the decoded JSON response (nulls
--- kept as flireo.null). GETs are retried like every read; other methods are sent once.
---@param method string GET, POST, PUT, PATCH or DELETE
---@param path string a path such as "/v1/assistants"; a query may follow "?"
---@param body? table the JSON body
---@return any response the decoded response
function flireo.request(method, path, body) end

--- Calls fn and returns true and all its results, or false and the error, instead of
--- raising: the non-raising twin of every call.
---@param fn function the function to call
---@param ... any its arguments
---@return boolean ok
---@return any ... its results, or the error
function flireo.try(fn, ...) end

--- Seconds on a monotonic clock (for timing and rates; not the time of day).
---@return number seconds
function flireo.clock() end

--- Any value as readable text, as the REPL shows results (`require "flireo.inspect"`):
--- tables sorted and indented, long ones cut with a count. `{all = true}` shows all of
--- it: `print(flireo.inspect(flireo.assistants():list(), {all = true}))`.
---@param value any the value to show
---@param opts? {depth?: integer, items?: integer, keys?: integer, string?: integer, width?: integer, indent?: string, color?: boolean, all?: boolean} limits (each may be math.huge), colour, or all = true for no limits
---@return string text the rendering, without a final newline
function flireo.inspect(value, opts) end

--- The global `parallel`, on the client too: fn(item, index) for every item, up to
--- `concurrency` at once, results in input order (see help(parallel)).
---@async
---@param items table|fun(): any the sequence of items, or an iterator called for the next item until it returns nil (a lazy collection such as flireo.assistants() is one: its pages are fetched as the tasks need them)
---@param fn fun(item: any, index: integer): any called once per item, as a task
---@param opts? {concurrency?: integer} at most this many at once (default 16)
---@return table results the result of each item, in input order
---@return table? failures the error of each failed item, or nil when none failed
function flireo.parallel(items, fn, opts) end

--- The global `spawn`, on the client too: starts fn(...) as a task and returns its handle.
---@param fn function the function to run
---@param ... any its arguments
---@return luakit.Task task the handle
function flireo.spawn(fn, ...) end

--- The global `sleep`, on the client too: waits without blocking other tasks.
---@async
---@param seconds number how long, fractions allowed
function flireo.sleep(seconds) end

--- Another client with the same functions: another account or server, for one script
--- that reads staging and writes production. Naming no base_url or profile, it is the
--- run's own account; a base_url needs api_key_env (the run's key is never sent to
--- another server).
---@param opts? {base_url?: string, api_key_env?: string, profile?: string, rate_limit?: string|integer|false, dry_run?: boolean} api_key_env: the environment variable holding the key; profile: a profile of the config file (its own settings, never FLIREO_BASE_URL or FLIREO_API_KEY)
---@return flireo client
function flireo.connect(opts) end

--- An assistant. `a.id` is its UUID; `a.name` is known once a response carried it.
--- Two assistant objects are equal when they have the same id on the same server.
---@class flireo.Assistant
---@field id string the assistant's UUID
---@field name string|nil its name, from the last response that carried it
local Assistant = {}

--- The phone number linked to the assistant, or nil.
---@async
---@return flireo.PhoneNumber|nil number {id, number, type, locality, origin}
function Assistant:phone() end

--- Links a phone number. A number already on the assistant is replaced (its id comes
--- back as previous_phone_number_id); linking a shared default number releases every
--- other assistant on a default number (released_assistants counts them). Either prints
--- one warning line unless flireo.config.warnings is false.
---@async
---@param number string|flireo.PhoneNumber a phone number id, an E.164 number, or a table with .id
---@param opts? {ensure?: boolean} ensure: a number already linked to this assistant counts as success
---@return flireo.LinkResult result
function Assistant:link(number, opts) end

--- Unlinks the assistant's number, which becomes available again.
---@async
---@param opts? {ensure?: boolean} ensure: an assistant without a number counts as success
---@return flireo.UnlinkResult result
function Assistant:unlink(opts) end

--- The assistant's record: {id, name, …}.
---@async
---@return table record
function Assistant:get() end

--- A lazily fetched list: iterate it with `for x in c do … end` (one page per request;
--- the loop consumes it, so a second loop goes on where the first stopped), or take
--- everything at once with `c:list()`, which always reads from the first page. It holds
--- no items itself: `#c`, `c[1]`, `ipairs(c)` and `pairs(c)` are errors that say so.
---@class flireo.Collection
local Collection = {}

--- Every item in a table (fetches every page, from the first, whatever a loop took).
---@async
---@return table items
function Collection:list() end

--- How many items there are (one request: the first page's total; a filtered list is
--- read from the first page and counted).
---@async
---@return integer total
function Collection:count() end

--- A phone number: {id, number, type, locality, origin, available, linked_assistant, created_at}.
--- origin is "default" for the account's shared default numbers.
---@class flireo.PhoneNumber
---@field id string
---@field number string E.164
---@field type string|nil local, mobile or national
---@field locality string|nil
---@field origin string|nil default or custom
---@field available boolean|nil whether it can be linked (from the list)
---@field linked_assistant table|nil {id, name} (from the list)

--- What a link did: {assistant_id, phone_number, previous_phone_number_id,
--- released_assistants}; reconciled = true when the response was lost and the link was
--- confirmed by reading it back; dry_run = true when predicted.
---@class flireo.LinkResult
---@field assistant_id string
---@field phone_number flireo.PhoneNumber
---@field previous_phone_number_id string|nil
---@field released_assistants integer|nil nil when reconciled (only the lost response knew)
---@field message string|nil the server's own words ("Phone number linked successfully"; with already_linked, those of its refusal); nil when reconciled or predicted
---@field reconciled boolean|nil
---@field already_linked boolean|nil true when {ensure = true} found the number linked already (the server changed nothing)
---@field dry_run boolean|nil

--- What an unlink did: {assistant_id, unlinked_phone_number = {id, number}}.
---@class flireo.UnlinkResult
---@field assistant_id string
---@field unlinked_phone_number table|nil {id, number}; nil when reconciled (which number went is then unknown)
---@field message string|nil the server's own words; nil when reconciled or predicted
---@field reconciled boolean|nil
---@field already_unlinked boolean|nil true when {ensure = true} found no number linked (nothing was sent)
---@field dry_run boolean|nil

--- A number that can be ordered: {number, type, locality, features, cost = {monthly, currency, credits}, reservable}.
---@class flireo.AvailableNumber

--- A phone number order: {id, number, type, status, …}; as placed it also has credits_used
--- and remaining_credits, as listed or read back ordered_at, requirements_met and
--- verification_group.
--- status is pending, success or failed.
---@class flireo.Order
---@field id string
---@field status string
local Order = {}

--- Polls the order until it is no longer pending, then returns it (a dry run's predicted
--- order is returned as it is: nothing was placed to poll).
---@async
---@param opts? {interval?: number, timeout?: number} seconds between polls (default 1) and in all (default 300)
---@return flireo.Order order
function Order:wait(opts) end

--- A verification group: {id, name, type, status, locality, business_name, created_at, description, documents,
--- phone_numbers}. Each of `phone_numbers` is {id, number, status}: a number ordered through the group, with
--- its order's status; its `id` is what the server lists there (the sandbox lists the order's id; the contract
--- does not say), so look the number up by `number` (flireo.phone_number) before linking it.
---@class flireo.VerificationGroup

--- What every failed call raises: a table with code, status, message, details, method, path
--- and where. Its code is for programs ("not_found", "already_in_use",
--- "rate_limit_exceeded", "timeout", "invalid_parameters", …), status the HTTP status, where the
--- calling script's file:line. An error raised before any request (a bad argument) has no
--- status. A 429 error carries retry_after (seconds); a mutation whose outcome is unknown, outcome_unknown = true.
--- `tostring(err)` is one line:
--- `where: code (status): message — METHOD path`, and `"failed: " .. err` joins that line.
---@class flireo.Error: luakit.Error
