-- Every shipped script's header documents its usage, whether it changes data, and each
-- option its cli.parse accepts.
package.path = arg[0]:gsub("[^/]*$", "") .. "?.lua;" .. package.path
local T = require "testing"
local cli = require "flireo.cli"
local system = require "flireo.native.system"

local scripts = {"apply-links", "audit", "export-links", "link-from-csv", "order-numbers", "undo", "unlink"}
for _, name in ipairs(scripts) do
  T.test(name, function()
    local source = system.script_source(name)
    T.ok(source, "shipped")
    local header = {}
    for line in source:gmatch("([^\n]*)\n") do
      if line:sub(1, 2) ~= "--" then break end
      header[#header + 1] = line
    end
    local text = table.concat(header, "\n")
    T.ok(text:find("Usage: flireo run " .. name, 1, true), "usage line")
    T.ok(text:find("Changes data:", 1, true), "changes data")
    local options = {}
    for _, spec in ipairs(source:find("mutating = true", 1, true) and cli.MUTATING or cli.READING) do
      if not spec.quiet then options[#options + 1] = spec.name end
    end
    local parse = source:match("cli%.parse%(arg, (%b{})%)") or ""
    for option in parse:gmatch('name = "([%w%-]+)"') do options[#options + 1] = option end
    for _, option in ipairs(options) do
      T.ok(text:find("--" .. option, 1, true), name .. ": --" .. option .. " is not in the header")
    end
  end)
end

T.done()
