/* CLuaBridge: io.stderr through a filter. The handle's FILE becomes a line-buffered
 * fopencookie stream whose bytes go to a host function (which masks secrets and writes
 * them to fd 2), so every way Lua writes there — io.stderr:write, io.write after
 * io.output(io.stderr) — passes it, a whole line at a time. */
#define _GNU_SOURCE
#include "clb_internal.h"

#include <stdio.h>
#include <unistd.h>

static clb_stderr_filter stderr_filter;

static ssize_t filtered_write(void *cookie, const char *bytes, size_t count) {
    (void)cookie;
    clb_before_output();
    stderr_filter(bytes, count);
    return (ssize_t)count;
}

/* io.stderr:seek on a file, as in lua: fd 2's own offset. */
static int filtered_seek(void *cookie, off64_t *offset, int whence) {
    (void)cookie;
    return clb_seek_fd(2, (int64_t *)offset, whence);
}

int clb_filter_stderr(lua_State *L, clb_stderr_filter filter) {
    int top = lua_gettop(L);
    luaL_Stream *stream;
    FILE *f;
    cookie_io_functions_t io = {NULL, filtered_write, filtered_seek, NULL};
    lua_pushstring(L, LUA_LOADED_TABLE);
    lua_rawget(L, LUA_REGISTRYINDEX);
    if (!lua_istable(L, -1)) goto none;
    lua_pushstring(L, LUA_IOLIBNAME);
    lua_rawget(L, -2);
    if (!lua_istable(L, -1)) goto none;
    lua_pushstring(L, "stderr");
    lua_rawget(L, -2);
    stream = (luaL_Stream *)luaL_testudata(L, -1, LUA_FILEHANDLE);
    if (stream == NULL || stream->f == NULL) goto none;
    f = fopencookie(NULL, "w", io);
    if (f == NULL) goto none;
    setvbuf(f, NULL, _IOLBF, BUFSIZ);
    stderr_filter = filter;
    stream->f = f; /* the C library's stderr stays open for everything else */
    lua_settop(L, top);
    return 1;
none:
    lua_settop(L, top);
    return 0;
}
