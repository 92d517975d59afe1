#!/usr/bin/env python3
"""Where link-from-csv's memory goes, phase by phase (issue 7).

Copies stdlib/flireo/{linkfile,links,apply}.lua into a temporary directory with a trace
line after each phase (the Lua heap from collectgarbage("count") and the process's VmRSS),
then runs Benchmarks/bulk/memory.sh with LUA_PATH pointing there first, so the embedded
modules are overridden by the traced copies. The trace is printed at the end.

Usage: Benchmarks/bulk/trace_memory.py [path/to/release/flireo] [rows]
"""
import os, shutil, subprocess, sys, tempfile

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, ".build-release/release/flireo")
rows = sys.argv[2] if len(sys.argv) > 2 else "100000"
work = tempfile.mkdtemp()
log = os.path.join(work, "trace.log")
os.makedirs(os.path.join(work, "flireo"))
for name in ["linkfile", "apply", "links"]:
    shutil.copy(os.path.join(root, "stdlib/flireo", name + ".lua"), os.path.join(work, "flireo", name + ".lua"))

TRACE = '''local function trace(what)
  local f = io.open("%s", "a")
  local rss = io.open("/proc/self/status"):read("a"):match("VmRSS:%%s*(%%d+)")
  f:write(("%%-20s lua %%.1f MB  rss %%.1f MB\\n"):format(what, collectgarbage("count") / 1024, rss / 1024))
  f:close()
end
''' % log

def edit(name, pairs):
    path = os.path.join(work, "flireo", name + ".lua")
    text = open(path).read()
    for old, new in pairs:
        if old not in text:
            sys.exit("trace_memory.py: %s.lua changed; update the trace points (%r)" % (name, old[:40]))
        text = text.replace(old, new, 1)
    open(path, "w").write(text)

edit("linkfile", [
    ("local linkfile = {}", "local linkfile = {}\n" + TRACE + "linkfile.trace = trace"),
    ('  io.stderr:write(("%s: %d row%s read', '  trace("rows read")\n  io.stderr:write(("%s: %d row%s read'),
    ("  only, info = nil, nil\n", '  trace("account read")\n  only, info = nil, nil\n'),
    ("  problems = linkfile.resolve(state", '  trace("account kept")\n  problems = linkfile.resolve(state'),
    ("  if not plan then stop(problems) end\n  return plan, state", '  if not plan then stop(problems) end\n  trace("plan")\n  return plan, state'),
])
edit("links", [
    ("local links = {}", "local links = {}\n" + TRACE),
    ("  -- Holders first", '  trace("plan rows")\n  -- Holders first'),
    ("  -- The lookups are done with", '  trace("plan lookups")\n  -- The lookups are done with'),
])
edit("apply", [
    ("  j:write_plan(links.steps(plan))\n", '  j:write_plan(links.steps(plan))\n  require("flireo.linkfile").trace("plan journaled")\n'),
    ("  finish(j, summary, opts)\nend", '  require("flireo.linkfile").trace("executed")\n  finish(j, summary, opts)\nend'),
])
env = dict(os.environ, LUA_PATH=os.path.join(work, "?.lua") + ";;", ROUNDS="1")
subprocess.run([os.path.join(root, "Benchmarks/bulk/memory.sh"), binary, rows], env=env, check=False)
print(open(log).read() if os.path.exists(log) else "no trace written")
shutil.rmtree(work)
