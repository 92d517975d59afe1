--- The notes the host shows if Ctrl-C (SIGTERM, SIGHUP, a closed standard output) stops
--- a script from a given point on: `NAME: interrupted; NOTE`, and with --json the same on
--- standard output as one JSON object, so that a consumer of the output reads an
--- interruption too. Part of flireo.cli (installed into it).
return function(cli, system)

--- Sets the note: `text` after "NAME: interrupted; ", `remove` a file the host then removes,
--- `fields` what --json adds to {interrupted = true, note = text} (journal, resume, undo, waiting).
---@param text string
---@param remove? string
---@param fields? table
function cli.interrupt_note(text, remove, fields)
  local shown
  if cli._json then
    shown = {interrupted = true, note = text, journal = json.null, resume = json.null, undo = json.null,
      waiting = json.array(), maybe_waiting = json.array()}
    for k, v in pairs(fields or {}) do shown[k] = v end
  end
  system.on_interrupt(text, remove, shown and cli.redact(json.encode(shown)) or nil)
end

--- Says what the host prints if Ctrl-C stops the script from now on (after
--- "NAME: interrupted; "; it exits 130): the journal, and the commands that go on.
---@param path string the journal
---@param undoable? boolean whether `undo` reverts the run (default true)
function cli.on_interrupt(path, undoable)
  if cli.on_sandbox() then
    cli.interrupt_note(("the journal %s records what was done, but the sandbox it was done to ended with this "
      .. "process: a --sandbox rehearsal is not resumed or undone, only run again"):format(path), nil, {journal = path})
    return
  end
  -- undo reverts the steps of a plan: a journal of plain items (bulk.run over a script's
  -- own list) has none, and the note does not offer what would be refused.
  if undoable ~= false and not cli.has_plan(path) then undoable = false end
  -- A script of one's own continues a run only if it was written to (cli.resumable).
  local ways, fields = {}, {journal = path}
  if cli.resumable then
    fields.resume = cli.resume_command()
    ways[#ways + 1] = ("continue with `%s`"):format(fields.resume)
  end
  if undoable ~= false then
    fields.undo = cli.undo_command(path)
    ways[#ways + 1] = ("revert it with `%s`"):format(fields.undo)
  end
  cli._interrupt_note, cli._interrupt_fields = ("the journal %s records what was done%s"):format(path,
    #ways > 0 and ": " .. table.concat(ways, ", or ") or ""), fields
  cli.interrupt_note(cli._interrupt_note, nil, fields)
end

--- Whether the journal at `path` holds a plan of steps (its second line is one), which
--- `undo` reverts; false for a journal of plain items or one that cannot be read.
---@param path string the journal
---@return boolean
function cli.has_plan(path)
  local file = io.open(path, "r")
  if not file then return false end
  local _, second = file:read("l"), file:read("l")
  file:close()
  local ok, record = pcall(json.decode, second or "")
  return ok and type(record) == "table" and record.type == "plan"
end

--- The first `limit` of a list of ids, then "…" for the rest: `a, b, c, …`.
---@param ids string[]
---@param limit? integer how many are shown (default 5)
---@return string
function cli.some(ids, limit)
  limit = limit or 5
  return table.concat(ids, ", ", 1, math.min(limit, #ids)) .. (#ids > limit and ", …" or "")
end

--- What a run says of the assistants a cycle's break has unlinked whose new number has
--- not been linked yet: they have none until the run goes on.
---@param waiting string[] their ids
---@return string
function cli.waiting_text(waiting)
  return ("%d assistant%s unlinked to break a cycle %s no number until the run goes on: %s"):format(#waiting,
    #waiting == 1 and "" or "s", #waiting == 1 and "has" or "have", cli.some(waiting))
end

--- What a run says of the assistants whose cycle-breaking unlink was in flight, or ended
--- with its outcome unknown: the server may have applied it.
---@param maybe string[] their ids
---@return string
function cli.maybe_waiting_text(maybe)
  return ("%d assistant%s whose cycle-breaking unlink was sent without an answer may have no number (the server may "
    .. "have applied it) until the run goes on: %s"):format(#maybe, #maybe == 1 and "" or "s", cli.some(maybe))
end

--- Adds cli.waiting_text (and cli.maybe_waiting_text) to what an interruption says (see
--- cli.on_interrupt).
---@param waiting string[] their ids (none: the note as cli.on_interrupt made it)
---@param maybe? string[] the ids of those whose break was in flight
function cli.note_waiting(waiting, maybe)
  maybe = maybe or {}
  local fields = {waiting = json.array(), maybe_waiting = json.array()}
  for i, id in ipairs(waiting) do fields.waiting[i] = id end
  for i, id in ipairs(maybe) do fields.maybe_waiting[i] = id end
  local parts = {}
  if #waiting > 0 then parts[#parts + 1] = cli.waiting_text(waiting) end
  if #maybe > 0 then parts[#parts + 1] = cli.maybe_waiting_text(maybe) end
  cli.extend_interrupt(#parts > 0 and table.concat(parts, "; ") or nil, fields)
end

--- Adds `text` (nil: none) and `fields` to the note cli.on_interrupt made (each call
--- replaces what the last one added); nothing before cli.on_interrupt.
---@param text? string
---@param fields table
function cli.extend_interrupt(text, fields)
  if not cli._interrupt_note then return end
  local all = {}
  for k, v in pairs(cli._interrupt_fields or {}) do all[k] = v end
  for k, v in pairs(fields) do all[k] = v end
  cli.interrupt_note(cli._interrupt_note .. (text and "; " .. text or ""), nil, all)
end

--- Says, once the run's journal has its end, that a later stop (Ctrl-C, a closed
--- standard output as the summary is printed) lost nothing but that summary.
---@param path string the journal
function cli.on_finished(path)
  cli.interrupt_note(("the run had finished, and the journal %s records every outcome: only what it was printing "
    .. "at the end may be cut short"):format(path), nil, {journal = path, finished = true})
end

--- Says, while a new journal is being given its plan, that Ctrl-C removes it: nothing
--- was sent, and a journal without a plan would only block the next run.
---@param path string the journal
function cli.on_interrupt_before_plan(path)
  cli.interrupt_note(("nothing was sent, and the journal %s, which held no plan yet, was removed: no change was made")
    :format(path), path)
end

end
