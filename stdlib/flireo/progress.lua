--- flireo.progress: how a bulk run shows it is moving, on stderr. On a terminal one line
--- redrawn in place (a bar, done/total, rate, ETA, failures), at most ten times a second;
--- otherwise (a log, a pipe) a plain line every N items.
local system = require "flireo.native.system"
-- The flireo module's monotonic clock.
local clock = require("flireo.native").clock

--- Progress display for bulk runs.
---@class flireo.progress
local progress = {}

--- One run's progress display.
---@class flireo.Progress
local Progress = {}
Progress.__index = Progress
Progress.__name = "flireo.Progress"

--- A progress display for `total` items (0 when unknown).
---@param label string what is being done ("linking")
---@param total integer how many items in all (skipped ones included)
---@param opts? {enabled?: boolean, every?: integer, terminal?: boolean, delay?: number, clock?: fun(): number} enabled: false shows nothing; every: plain lines every this many items (default 1000); terminal: force the mode (default: whether stderr is a terminal); delay: show nothing in the first this many seconds (a quick step stays quiet); clock: seconds (default flireo's monotonic clock; tests give their own)
---@return flireo.Progress p
function progress.new(label, total, opts)
  opts = opts or {}
  local terminal = opts.terminal
  if terminal == nil then
    -- A terminal that cannot move the cursor (TERM=dumb) gets plain lines.
    terminal = system.isatty(2) and os.getenv("TERM") ~= "dumb"
  end
  local now = opts.clock or clock
  local started = now()
  return setmetatable({
    label = label, total = total or 0, enabled = opts.enabled ~= false, terminal = terminal, clock = now,
    every = opts.every or 1000, started = started, last_draw = 0, last_line = 0, drawn = false, delay = opts.delay or 0,
    -- {time, handled} pairs: the rate is that of the last ten seconds or so, not of the
    -- whole run, so the pacer's first burst does not make the ETA far too short.
    samples = {{started, 0}},
  }, Progress)
end

--- The window the rate is measured over, in seconds.
progress.WINDOW = 10

local function duration(seconds)
  seconds = math.floor(seconds + 0.5)
  if seconds >= 3600 then return ("%d:%02d:%02d"):format(seconds // 3600, seconds % 3600 // 60, seconds % 60) end
  return ("%d:%02d"):format(seconds // 60, seconds % 60)
end

--- The counts as text: `4210/10000 42% 812/s ETA 0:07 failed 3`.
---@param summary table done, skipped, failed, blocked
---@return string text
function Progress:status(summary)
  local finished = summary.done + summary.skipped + summary.failed + (summary.blocked or 0) + (summary.done_before or 0)
  local now = self.clock()
  local handled = summary.done + summary.failed
  local samples = self.samples
  samples[#samples + 1] = {now, handled}
  -- The oldest sample kept is the last one at least a window old.
  while #samples > 2 and now - samples[2][1] >= progress.WINDOW do table.remove(samples, 1) end
  local first = samples[1]
  local span = now - first[1]
  local rate = span > 0 and (handled - first[2]) / span or 0
  local text
  if self.total > 0 then
    text = ("%d/%d %3d%%"):format(finished, self.total, math.floor(finished * 100 / self.total))
  else
    text = tostring(finished)
  end
  text = text .. ("  %.0f/s"):format(rate)
  if self.total > 0 and rate > 0 and finished < self.total then
    text = text .. "  ETA " .. duration((self.total - finished) / rate)
  end
  local failed = summary.failed + (summary.blocked or 0)
  if failed > 0 then text = text .. ("  failed %d"):format(failed) end
  return text, finished
end

--- Shows the counts if it is time to.
---@param summary table done, skipped, failed, blocked
function Progress:update(summary)
  if not self.enabled or (self.delay > 0 and self.clock() - self.started < self.delay) then return end
  if self.terminal then
    local now = self.clock()
    if now - self.last_draw < 0.1 then return end
    self.last_draw = now
    local status, finished = self:status(summary)
    local width = system.columns()
    local bar = ""
    local room = width - #self.label - #status - 6
    if self.total > 0 and room >= 10 then
      local size = math.min(room, 40)
      local filled = math.floor(size * finished / self.total)
      bar = " [" .. ("#"):rep(filled) .. ("."):rep(size - filled) .. "]"
    end
    -- Cut to the width: a line that wraps is no longer redrawn in place.
    local line = self.label .. bar .. " " .. status
    if width > 1 and #line > width - 1 then line = line:sub(1, width - 1) end
    io.stderr:write("\r", line, "\27[K")
    io.stderr:flush()
    self.drawn = true
  else
    local finished = summary.done + summary.skipped + summary.failed + (summary.blocked or 0) + (summary.done_before or 0)
    if finished - self.last_line >= self.every then
      self.last_line = finished - finished % self.every
      io.stderr:write(self.label, ": ", (self:status(summary)), "\n")
    end
  end
end

--- Clears the terminal line (the summary follows).
---@param summary table the final counts
function Progress:finish(summary)
  if self.enabled and self.terminal and self.drawn then
    io.stderr:write("\r\27[K")
    io.stderr:flush()
  end
end

return progress
