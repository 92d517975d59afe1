local n = tonumber(arg[1]); local t0 = os.clock()
for i = 1, n do io.stderr:write("x\n") end
io.stdout:write(n, " ", os.clock() - t0, "\n")
