--- flireo.csv: RFC 4180 CSV files (quoted fields, embedded line breaks, CRLF, a UTF-8
--- byte order mark), read one record at a time through the native reader (CSV.swift),
--- with the header row mapped to field names and every error naming its line.
local native = require "flireo.native.csv"
local check = require "flireo.core.check"

--- CSV reading and writing.
---
---   local csv = require "flireo.csv"
---   local reader = csv.open("rows.csv", {columns = {assistant_id = {"assistant"}, phone_number = {}}})
---   for row, line in reader:rows() do print(line, row.assistant_id) end
---@class flireo.csv
local csv = {}

--- A CSV file being read: `reader.columns` are its header's names (normalized),
--- `reader.blank_lines` the lines skipped as blank.
---@class flireo.csv.Reader
---@field path string the file
---@field name string how messages name it (the path, or `stdin` for `-`)
---@field columns string[] the header's names, normalized (lowercase, `_` for spaces and dashes)
---@field blank_lines integer[] lines that were blank and skipped
local Reader = {}
Reader.__index = Reader
Reader.__name = "flireo.csv.Reader"

--- How a header name is compared: trimmed, lowercase, spaces and dashes as `_`.
---@param name string a header name
---@return string normalized
function csv.normalize(name)
  if type(name) ~= "string" then check.bad("name", "a header name (a string)", name) end
  return (name:gsub("^%s+", ""):gsub("%s+$", ""):lower():gsub("[%s%-]+", "_"))
end

local function raise(fields)
  error(setmetatable(fields, {
    __name = "flireo.csv.Error",
    __tostring = function(e) return e.message end,
  }), 0)
end

--- Raises a structured CSV error: `{code, message, path, line}` whose message reads
--- `path:line: what`.
---@param path string the file
---@param line integer|nil the line
---@param code string `missing_column`, `duplicate_column`, `field_count`, `encoding`, …
---@param what string the problem
function csv.error(path, line, code, what)
  raise({code = code, path = path, line = line,
    message = line and ("%s:%d: %s"):format(path, line, what) or ("%s: %s"):format(path, what)})
end

--- Opens a CSV file whose first record is a header. Fails at once (with the line) on a
--- file that cannot be opened, is not UTF-8, has no header, has the same column twice,
--- or lacks a required column.
---@param path string the file, or "-" for stdin
---@param opts? {columns?: table<string, string[]>, optional?: table<string, string[]>, blank_lines?: "skip"|"error"} columns: required fields and the other header names accepted for each (`{assistant_id = {"assistant"}}`); optional: the same for fields that may be missing; blank_lines: skip them (default) or make them errors
---@return flireo.csv.Reader reader
function csv.open(path, opts)
  if type(path) ~= "string" then check.bad("path", "a file name (or \"-\" for standard input)", path) end
  opts = check.options(opts, "opts", {columns = true, optional = true, blank_lines = true})
  -- Messages name standard input as lua does.
  local name = path == "-" and "stdin" or path
  local ok, file = pcall(native.open, path)
  if not ok then
    local e = file
    raise({code = e.code or "io", path = path, line = e.line, message = e.message or tostring(e)})
  end
  local self = setmetatable({path = path, name = name, _file = file, blank_lines = {}, _blank = opts.blank_lines or "skip"}, Reader)
  local header, line = self:_next_record()
  -- Blank lines before the header are skipped (and listed), as blank lines elsewhere.
  while header and #header == 1 and header[1]:find("^%s*$") do
    if self._blank == "error" then csv.error(self.name, line, "blank_line", "blank line before the header") end
    self.blank_lines[#self.blank_lines + 1] = line
    header, line = self:_next_record()
  end
  if not header then csv.error(self.name, 1, "empty", "the file is empty: a header row was expected") end
  local columns, index = {}, {}
  for i, name in ipairs(header) do
    local normalized = csv.normalize(name)
    if normalized ~= "" and index[normalized] then
      csv.error(self.name, line, "duplicate_column", ("column %q appears twice in the header"):format(name))
    end
    columns[i] = normalized
    if normalized ~= "" then index[normalized] = i end
  end
  self.columns, self._width, self._map = columns, #header, {}
  self.header_line = line
  -- What the header holds, as written (a tab shown as \t), for messages.
  -- (At most 20 names, each cut at 60 bytes: a binary file's "header" can be megabytes.)
  local shown = {}
  for i, name in ipairs(header) do
    if i > 20 then
      shown[#shown + 1] = ("… (%d more)"):format(#header - 20)
      break
    end
    if #name > 60 then
      local cut = utf8.len(name) and utf8.offset(name, 0, 61) or 61
      name = name:sub(1, cut - 1) .. "…"
    end
    shown[i] = (("%q"):format(name):gsub("\\9", "\\t"))
  end
  local hint = ""
  if header[1] and header[1]:find("^%s*[%[{]") then
    -- An export made with --json, given where a CSV is read (a pipe, or a name without .json).
    hint = "; it looks like JSON: give it as a file whose name ends in .json"
  elseif #header == 1 and (header[1]:find("\t", 1, true) or header[1]:find(";", 1, true)) then
    hint = ("; it looks %s-separated: flireo reads comma-separated files")
      :format(header[1]:find("\t", 1, true) and "tab" or "semicolon")
  end
  self.header_text = (#shown > 0 and table.concat(shown, ", ") or "nothing") .. hint
  local function map(wanted, required)
    for field, aliases in pairs(wanted or {}) do
      local found = index[field]
      for _, alias in ipairs(aliases) do found = found or index[csv.normalize(alias)] end
      if found then
        self._map[field] = found
      elseif required then
        local names = {field}
        for _, alias in ipairs(aliases) do names[#names + 1] = alias end
        csv.error(self.name, line, "missing_column",
          ("missing column %q (or %s); the header (line %d) has: %s"):format(field,
            #names > 1 and table.concat(names, ", ", 2) or "no other name", line, self.header_text))
      end
    end
  end
  map(opts.columns, true)
  map(opts.optional, false)
  for i, name in ipairs(columns) do
    if name ~= "" and self._map[name] == nil then self._map[name] = i end
  end
  return self
end

function Reader:_next_record()
  local ok, fields, line = pcall(self._file.next, self._file)
  if not ok then
    local e = fields
    raise({code = e.code or "io", path = self.path, line = e.line, message = e.message or tostring(e)})
  end
  return fields, line
end

--- The next data row as a table keyed by field name, and its line; nil at the end.
--- Blank lines are skipped (and listed in `reader.blank_lines`) or are errors; a row
--- with more or fewer fields than the header is an error naming its line.
---@return table|nil row
---@return integer|nil line
function Reader:next()
  while true do
    local fields, line = self:_next_record()
    if not fields then return nil end
    -- A line of nothing but spaces is blank too.
    if #fields == 1 and fields[1]:find("^%s*$") and self._width ~= 1 then
      if self._blank == "error" then csv.error(self.name, line, "blank_line", "blank line") end
      self.blank_lines[#self.blank_lines + 1] = line
    else
      if #fields ~= self._width then
        csv.error(self.name, line, "field_count",
          ("%d field%s, but the header has %d"):format(#fields, #fields == 1 and "" or "s", self._width))
      end
      local row = {}
      for name, i in pairs(self._map) do row[name] = fields[i] end
      return row, line
    end
  end
end

--- Iterates the data rows: `for row, line in reader:rows() do … end`.
---@return fun(): table?, integer?
function Reader:rows()
  return function() return self:next() end
end

--- Stops reading.
function Reader:close()
  self._file:close()
end

--- Reads every data row of a small file into a table (each row gets `.line`).
---@param path string the file
---@param opts? table as for csv.open
---@return table[] rows
---@return flireo.csv.Reader reader (for its columns and blank lines)
function csv.read(path, opts)
  local reader = csv.open(path, opts)
  local rows = {}
  for row, line in reader:rows() do
    row.line = line
    rows[#rows + 1] = row
  end
  reader:close()
  return rows, reader
end

--- One record as RFC 4180 text: fields quoted when they hold a comma, a quote or a line
--- break; nil becomes an empty field.
---@param fields any[] the values (strings, numbers, booleans, nil)
---@param n? integer how many fields (default #fields; give it when the last may be nil)
---@param newline? string what ends the record (default "\r\n")
---@return string text
function csv.format(fields, n, newline, ...)
  if type(fields) ~= "table" then check.bad("fields", "a sequence of values", fields) end
  if n ~= nil and (math.type(n) ~= "integer" or n < 0) then check.bad("n", "a count of fields (0 or more)", n) end
  if newline ~= nil and newline ~= "\r\n" and newline ~= "\n" then check.bad("newline", '"\\r\\n" or "\\n"', newline) end
  check.no_more("csv.format", "(fields [, n [, newline]])", 3, ...)
  -- A nil inside the sequence is an empty field, not its end: every field up to n (or the
  -- last position given, which #fields may not reach past a nil) is kept.
  local count = n
  if not count then
    count = #fields
    for k in pairs(fields) do
      if math.type(k) ~= "integer" or k < 1 then check.bad("fields", "a sequence of values (positions 1, 2, …)", fields) end
      if k > count then count = k end
    end
  end
  local copy = {}
  for i = 1, count do
    local v = fields[i]
    if v == nil or v == json.null then v = "" end
    local kind = type(v)
    if kind ~= "string" and kind ~= "number" and kind ~= "boolean" then
      check.bad(("fields[%d]"):format(i), "a string, number, boolean or nil", v)
    end
    copy[i] = v
  end
  return native.format(copy, newline)
end

--- A CSV writer over a Lua file handle.
---@class flireo.csv.Writer
local Writer = {}
Writer.__index = Writer
Writer.__name = "flireo.csv.Writer"

--- Starts a CSV file: writes the header row at once.
---@param file file* an open file (io.stdout, or io.open(path, "w"))
---@param columns string[] the field names, in order
---@param opts? {newline?: string} newline: "\r\n" (RFC 4180, default) or "\n"
---@return flireo.csv.Writer writer
function csv.writer(file, columns, opts)
  if io.type(file) ~= "file" then check.bad("file", "an open file (io.stdout, io.open(path, \"w\"))", file) end
  if type(columns) ~= "table" or #columns == 0 then check.bad("columns", "a sequence of column names", columns) end
  local known = {}
  for i, name in ipairs(columns) do
    if type(name) ~= "string" then check.bad("columns[" .. i .. "]", "a string", name) end
    known[name] = true
  end
  opts = check.options(opts, "opts", {newline = true})
  local newline = opts.newline or "\r\n"
  if newline ~= "\r\n" and newline ~= "\n" then check.bad("opts.newline", '"\\r\\n" or "\\n"', newline) end
  local self = setmetatable({_file = file, _columns = columns, _known = known, _newline = newline}, Writer)
  assert(file:write(native.format(columns, self._newline)))
  return self
end

--- Writes one row: a table keyed by column name, or a sequence in column order. A key
--- that is no column (a typo) is an error, as is a value that is not a string, number
--- or boolean; nothing of the row is written then.
---@param row table the row
function Writer:write(row)
  if type(row) ~= "table" then check.bad("row", "a table", row) end
  local fields, columns, known = {}, self._columns, self._known
  for k in pairs(row) do
    if not known[k] and not (math.type(k) == "integer" and k >= 1 and k <= #columns) then
      check.raise("invalid_parameters", ("Invalid 'row': %s is not a column (columns: %s)")
        :format(check.describe(k), table.concat(columns, ", ")))
    end
  end
  for i, name in ipairs(columns) do
    local v = row[name]
    if v == nil then v = row[i] end
    if v == nil or v == json.null then v = "" end
    if type(v) == "boolean" then v = tostring(v) end
    if type(v) ~= "string" and type(v) ~= "number" then check.bad("row." .. name, "a string or number", v) end
    fields[i] = v
  end
  assert(self._file:write(native.format(fields, self._newline)))
end

return csv
