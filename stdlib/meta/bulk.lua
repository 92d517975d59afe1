---@meta
-- LuaLS stubs for the native primitives under the bulk modules: flireo.native.files
-- (append-only, fsync'd journal files), flireo.native.csv (RFC 4180 through CSV.swift)
-- and flireo.native.system. Scripts use them through flireo.journal, flireo.csv and
-- flireo.cli; the format of this file is described at the top of meta/luakit.lua.
if ... then return end

--- Files for journals: created once (never over an existing file), appended to, made
--- durable with fsync. `require "flireo.native.files"`.
---@class flireo.native.files
local files = {}

--- Creates a new file for appending; an existing file is an error (code `exists`), a
--- place that cannot be written another (`not_writable`).
---@param path string the file
---@return flireo.AppendFile file
function files.create(path) end

--- Opens an existing file for appending.
---@param path string the file
---@return flireo.AppendFile file
function files.append(path) end

--- Cuts a file to a length (a journal's torn last line).
---@param path string the file
---@param length integer bytes to keep
function files.truncate(path, length) end

--- What is at a path: "file", "directory", "other" (a device, a socket, …), or nil.
---@param path string the path (a symbolic link is followed)
---@return "file"|"directory"|"other"|nil kind
function files.kind(path) end

--- The FNV-1a 64 hash of a string, as 16 hex digits.
---@param text string the bytes
---@return string hash
function files.hash(text) end

--- The FNV-1a 64 hash of a file's bytes, as 16 hex digits (read in blocks).
---@param path string the file
---@return string hash
function files.hash_file(path) end

--- Whether a new file could be made at `path` now: nothing is there, and its directory
--- exists and is writable.
---@param path string
---@return boolean
function files.can_create(path) end

--- The path with every symbolic link followed (what a write through it reaches; for a
--- link to nothing yet, its target), or nil when nothing is there.
---@param path string the path
---@return string|nil resolved
function files.resolve(path) end

--- Whether an AppendFile holds the file's lock: a journal another run is writing now
--- (or this run, when it has the file open itself). False when the file is free or not there.
---@param path string the file
---@return boolean in_use
function files.in_use(path) end

--- A file open for appending: writes are buffered until `sync`, which writes them and
--- waits for the disk (fsync). Collected without `close`, it still syncs what it holds.
---@class flireo.AppendFile
---@field path string the file
local AppendFile = {}

--- Buffers text (nothing reaches the file before sync).
---@param text string the bytes
function AppendFile:write(text) end

--- Writes what is buffered and fsyncs it.
function AppendFile:sync() end

--- Syncs and closes.
function AppendFile:close() end

--- RFC 4180 reading and writing through CSV.swift. `require "flireo.native.csv"`.
---@class flireo.native.csv
local csv = {}

--- Opens a CSV file for reading one record at a time. A UTF-8 byte order mark is
--- skipped; a UTF-16 or UTF-32 file is an error (code `encoding`).
---@param path string the file, or "-" for stdin
---@return flireo.CSVFile file
function csv.open(path) end

--- One record as text: fields quoted when they hold a comma, a quote or a line break.
---@param fields any[] strings, numbers, booleans (nil and json.null are empty fields, also inside the sequence); no other keys
---@param newline? string what ends the record (default "\r\n")
---@return string text
function csv.format(fields, newline) end

--- A CSV file being read.
---@class flireo.CSVFile
---@field path string the file
local CSVFile = {}

--- The next record and the line it starts on (line breaks inside quoted fields counted),
--- or nil at the end. Invalid UTF-8 and NUL bytes are errors naming the line.
---@return string[]|nil fields
---@return integer|nil line
function CSVFile:next() end

--- Stops reading.
function CSVFile:close() end

--- What plain Lua lacks for bulk runs. `require "flireo.native.system"`.
---@class flireo.native.system
local system = {}

--- Whether a standard stream is a terminal.
---@param fd integer 0 stdin, 1 stdout, 2 stderr
---@return boolean terminal
function system.isatty(fd) end

--- The width of the terminal on stderr (COLUMNS, else 80).
---@return integer columns
function system.columns() end

--- The source of a script shipped in the binary, or nil.
---@param name string the script's name (`link-from-csv`)
---@return string|nil source
function system.script_source(name) end

--- Flushes standard output and says why something written there was lost (a full disk:
--- "No space left on device"), or nil when nothing was.
---@return string|nil why
function system.stdout_error() end

--- Sets what the host prints after "NAME: interrupted; " if Ctrl-C stops the script
--- from now on (it then exits 130).
---@param note string e.g. the journal and the command that continues the run
---@param remove? string a file the host then removes
---@param json? string a line the host then writes on standard output (a run with --json)
function system.on_interrupt(note, remove, json) end

--- Whether the script has written anything to standard output yet (sent, or buffered).
---@return boolean started
function system.stdout_started() end

--- From now on, a standard output whose reader went away (`| head`) stops the script as
--- Ctrl-C does, its journal synced and the next commands said, with exit 141; until then
--- it ends the process at once with SIGPIPE, as it ends `lua`.
function system.trap_broken_pipe() end

--- The next line of stdin without its newline, or nil at the end of input. It yields
--- while it waits (unlike io.read), so Ctrl-C interrupts it at once.
---@async
---@return string|nil line
function system.read_line() end
