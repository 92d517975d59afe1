#!/usr/bin/env python3
"""How long a bracketed paste of N one-line statements takes in the REPL (a real pty),
with the history file written and, as the reference in the same run, with no history
(XDG_STATE_HOME unwritable, so no entry is recorded): the difference is what recording
the history costs. The paste ends with a print whose output marks the end.

Usage: Benchmarks/repl/paste.py [path/to/flireo] [lines...]   (default: 1000 4000)
"""
import os, pty, select, shutil, sys, tempfile, time

binary = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".build-release/release/flireo")
sizes = [int(n) for n in sys.argv[2:]] or [1000, 4000]


def paste(lines, history):
    home = tempfile.mkdtemp()
    pid, fd = pty.fork()
    if pid == 0:
        os.environ.update({"HOME": home, "XDG_CONFIG_HOME": home + "/c", "TERM": "xterm",
                           "XDG_STATE_HOME": home + "/s" if history else "/proc/none"})
        os.execv(binary, ["flireo", "--sandbox"])
    out = b""

    def pump_until(marker, limit):
        nonlocal out
        end = time.time() + limit
        while time.time() < end:
            if select.select([fd], [], [], 0.05)[0]:
                try:
                    out += os.read(fd, 65536)
                except OSError:
                    return False
                if marker in out:
                    return True
        return False

    pump_until(b"Ctrl-D exits", 10)
    pump_until(b"> ", 5)
    text = "".join("x%d = %d\r" % (i, i) for i in range(lines)) + "print('all' .. 'done')\r"
    start = time.time()
    os.write(fd, b"\x1b[200~" + text.encode() + b"\x1b[201~")
    ok = pump_until(b"alldone", 300)
    elapsed = time.time() - start
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    entries = 0
    if history and os.path.exists(home + "/s/flireo/history"):
        entries = sum(1 for _ in open(home + "/s/flireo/history", "rb"))
    shutil.rmtree(home, ignore_errors=True)
    return elapsed if ok else None, entries


for n in sizes:
    with_history, entries = paste(n, True)
    without, _ = paste(n, False)
    show = lambda t: "TIMEOUT" if t is None else "%.2f s" % t
    print("%5d lines: %s with history (%d entries in the file), %s without" % (n, show(with_history), entries, show(without)))
