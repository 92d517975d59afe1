/* CLuaBridge: io.stderr through a filter. The handle's FILE becomes a buffered
 * fopencookie stream whose bytes go to a host function (which masks secrets and writes
 * them to fd 2), so every way Lua writes there — io.stderr:write, io.write after
 * io.output(io.stderr) — passes it. The file's write method and io.write are Lua's own,
 * but flush that stream at the end of each call: all the pieces of one call reach the
 * filter together (a secret given in two arguments is still seen whole), and nothing
 * waits for a line break, as nothing does on C's unbuffered stderr (`\r` progress). */
#define _GNU_SOURCE
#include "clb_internal.h"

#include <stdio.h>
#include <unistd.h>

static clb_stderr_filter stderr_filter;
static FILE *filtered_stream;

#define IO_OUTPUT "_IO_output"

/* liolib's g_write, then a flush when `f` is the filtered stream. */
static int write_and_flush(lua_State *L, FILE *f, int arg) {
    int nargs = lua_gettop(L) - arg;
    int status = 1;
    for (; nargs--; arg++) {
        if (lua_type(L, arg) == LUA_TNUMBER) {
            int len = lua_isinteger(L, arg)
                ? fprintf(f, LUA_INTEGER_FMT, (LUAI_UACINT)lua_tointeger(L, arg))
                : fprintf(f, LUA_NUMBER_FMT, (LUAI_UACNUMBER)lua_tonumber(L, arg));
            status = status && (len > 0);
        } else {
            size_t l;
            const char *s = luaL_checklstring(L, arg, &l);
            status = status && (fwrite(s, sizeof(char), l, f) == l);
        }
    }
    if (f == filtered_stream) status = (fflush(f) == 0) && status;
    if (status) return 1; /* the file handle is on the stack's top */
    return luaL_fileresult(L, status, NULL);
}

/* file:write(...) */
static int file_write(lua_State *L) {
    luaL_Stream *p = (luaL_Stream *)luaL_checkudata(L, 1, LUA_FILEHANDLE);
    if (p->closef == NULL) return luaL_error(L, "attempt to use a closed file");
    lua_pushvalue(L, 1);
    return write_and_flush(L, p->f, 2);
}

/* io.write(...) */
static int io_write(lua_State *L) {
    luaL_Stream *p;
    lua_getfield(L, LUA_REGISTRYINDEX, IO_OUTPUT);
    p = (luaL_Stream *)lua_touserdata(L, -1);
    if (p == NULL || p->closef == NULL) return luaL_error(L, "default output file is closed");
    return write_and_flush(L, p->f, 1);
}

/* Sets `name` of the table at `index` to `fn`. */
static void set_function(lua_State *L, int index, const char *name, lua_CFunction fn) {
    index = lua_absindex(L, index);
    lua_pushstring(L, name);
    lua_pushcfunction(L, fn);
    lua_rawset(L, index);
}

static ssize_t filtered_write(void *cookie, const char *bytes, size_t count) {
    (void)cookie;
    clb_before_output(bytes, count);
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
    setvbuf(f, NULL, _IOFBF, BUFSIZ);
    stderr_filter = filter;
    filtered_stream = f;
    stream->f = f; /* the C library's stderr stays open for everything else */
    set_function(L, -2, "write", io_write);
    if (luaL_getmetatable(L, LUA_FILEHANDLE) == LUA_TTABLE) {
        lua_pushstring(L, "__index");
        if (lua_rawget(L, -2) == LUA_TTABLE) set_function(L, -1, "write", file_write);
    }
    lua_settop(L, top);
    return 1;
none:
    lua_settop(L, top);
    return 0;
}
