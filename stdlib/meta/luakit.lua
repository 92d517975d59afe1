---@meta
-- LuaLS stubs for the globals LuaKit adds to Lua: json, spawn, tasks, parallel, sleep, and the
-- task objects spawn returns. Editors read them for completion and hover; the REPL's
-- help() reads them too. Nothing here runs: the functions are implemented natively.
--
-- The format help() parses (every stdlib/meta/*.lua follows it):
--   * A doc block is a run of lines starting with `---`. Its plain lines are the
--     description: the first sentence is the summary help() lists, wrapped lines join
--     into paragraphs, a `---` line alone separates paragraphs, and lines indented by two
--     spaces more (examples) or starting with `- ` keep their breaks.
--   * `---@class Name[: Parent]` declares a class (an object type such as `luakit.Task`,
--     named as its metatable's __name, or a module table such as `json`), with
--     `---@field name[?] type [text]` lines. When the block is followed by
--     `local T = {}` or `T = {}`, the functions written on T belong to the class:
--     `function T:m()` documents `Name:m` (a method), `function T.f()` documents `Name.f`.
--   * A block followed by `function A.b(params) end`, `function A:b(params) end` or
--     `function f(params) end` documents that function, with
--     `---@param name[?] type [# text]`, `---@return type [name] [# text]` (one per
--     value) and `---@async` (it waits without blocking other tasks).
--   * Other tags (`---@alias`, `---@overload`, …) are for LuaLS only; help() skips them,
--     and any block not followed by one of the lines above.
--   * Types may contain spaces inside brackets: `fun(item: any, index: integer): any`.
--
-- The stubs are embedded with the stdlib, so `require "meta.luakit"` finds this file;
-- the next line makes that harmless (editors still read everything below it).
if ... then return end

--- JSON text to Lua values and back. Objects become tables with string keys, arrays
--- become sequences; `null` becomes `json.null` so that no key or slot is lost.
--- Integers stay integers and floats stay floats.
---@class json
---@field null userdata the JSON null sentinel: keeps a null in a table, encodes as null, prints as null
json = {}

--- Encodes a value as JSON text. Tables with only the keys 1..n are arrays, others are
--- objects (string keys only); `json.array(t)` and `json.object(t)` force the shape of an
--- empty table. Functions, userdata other than `json.null`, cycles and NaN are errors.
---@param value any the value to encode
---@param opts? {indent?: integer|boolean} `indent` spaces per level for pretty output (true: 2)
---@return string text the JSON text
function json.encode(value, opts) end

--- Decodes JSON text. A malformed document raises an error with its line and column;
--- nesting deeper than the limit is an error, not a crash.
---@param text string the JSON text
---@param opts? {nulls?: boolean} `nulls = false` drops null members of objects instead of keeping json.null (in arrays a null stays json.null, so nothing moves); other options are refused
---@return any value the decoded value
function json.decode(text, opts) end

--- Marks a table (a new empty one when none is given) as a JSON array, so that it encodes
--- as `[]` even when empty.
---@param t? table the table to mark
---@return table t the same table
function json.array(t) end

--- Marks a table (a new empty one when none is given) as a JSON object, so that it
--- encodes as `{}` even when empty.
---@param t? table the table to mark
---@return table t the same table
function json.object(t) end

--- Starts fn(...) as a task running alongside the current one, and returns its handle
--- at once. The task runs when the current one waits (a request, `sleep`, `task:wait()`);
--- an error in it is kept for `task:wait()`, and reported when nobody waits for it.
---
---   local t = spawn(function(n) sleep(1) return n * 2 end, 21)
---   t:wait()   --> 42
---@param fn function the function to run
---@param ... any its arguments
---@return luakit.Task task the handle
function spawn(fn, ...) end

--- The other tasks still running (started by `spawn`) and not cancelled, oldest first: a
--- task whose handle was not kept can still be waited for or stopped.
---
---   for _, t in ipairs(tasks()) do t:cancel() end
---@return luakit.Task[] tasks their handles
function tasks() end

--- Calls fn(item, index) for every item, up to `concurrency` at once, and returns the
--- results in input order. One failure does not stop the others: `failures[i]` is the
--- error of item i. An iterator that fails (a page that cannot be read) ends the run: its
--- error is raised once the items taken are done, and a structured one carries them as
--- `err.results` and `err.failures`.
---
---   local squares = parallel({1, 2, 3}, function(n) return n * n end)
---@async
---@param items table|fun(): any the sequence of items, or an iterator called for the next item until it returns nil (a lazy collection such as flireo.assistants() is one: its pages are fetched as the tasks need them)
---@param fn fun(item: any, index: integer): any called once per item, as a task
---@param opts? {concurrency?: integer} at most this many at once (default 16)
---@return table results the result of each item, in input order
---@return table? failures the error of each failed item, or nil when none failed (sparse, keyed by the item's index: iterate it with pairs; `error(nil)` shows as "(error object is a nil value)")
function parallel(items, fn, opts) end

--- Waits for the given number of seconds without blocking other tasks.
---@async
---@param seconds number how long, fractions allowed
function sleep(seconds) end

--- What `spawn(fn, ...)` returns: a handle on a task running alongside the others.
---@class luakit.Task
local Task = {}

--- Waits for the task and returns its results, or raises its error.
---@async
---@return any ... the task's results
function Task:wait() end

--- Stops the task at its next wait: it fails with an error whose `code` is "cancelled". A pcall
--- inside the task cannot swallow it (the next step raises it again, as with Ctrl-C); its <close>
--- variables are closed, and a `parallel` (or `bulk.run`) it waits in cancels the tasks it started. A finished task is not
--- affected. A cancelled task nobody waits for is not reported as an error at exit.
function Task:cancel() end

--- Whether the task has finished (successfully or not).
---@return boolean done
function Task:done() end

--- The error a Swift-side failure raises in Lua: a table with at least `code` and
--- `message`, whose `tostring` is one line. `pcall` returns it as the error value.
---@class luakit.Error
---@field code string what went wrong, for programs: `not_found`, `internal`, …
---@field message string what went wrong, for people
---@field status? integer the HTTP status, when it came from a response
---@field details? table more about the failure, as the server sent it
---@field method? string the HTTP method of the failed request
---@field path? string the path of the failed request
---@field where? string the `file:line` of the Lua code that made the call
