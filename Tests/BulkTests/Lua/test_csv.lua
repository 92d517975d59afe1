-- flireo.csv: RFC 4180 through the native reader, header mapping, line numbers.
package.path = arg[0]:gsub("[^/]*$", "") .. "?.lua;" .. package.path
local T = require "testing"
local csv = require "flireo.csv"

T.test("quoted fields, embedded line breaks, CRLF and a BOM", function()
  local path = T.tmp("quoted.csv")
  T.write(path, '\239\187\191Assistant ID,Phone-Number,note\r\n' ..
    'a1,+31201234567,"one, two"\r\n' ..
    'a2,+31201234568,"multi\r\nline ""quoted"""\r\n' ..
    'a3,+31201234569,"\nthree\nbreaks\n"\r\n' ..
    'a4,+31201234570,last')
  local reader = csv.open(path, {columns = {assistant_id = {}, phone_number = {}}})
  T.eq(reader.columns, {"assistant_id", "phone_number", "note"}, "columns")
  local rows, lines = {}, {}
  for row, line in reader:rows() do rows[#rows + 1] = row; lines[#lines + 1] = line end
  T.eq(lines, {2, 3, 5, 9}, "lines")
  T.eq(rows[1].note, "one, two", "comma in quotes")
  T.eq(rows[2].note, 'multi\r\nline "quoted"', "escaped quotes and CRLF inside")
  T.eq(rows[4].assistant_id, "a4", "last row without a newline")
  T.eq(rows[3].phone_number, "+31201234569", "mapped by normalized name")
end)

T.test("format quotes what needs it and reads back the same", function()
  local fields = {"plain", "com,ma", 'qu"ote', "line\nbreak", "", 42}
  local path = T.tmp("roundtrip.csv")
  T.write(path, csv.format({"a", "b", "c", "d", "e", "f"}) .. csv.format(fields))
  T.eq(csv.format({"x", nil, "z"}, 3, "\n"), "x,,z\n", "nil as empty")
  -- Without n, a nil inside the sequence is an empty field too, not its end (QA round 28),
  -- in the module and in the native below it; json.null is empty as well.
  T.eq(csv.format({"x", nil, "z"}), "x,,z\r\n", "nil inside, no n")
  local holed = {}
  holed[1], holed[3] = "x", "z"
  T.eq(csv.format(holed), "x,,z\r\n", "a hole #t does not reach past (QA round 29)")
  T.eq(csv.format({"x", json.null, false}), "x,,false\r\n", "null and false")
  T.eq(require("flireo.native.csv").format({"x", nil, nil, "w"}), "x,,,w\r\n", "the native keeps every position")
  local odd = T.raises(function() require("flireo.native.csv").format({"x", name = "y"}) end)
  T.ok(tostring(odd):find('holds the key "name"', 1, true), tostring(odd))
  local rows = csv.read(path)
  T.eq({rows[1].a, rows[1].b, rows[1].c, rows[1].d, rows[1].e, rows[1].f},
    {"plain", "com,ma", 'qu"ote', "line\nbreak", "", "42"}, "round trip")
end)

T.test("format and normalize name a bad argument at the caller's line (QA round 28)", function()
  for _, case in ipairs({
    {function() local text = csv.format() return text end, "Invalid 'fields': expected a sequence of values, got nothing"},
    {function() local text = csv.format({"a"}, "x") return text end, "Invalid 'n': expected a count of fields (0 or more), got \"x\""},
    {function() local text = csv.format({"a"}, nil, "\r") return text end, "Invalid 'newline'"},
    {function() local text = csv.format({"a", {}}) return text end, "Invalid 'fields[2]': expected a string, number, boolean or nil, got a table"},
    {function() local text = csv.format({"a"}, 1, "\n", "extra") return text end, "too many arguments to csv.format"},
    {function() local text = csv.normalize() return text end, "Invalid 'name': expected a header name (a string), got nothing"},
  }) do
    local e = T.raises(case[1])
    T.eq(e.code, "invalid_parameters", case[2])
    T.ok(e.message:find(case[2], 1, true), e.message)
    T.ok(tostring(e.where):find("test_csv.lua:%d+$"), "where: " .. tostring(e.where))
  end
end)

T.test("header problems: missing, aliased, duplicate column; empty file", function()
  local path = T.tmp("header.csv")
  T.write(path, "assistant,number\nx,y\n")
  local e = T.raises(function() csv.open(path, {columns = {assistant_id = {}}}) end)
  T.eq(e.code, "missing_column", "code")
  T.eq(e.line, 1, "line")
  T.ok(e.message:find('the header (line 1) has: "assistant", "number"', 1, true), e.message)
  -- Blank lines before the header are skipped and listed; a tab-separated header is named.
  local other = T.tmp("header2.csv")
  T.write(other, "\n  \nassistant_id,b\nx,y\n")
  local skipped = csv.open(other, {columns = {assistant_id = {}}})
  T.eq(skipped.blank_lines, {1, 2}, "blank lines before the header")
  T.eq(skipped:next().assistant_id, "x", "the first row after the header")
  T.write(other, "assistant\tnumber\nx\ty\n")
  e = T.raises(function() csv.open(other, {columns = {assistant_id = {}}}) end)
  T.ok(e.message:find('has: "assistant\\tnumber"; it looks tab-separated', 1, true), e.message)
  local reader = csv.open(path, {columns = {assistant_id = {"assistant"}, phone_number = {"number"}}})
  local row = reader:next()
  T.eq({row.assistant_id, row.phone_number}, {"x", "y"}, "aliases")
  T.write(path, "a,b,A\n")
  T.eq(T.raises(function() csv.open(path) end).code, "duplicate_column", "duplicate")
  T.write(path, "")
  T.eq(T.raises(function() csv.open(path) end).code, "empty", "empty")
end)

T.test("blank lines skipped or refused; field counts checked by line", function()
  local path = T.tmp("blank.csv")
  T.write(path, "a,b\n\n1,2\n\n\n3,4,5\n")
  local reader = csv.open(path)
  local row, line = reader:next()
  T.eq({row.a, line}, {"1", 3}, "after a blank line")
  local e = T.raises(function() reader:next() end)
  T.eq({e.code, e.line}, {"field_count", 6}, "too many fields")
  T.eq(reader.blank_lines, {2, 4, 5}, "blank lines")
  local strict = csv.open(path, {blank_lines = "error"})
  T.eq(T.raises(function() strict:next() end).code, "blank_line", "strict")
end)

T.test("encodings: UTF-16 refused at line 1, invalid UTF-8 at its line", function()
  local path = T.tmp("enc.csv")
  T.write(path, "\255\254a\0,\0b\0\n\0")
  local e = T.raises(function() csv.open(path) end)
  T.eq({e.code, e.line}, {"encoding", 1}, "utf-16")
  T.write(path, "a,b\n1,2\n3,caf\233\n")
  local reader = csv.open(path)
  reader:next()
  e = T.raises(function() reader:next() end)
  T.eq({e.code, e.line}, {"encoding", 3}, "latin-1")
  e = T.raises(function() csv.open(T.tmp("no-such-file.csv")) end)
  T.eq(e.code, "not_found", "missing file")
end)

T.test("a quote inside a quoted field must be doubled: an error at its line and column", function()
  local path = T.tmp("stray.csv")
  -- A BOM, CRLF, a doubled quote and a quoted comma are fine; the stray quote on line 4 is not.
  T.write(path, '\239\187\191"a","b"\r\n"x, y","z ""q"""\r\n"ok",1\r\n"Bob "the" builder",2\r\n')
  local reader = csv.open(path)
  local e = T.raises(function() while reader:next() do end end)
  T.eq(e.code, "stray_quote", "code")
  T.eq(e.line, 4, "line")
  T.ok(e.message:find('at column 6, must be doubled ("")', 1, true), e.message)
  T.write(path, '"a","b"\n"x, y","z ""q"""\n')
  local rows = csv.read(path)
  T.eq({rows[1].a, rows[1].b}, {"x, y", 'z "q"'}, "well quoted fields read as written")
end)

T.test("a writer writes the header, then rows by name or position", function()
  local path = T.tmp("written.csv")
  local f = assert(io.open(path, "wb"))
  local w = csv.writer(f, {"id", "name"}, {newline = "\n"})
  w:write({id = "1", name = "a, b"})
  w:write({"2", json.null})
  f:close()
  local rf = assert(io.open(path, "rb"))
  T.eq(rf:read("a"), 'id,name\n1,"a, b"\n2,\n', "text")
  rf:close()
end)

T.test("a writer refuses a key that is no column, a value it cannot write and a file that is not one, naming them", function()
  local path = T.tmp("typo.csv")
  local f = assert(io.open(path, "wb"))
  local w = csv.writer(f, {"assistant_id", "phone_number"}, {newline = "\n"})
  local function refused(fn, text)
    local ok, e = pcall(fn)
    T.eq(ok, false, text .. ": refused")
    T.eq(type(e) == "table" and e.code, "invalid_parameters", text .. ": " .. tostring(e))
    assert(tostring(e):find(text, 1, true), tostring(e))
    assert(tostring(e):find("test_csv.lua:", 1, true), "the caller's line: " .. tostring(e))
  end
  refused(function() w:write({assistant_id = "x", phone_numer = "+31"}) end, '"phone_numer" is not a column')
  refused(function() w:write({assistant_id = {1}}) end, "Invalid 'row.assistant_id': expected a string or number")
  refused(function() csv.writer("out.csv", {"a"}) end, "Invalid 'file': expected an open file")
  refused(function() csv.writer(f, {}) end, "Invalid 'columns'")
  refused(function() csv.writer(f, {"a"}, {newlines = "\n"}) end, 'unknown option "newlines"')
  w:write({assistant_id = "y", phone_number = 31})
  f:close()
  local rf = assert(io.open(path, "rb"))
  T.eq(rf:read("a"), "assistant_id,phone_number\ny,31\n", "nothing of a refused row was written")
  rf:close()
end)

T.done()
