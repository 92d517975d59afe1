/* CLuaBridge: Ctrl-C. SIGINT arms a count hook on every thread of the running chain (as
 * lua.c does) and posts the wake semaphore; the hook raises "interrupted!" in Lua. */
#include "clb_internal.h"

#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

/* ---- interruption ------------------------------------------------------------- */
static clb_state *volatile sig_target;
static pthread_t sig_thread; /* the thread running Lua, which installed the handler */
static struct sigaction sig_previous;
static struct sigaction sig_previous_term, sig_previous_hup;
static int sig_trapping_termination;
static volatile sig_atomic_t sig_last; /* the signal of the last interrupt request */

static void interrupt_hook(lua_State *L, lua_Debug *ar) {
    clb_state *s = info_of(L);
    (void)ar;
    if (s->interrupt_requested || s->interrupt_active)
        luaL_error(L, "interrupted!");
    else
        lua_sethook(L, NULL, 0, 0); /* a stale arm from an earlier interrupt */
}

/* ---- cancellation ------------------------------------------------------------- */
/* A cancelled task's thread raises its cancellation at every step, as an interrupted
 * chunk raises "interrupted!": a pcall around a wait cannot swallow it and run on. The
 * library's own code (the prelude, the embedded modules) is let through, so that
 * `parallel` and `bulk.run` can stop what they started on the way out. */
static int cancel_error_mt = LUA_NOREF;
static const char library_key = 'L'; /* registry[&library_key]: {[chunk name] = true} */

void clb_library_chunk(lua_State *L, const char *name) {
    lua_rawgetp(L, LUA_REGISTRYINDEX, &library_key);
    if (!lua_istable(L, -1)) {
        lua_pop(L, 1);
        lua_createtable(L, 0, 16);
        lua_pushvalue(L, -1);
        lua_rawsetp(L, LUA_REGISTRYINDEX, &library_key);
    }
    lua_pushstring(L, name);
    lua_pushboolean(L, 1);
    lua_rawset(L, -3);
    lua_pop(L, 1);
}

/* Whether `source` is a chunk of the library's (see clb_library_chunk). */
static int is_library(lua_State *L, const char *source) {
    int library;
    lua_rawgetp(L, LUA_REGISTRYINDEX, &library_key);
    if (!lua_istable(L, -1)) {
        lua_pop(L, 1);
        return 0;
    }
    lua_pushstring(L, source);
    library = lua_rawget(L, -2) != LUA_TNIL;
    lua_pop(L, 2);
    return library;
}

static void cancel_hook(lua_State *L, lua_Debug *ar) {
    if (!lua_getinfo(L, "Sl", ar)) return;
    /* Not on entering a C function (the prelude's task:cancel()): the next Lua step raises. */
    if (ar->what[0] == 'C' || is_library(L, ar->source)) return;
    lua_createtable(L, 0, 3);
    lua_pushliteral(L, "cancelled");
    lua_setfield(L, -2, "code");
    lua_pushliteral(L, "the task was cancelled");
    lua_setfield(L, -2, "message");
    if (ar->currentline > 0) {
        lua_pushfstring(L, "%s:%d", ar->short_src, ar->currentline);
        lua_setfield(L, -2, "where");
    }
    if (cancel_error_mt != LUA_NOREF) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, cancel_error_mt);
        lua_setmetatable(L, -2);
    }
    lua_error(L);
}

void clb_cancel_arm(lua_State *co, int error_metatable) {
    cancel_error_mt = error_metatable;
    lua_sethook(co, cancel_hook, LUA_MASKCALL | LUA_MASKRET | LUA_MASKLINE | LUA_MASKCOUNT, 1);
}

void clb_cancel_disarm(lua_State *co) {
    if (lua_gethook(co) == cancel_hook) lua_sethook(co, NULL, 0, 0);
}

void clb_interrupt_arm(lua_State *co) {
    lua_sethook(co, interrupt_hook, LUA_MASKCALL | LUA_MASKRET | LUA_MASKLINE | LUA_MASKCOUNT, 1);
}

static void request(clb_state *s) {
    int i, d;
    s->interrupt_requested = 1;
    d = s->depth;
    for (i = 0; i < d && i < CLB_CHAIN_MAX; i++) {
        lua_State *t = s->chain[i];
        if (t != NULL) clb_interrupt_arm(t);
    }
    if (s->wake != NULL) sem_post(s->wake);
}

/* CLOCK_MONOTONIC in milliseconds (clock_gettime is async-signal-safe). */
static int64_t monotonic_ms(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

/* The terminal as it was before a line editor changed it, put back (with bracketed paste
 * off) when a second Ctrl-C ends the process: otherwise the shell is left without echo. */
static struct termios saved_terminal;
static volatile sig_atomic_t terminal_saved;

void clb_interrupt_save_terminal(int fd) {
    terminal_saved = tcgetattr(fd, &saved_terminal) == 0;
}

static void restore_terminal(void) {
    static const char paste_off[] = "\x1b[?2004l\r\n";
    if (!terminal_saved) return;
    (void)tcsetattr(0, TCSANOW, &saved_terminal);
    (void)!write(1, paste_off, sizeof paste_off - 1);
}

static void on_sigint(int sig) {
    clb_state *s = sig_target;
    if (s == NULL) return;
    if (!pthread_equal(pthread_self(), sig_thread)) {
        /* Another thread (an event loop) took it: the Lua thread's own handler does the
         * work, and a read(2) it sits in (io.read) returns EINTR there. */
        pthread_kill(sig_thread, sig);
        return;
    }
    if (sig == SIGINT && s->grace_until != 0 && monotonic_ms() < s->grace_until) {
        s->deferred = 1; /* see clb_interrupt_set_grace */
        /* Told to the line reader at once, so that it comes before the keys typed after it. */
        if (s->key_fd >= 0) (void)!write(s->key_fd, "\3", 1);
        return;
    }
    sig_last = sig;
    if (s->interrupt_requested) { /* a second Ctrl-C the host did not get to: give up, as lua.c */
        restore_terminal();
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    request(s);
}

void clb_interrupt_set_wake(lua_State *L, sem_t *wake) { info_of(L)->wake = wake; }

void clb_interrupt_install(lua_State *L) {
    clb_state *s = info_of(L);
    struct sigaction sa;
    if (sig_target == s) return;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    /* No SA_RESTART: a read(2) the Lua thread sits in (io.read at a prompt) ends with
     * EINTR, so the hook raises "interrupted!" at once instead of after Enter, as lua.c. */
    sa.sa_flags = 0;
    sig_thread = pthread_self();
    sig_target = s;
    sigaction(SIGINT, &sa, &sig_previous);
}

void clb_interrupt_uninstall(lua_State *L) {
    clb_state *s = info_of(L);
    if (sig_target != s) return;
    clb_interrupt_trap_termination(0);
    sigaction(SIGINT, &sig_previous, NULL);
    sig_target = NULL;
}

void clb_interrupt_trap_termination(int on) {
    struct sigaction sa;
    if (on == sig_trapping_termination) return;
    sig_trapping_termination = on;
    if (!on) {
        sigaction(SIGTERM, &sig_previous_term, NULL);
        sigaction(SIGHUP, &sig_previous_hup, NULL);
        return;
    }
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    sigaction(SIGTERM, &sa, &sig_previous_term);
    sigaction(SIGHUP, &sa, &sig_previous_hup);
}

static volatile sig_atomic_t sig_trapping_pipe;

void clb_interrupt_trap_broken_pipe(int on) { sig_trapping_pipe = on; }

void clb_interrupt_broken_pipe(void) {
    clb_state *s = sig_target;
    if (!sig_trapping_pipe || s == NULL || !pthread_equal(pthread_self(), sig_thread)) {
        /* As lua ends: SIGPIPE's own disposition, which the shell reports as 141. */
        signal(SIGPIPE, SIG_DFL);
        raise(SIGPIPE);
        return;
    }
    if (s->interrupt_requested) return;
    sig_last = SIGPIPE;
    request(s);
}

int clb_interrupt_signal(void) { return sig_last; }

void clb_interrupt_request(lua_State *L) { request(info_of(L)); }

int clb_interrupt_take(lua_State *L) {
    clb_state *s = info_of(L);
    int r = s->interrupt_requested;
    s->interrupt_requested = 0;
    return r;
}

void clb_interrupt_set_active(lua_State *L, int on) { info_of(L)->interrupt_active = on; }

void clb_interrupt_set_grace(lua_State *L, int milliseconds) {
    info_of(L)->grace_until = milliseconds > 0 ? monotonic_ms() + milliseconds : 0;
}

int clb_interrupt_take_deferred(lua_State *L) {
    clb_state *s = info_of(L);
    int r = s->deferred;
    s->deferred = 0;
    return r;
}

void clb_interrupt_set_key_fd(lua_State *L, int fd) { info_of(L)->key_fd = fd; }
