/* CLuaBridge: a standard output whose reader went away. flireo ignores SIGPIPE (NIO does,
 * for its sockets), so a write to a closed pipe fails with EPIPE instead of ending the
 * process as it ends lua: `flireo script.lua | head` would go on reading the account page
 * after page, printing into nothing. Here C's stdout (print's stream, io.stdout and the
 * default io.write) becomes a stream that writes fd 1 itself and, on EPIPE, ends the
 * process with SIGPIPE as lua would be ended, or, while a run traps it
 * (clb_trap_broken_pipe), interrupts the Lua thread as SIGINT does, so the run stops
 * with its journal synced and says so on stderr. */
#define _GNU_SOURCE
#include "clb_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <string.h>
#include <unistd.h>

static clb_output_hook before_output;
/* The first error writing fd 1 (not EPIPE, which ends or interrupts the run). */
static int stdout_errno;
/* Bytes written to fd 1 through the stream (whether the script's output has begun). */
static size_t stdout_written;
/* Who says that output was lost: flireo, or the shipped script that runs. */
static char program_name[64] = "flireo";

void clb_set_program_name(const char *name) {
    snprintf(program_name, sizeof program_name, "%s", name);
}

void clb_set_before_output(clb_output_hook hook) { before_output = hook; }

void clb_before_output(const char *bytes, size_t count) {
    if (before_output != NULL) before_output(bytes, count);
}

static ssize_t watched_write(void *cookie, const char *bytes, size_t count) {
    size_t done = 0;
    (void)cookie;
    clb_before_output(bytes, count);
    while (done < count) {
        ssize_t n = write(1, bytes + done, count - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno == EPIPE) {
                int saved = errno;
                clb_interrupt_broken_pipe();
                errno = saved;
            } else if (stdout_errno == 0) {
                stdout_errno = errno;
            }
            /* What was written, 0 for nothing, never -1: glibc's fwrite takes a cookie
             * write's result as a count (-1 made it copy past the caller's buffer), and
             * a short count marks the stream's error; errno says which. */
            return (ssize_t)done;
        }
        done += (size_t)n;
        stdout_written += (size_t)n;
    }
    return (ssize_t)count;
}

int clb_seek_fd(int fd, int64_t *offset, int whence) {
    off64_t at = lseek64(fd, (off64_t)*offset, whence);
    if (at < 0) return -1;
    *offset = (int64_t)at;
    return 0;
}

/* io.stdout:seek on a file, as before: fd 1's own offset. */
static int watched_seek(void *cookie, off64_t *offset, int whence) {
    (void)cookie;
    return clb_seek_fd(1, (int64_t *)offset, whence);
}

/* os.exit(code, close), but an exit that would say "done" after output was lost (a full
 * disk) says so and exits 1, as the host does at a script's end: a truncated file must not
 * look like a finished one. Upvalue 1: Lua's own os.exit. */
static int checked_exit(lua_State *L) {
    int success = lua_isnoneornil(L, 1) || (lua_isboolean(L, 1) && lua_toboolean(L, 1))
        || (lua_isinteger(L, 1) && lua_tointeger(L, 1) == 0);
    if (success) {
        int error = clb_stdout_error();
        if (error != 0 && error != EPIPE) {
            dprintf(2, "%s: cannot write standard output: %s\n", program_name, strerror(error));
            if (lua_gettop(L) == 0) lua_pushnil(L);
            lua_pushinteger(L, 1);
            lua_replace(L, 1);
        }
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 0);
    return 0;
}

int clb_watch_stdout(lua_State *L, int on_terminal) {
    int top = lua_gettop(L);
    luaL_Stream *stream;
    FILE *previous = stdout, *f;
    cookie_io_functions_t io = {NULL, watched_write, watched_seek, NULL};
    int terminal = isatty(1);
    /* A terminal has no reader to lose: only a REPL asks for it (its output hook). */
    if (terminal && !on_terminal) return 0;
    if (previous != NULL && fileno(previous) != 1) return 0; /* made already */
    f = fopencookie(NULL, "w", io);
    if (f == NULL) return 0;
    fflush(previous);
    /* Buffered as C's stdout is: by lines on a terminal, in blocks otherwise. */
    setvbuf(f, NULL, terminal ? _IOLBF : _IOFBF, BUFSIZ);
    stdout = f; /* glibc's stdout is a variable; print writes to whatever it holds */
    lua_pushstring(L, LUA_LOADED_TABLE);
    lua_rawget(L, LUA_REGISTRYINDEX);
    if (lua_istable(L, -1)) {
        int loaded = lua_gettop(L);
        lua_pushstring(L, LUA_IOLIBNAME);
        lua_rawget(L, loaded);
        if (lua_istable(L, -1)) {
            lua_pushstring(L, "stdout");
            lua_rawget(L, -2);
            stream = (luaL_Stream *)luaL_testudata(L, -1, LUA_FILEHANDLE);
            if (stream != NULL && stream->f == previous) stream->f = f;
        }
        lua_settop(L, loaded);
        lua_pushstring(L, LUA_OSLIBNAME);
        lua_rawget(L, loaded);
        if (lua_istable(L, -1)) {
            lua_pushstring(L, "exit");
            lua_pushstring(L, "exit");
            lua_rawget(L, -3);
            if (lua_iscfunction(L, -1)) {
                lua_pushcclosure(L, checked_exit, 1);
                lua_rawset(L, -3);
            }
        }
    }
    lua_settop(L, top);
    return 1;
}

void clb_flush_stdout(void) { fflush(stdout); }

int clb_stdout_error(void) {
    int failed = fflush(stdout) != 0;
    if (!failed && !ferror(stdout)) return 0;
    if (stdout_errno != 0) return stdout_errno;
    return failed && errno != 0 ? errno : EIO;
}

int clb_stdout_started(void) { return stdout_written > 0 || __fpending(stdout) > 0; }
