/*
 * CLuaBridge — the only C of flireo.
 *
 * Swift never calls a Lua function that can raise (longjmp) or yield: a longjmp
 * over Swift frames skips ARC releases and is undefined behaviour. So:
 *   - every Swift function exposed to Lua is reached through clb_trampoline, which
 *     raises (lua_error) or yields (lua_yieldk with a C continuation) on its behalf;
 *   - anything that can run a metamethod goes through a protected helper here;
 *   - the allocator aborts with a message instead of returning NULL, so a memory
 *     error can never longjmp out of a push made from Swift;
 *   - Lua's macros are re-exported as static inline functions (they do not import).
 */
#ifndef CLUA_BRIDGE_H
#define CLUA_BRIDGE_H

#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>
#include <semaphore.h>
#include <stddef.h>

/* What a Swift function returns to its trampoline: n >= 0 results, or one of these. */
#define CLB_RAISE (-1) /* raise the value on top of the stack */
#define CLB_YIELD (-2) /* yield to the host; it resumes with (true, results...) or (false, error) */

/* Calls the Swift function held by `box` (an unretained Swift object pointer). */
typedef int (*clb_dispatch_fn)(lua_State *L, void *box);
/* Releases one retain of a Swift object held by a userdata. */
typedef void (*clb_release_fn)(void *object);

/* ---- macro re-exports -------------------------------------------------------- */
static inline int clb_upvalueindex(int i) { return lua_upvalueindex(i); }
static inline int clb_registryindex(void) { return LUA_REGISTRYINDEX; }
static inline void clb_pop(lua_State *L, int n) { lua_pop(L, n); }
static inline void clb_newtable(lua_State *L) { lua_newtable(L); }
static inline void clb_insert(lua_State *L, int idx) { lua_insert(L, idx); }
static inline void clb_remove(lua_State *L, int idx) { lua_remove(L, idx); }
static inline void clb_replace(lua_State *L, int idx) { lua_replace(L, idx); }
static inline int clb_isnoneornil(lua_State *L, int idx) { return lua_isnoneornil(L, idx); }
static inline void clb_pushcfunction(lua_State *L, lua_CFunction f) { lua_pushcfunction(L, f); }
static inline int clb_pcall(lua_State *L, int nargs, int nresults, int msgh) {
    return lua_pcall(L, nargs, nresults, msgh);
}
static inline const char *clb_tostring(lua_State *L, int idx, size_t *len) {
    /* Only ever called on values whose type is LUA_TSTRING: no conversion, no raise. */
    return lua_tolstring(L, idx, len);
}
static inline lua_Integer clb_tointeger(lua_State *L, int idx, int *isnum) {
    return lua_tointegerx(L, idx, isnum);
}
static inline lua_Number clb_tonumber(lua_State *L, int idx, int *isnum) {
    return lua_tonumberx(L, idx, isnum);
}
static inline int clb_multret(void) { return LUA_MULTRET; }
static inline int clb_errfile(void) { return LUA_ERRFILE; }
/* lua_gc is variadic, which Swift cannot call. */
static inline int clb_gc_generational(lua_State *L) { return lua_gc(L, LUA_GCGEN, 0, 0); }
static inline int clb_gc_collect(lua_State *L) { return lua_gc(L, LUA_GCCOLLECT); }
static inline int clb_gc_count_kb(lua_State *L) { return lua_gc(L, LUA_GCCOUNT); }

/* ---- states ------------------------------------------------------------------ */
/* A new state with the aborting allocator; `owner` is the unretained Swift owner.
 * Returns NULL only if the state cannot be created at all. */
lua_State *clb_newstate(void *owner);
/* Closes the state (running finalizers) and frees the bridge's bookkeeping. */
void clb_close(lua_State *L);
/* Sets the Swift owner (once the owner is fully initialised). */
void clb_setowner(lua_State *L, void *owner);
/* The Swift owner of any thread of the state. */
void *clb_owner(lua_State *L);
/* Installs the process-wide Swift entry points (idempotent). */
void clb_configure(clb_dispatch_fn dispatch, clb_release_fn release);

/* Opens the standard libraries, the coroutine overrides and the bridge's metatables,
 * in protected mode. Returns a Lua status; on error the message is on the stack. */
int clb_openlibs(lua_State *L, int standard_libraries);

/* ---- host coroutines -------------------------------------------------------- */
/* A new thread for the host scheduler, anchored by the caller. Pushed on L. */
lua_State *clb_newhostthread(lua_State *L);
/* Whether L is a coroutine owned by the host scheduler (not one the user created). */
int clb_ishostthread(lua_State *L);
/* lua_resume, recording `co` in the interruptible chain while it runs. */
int clb_resume(lua_State *co, lua_State *from, int nargs, int *nresults);

/* ---- functions and objects ---------------------------------------------------- */
/* Pushes a Lua function that calls the Swift function `box` (already retained; the
 * function's userdata releases it when collected). */
void clb_pushfunction(lua_State *L, void *box);
/* Creates (or fetches) the metatable `tname` for Swift objects, with __name and a __gc
 * that releases the object and clears the metatable (a stale object then errors
 * instead of crashing). Leaves it on the stack. Returns 1 if it was created. */
int clb_newobjectmetatable(lua_State *L, const char *tname);
/* Pushes a userdata holding the (already retained) Swift object, with metatable tname. */
void clb_pushobject(lua_State *L, void *object, const char *tname);
/* The Swift object held at idx if it is a live userdata of type tname, else NULL. */
void *clb_toobject(lua_State *L, int idx, const char *tname);
/* The Swift object held at idx if it is any live bridge object, else NULL; its
 * metatable name is stored in *tname (borrowed). */
void *clb_toanyobject(lua_State *L, int idx, const char **tname);

/* ---- messages (push only, never raise) ---------------------------------------- */
/* Pushes "chunk:line:" for the function at `level` (as luaL_where). */
void clb_where(lua_State *L, int level);
/* Pushes luaL_where(L, level) and the chunk source of that level's function, or
 * nothing at all when the stack is not that deep. */
void clb_where_source(lua_State *L, int level);
/* Pushes the message luaL_argerror would raise: "bad argument #n to 'f' (extra)". */
void clb_argerror_message(lua_State *L, int arg, const char *extramsg);
/* Pushes the message luaL_typeerror would raise ("T expected, got U"). */
void clb_typeerror_message(lua_State *L, int arg, const char *tname);

/* ---- protected helpers (metamethods may run; errors come back as a status) ---- */
/* Pushes tostring(value at idx). Returns a Lua status; on error the error is pushed. */
int clb_ptostring(lua_State *L, int idx);
/* Pushes the message and traceback of co's error (value on top of co), as lua.c's
 * message handler would: strings get a traceback; other values their __tostring. */
int clb_perrorreport(lua_State *L, lua_State *co, int with_traceback);
/* Pushes t[k] (t at idx, k on top is popped), honouring __index. Returns a status. */
int clb_pgettable(lua_State *L, int idx);
/* Pushes #value (honouring __len). Returns a status. */
int clb_plen(lua_State *L, int idx);
/* luaL_traceback under protection. */
int clb_ptraceback(lua_State *L, lua_State *of, const char *msg, int level);

/* ---- the stderr filter ---------------------------------------------------------- */
/* Receives what Lua writes to io.stderr, a line or more at a time, and writes it out. */
typedef void (*clb_stderr_filter)(const char *bytes, size_t count);
/* Routes io.stderr (and io.write while it is the default output) through `filter`: the
 * handle's stream becomes a line-buffered stream whose bytes go to `filter`. Raw table
 * access only; returns 0 when io.stderr is not there. */
int clb_filter_stderr(lua_State *L, clb_stderr_filter filter);

/* ---- a standard output whose reader went away ------------------------------------ */
/* Makes C's stdout (print, io.stdout, the default io.write) a stream that writes fd 1 and,
 * when the reader has gone (EPIPE), calls clb_interrupt_broken_pipe. Buffered as stdout
 * was. Raw table access only; returns 0 (and changes nothing) when fd 1 is a terminal
 * and `on_terminal` is 0, when it was made already, or when no stream could be made. */
int clb_watch_stdout(lua_State *L, int on_terminal);
/* Flushes C's stdout, whatever stream it is now (Swift cannot name the variable). */
void clb_flush_stdout(void);
/* Flushes C's stdout and says whether anything written to it was lost: 0, or the errno of
 * the first failure (ENOSPC, EIO, …; EPIPE when the reader went away). */
int clb_stdout_error(void);
/* Whether anything was written to C's stdout through clb_watch_stdout's stream (sent or
 * still buffered). */
int clb_stdout_started(void);
/* The name os.exit's message about lost output starts with (default "flireo"). */
void clb_set_program_name(const char *name);
/* Called with the bytes about to go out, before what Lua writes to standard output (once
 * clb_watch_stdout made its stream) or to io.stderr (once filtered) is written, on the
 * thread writing it: a REPL clears the line being edited there, and follows where the
 * output leaves the cursor. It must not write to those streams itself. */
typedef void (*clb_output_hook)(const char *bytes, size_t count);
void clb_set_before_output(clb_output_hook hook);
/* Calls the hook, if one is set. */
void clb_before_output(const char *bytes, size_t count);

/* ---- interruption (Ctrl-C) ---------------------------------------------------- */
/* The semaphore an interrupt request posts, to wake a host waiting for events. */
void clb_interrupt_set_wake(lua_State *L, sem_t *wake);
/* Makes this state the target of SIGINT: the handler arms the count hook on every
 * thread in the running chain (as lua.c does) and posts the wake semaphore. */
void clb_interrupt_install(lua_State *L);
/* Restores the previous SIGINT disposition if this state is the target (and SIGTERM's
 * and SIGHUP's, when they were trapped). */
void clb_interrupt_uninstall(lua_State *L);
/* While on, SIGTERM and SIGHUP interrupt the target state as SIGINT does (a second one
 * ends the process); off restores what they did before. */
void clb_interrupt_trap_termination(int on);
/* While on, a write to a standard output whose reader went away interrupts the target
 * state as SIGINT does (recorded as SIGPIPE); while off, it ends the process with
 * SIGPIPE, as it ends lua. */
void clb_interrupt_trap_broken_pipe(int on);
/* What clb_watch_stdout's stream does on EPIPE (see clb_interrupt_trap_broken_pipe). */
void clb_interrupt_broken_pipe(void);
/* The signal of the last interrupt request made by a signal (SIGINT, SIGTERM, SIGHUP,
 * SIGPIPE for a closed standard output), 0 if none. */
int clb_interrupt_signal(void);
/* What the signal handler does, callable directly (tests, REPL). Async-signal-safe. */
void clb_interrupt_request(lua_State *L);
/* Returns and clears the pending interrupt request. */
int clb_interrupt_take(lua_State *L);
/* While on, the hook raises "interrupted!" in every thread it fires in. */
void clb_interrupt_set_active(lua_State *L, int on);
/* Until `milliseconds` from now (0: no longer), SIGINT does not interrupt the running
 * work but is only recorded, for clb_interrupt_take_deferred: a REPL's background work
 * that runs a moment between waits is not what a Ctrl-C typed to clear a line is for. */
void clb_interrupt_set_grace(lua_State *L, int milliseconds);
/* Returns and clears whether a SIGINT came during the grace. */
int clb_interrupt_take_deferred(lua_State *L);
/* A descriptor (a line reader's wake pipe) that a SIGINT during the grace is written to
 * as the byte 3, the Ctrl-C key, at once; -1 for none. */
void clb_interrupt_set_key_fd(lua_State *L, int fd);
/* Remembers the terminal's mode on `fd` now, to be put back if a second Ctrl-C ends the
 * process (a line editor's raw mode would otherwise stay). */
void clb_interrupt_save_terminal(int fd);
/* Arms the interrupt hook on one thread. */
void clb_interrupt_arm(lua_State *co);
/* Makes the thread of a cancelled task raise {code = "cancelled"} (with the metatable at
 * registry index `error_metatable`) at every step outside the library's own chunks (see
 * clb_library_chunk), so that a pcall cannot swallow the cancellation; disarm when the
 * task ends. */
void clb_cancel_arm(lua_State *co, int error_metatable);
void clb_cancel_disarm(lua_State *co);
/* Counts chunk `name` as the library's: the cancellation hook lets its code run. Raw
 * registry access only: cannot raise. */
void clb_library_chunk(lua_State *L, const char *name);

#endif
