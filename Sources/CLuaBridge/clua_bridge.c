/* CLuaBridge: trampolines, protected helpers, interruption. See clua_bridge.h. */
#include "clua_bridge.h"

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CLB_CHAIN_MAX 200 /* LUAI_MAXCCALLS bounds nested resumes anyway */

/* Per-state bookkeeping, reached from any thread through the extra space (the
 * main thread's pointer is copied into every new thread; bit 0 tags host threads). */
typedef struct clb_state {
    void *owner;
    lua_Alloc base_alloc;
    void *base_ud;
    volatile sig_atomic_t interrupt_requested;
    volatile sig_atomic_t interrupt_active;
    lua_State *volatile chain[CLB_CHAIN_MAX]; /* threads being resumed, outermost first */
    volatile sig_atomic_t depth;
    sem_t *volatile wake;
} clb_state;

static clb_dispatch_fn dispatch_fn;
static clb_release_fn release_fn;
static char function_mt_key;
static char object_mt_key;

static clb_state *info_of(lua_State *L) {
    return (clb_state *)((uintptr_t)(*(void **)lua_getextraspace(L)) & ~(uintptr_t)1);
}

void clb_configure(clb_dispatch_fn dispatch, clb_release_fn release) {
    dispatch_fn = dispatch;
    release_fn = release;
}

/* ---- allocation: never return NULL to Lua ------------------------------------- */
static void *abort_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    clb_state *s = (clb_state *)ud;
    void *p = s->base_alloc(s->base_ud, ptr, osize, nsize);
    if (p == NULL && nsize > 0) {
        fprintf(stderr, "flireo: out of memory (allocating %zu bytes)\n", nsize);
        abort();
    }
    return p;
}

void clb_setowner(lua_State *L, void *owner) { info_of(L)->owner = owner; }

lua_State *clb_newstate(void *owner) {
    clb_state *s = (clb_state *)calloc(1, sizeof *s);
    if (s == NULL) return NULL;
    lua_State *L = luaL_newstate(); /* keeps lauxlib's panic and warning functions */
    if (L == NULL) { free(s); return NULL; }
    s->owner = owner;
    s->base_alloc = lua_getallocf(L, &s->base_ud);
    lua_setallocf(L, abort_alloc, s);
    *(void **)lua_getextraspace(L) = s;
    return L;
}

void clb_close(lua_State *L) {
    clb_state *s = info_of(L);
    clb_interrupt_uninstall(L);
    lua_close(L);
    free(s);
}

void *clb_owner(lua_State *L) { return info_of(L)->owner; }

/* ---- trampolines -------------------------------------------------------------- */
static int resumed(lua_State *L, int status, lua_KContext ctx) {
    int base = (int)ctx; /* the host resumed with (true, results...) or (false, error) */
    (void)status;
    if (!lua_toboolean(L, base + 1)) {
        lua_settop(L, base + 2);
        return lua_error(L);
    }
    return lua_gettop(L) - (base + 1);
}

static int trampoline(lua_State *L) {
    void *box = *(void **)lua_touserdata(L, lua_upvalueindex(1));
    int r = dispatch_fn(L, box);
    if (r >= 0) return r;
    if (r == CLB_YIELD) return lua_yieldk(L, 0, (lua_KContext)lua_gettop(L), resumed);
    return lua_error(L);
}

static int release_slot(lua_State *L) {
    void **p = (void **)lua_touserdata(L, 1);
    if (p != NULL && *p != NULL) {
        void *object = *p;
        *p = NULL;
        release_fn(object);
    }
    return 0;
}

void clb_pushfunction(lua_State *L, void *box) {
    void **p = (void **)lua_newuserdatauv(L, sizeof(void *), 0);
    *p = box;
    lua_rawgetp(L, LUA_REGISTRYINDEX, &function_mt_key);
    lua_setmetatable(L, -2);
    lua_pushcclosure(L, trampoline, 1);
}

static int object_gc(lua_State *L) {
    release_slot(L);
    lua_pushnil(L);
    lua_setmetatable(L, 1); /* a resurrected object now fails type checks instead of crashing */
    return 0;
}

int clb_newobjectmetatable(lua_State *L, const char *tname) {
    if (!luaL_newmetatable(L, tname)) return 0;
    lua_pushcfunction(L, object_gc);
    lua_setfield(L, -2, "__gc");
    lua_pushboolean(L, 1);
    lua_rawsetp(L, -2, &object_mt_key);
    return 1;
}

void clb_pushobject(lua_State *L, void *object, const char *tname) {
    void **p = (void **)lua_newuserdatauv(L, sizeof(void *), 0);
    *p = object;
    luaL_setmetatable(L, tname);
}

void *clb_toobject(lua_State *L, int idx, const char *tname) {
    void **p = (void **)luaL_testudata(L, idx, tname);
    return p != NULL ? *p : NULL;
}

void *clb_toanyobject(lua_State *L, int idx, const char **tname) {
    void **p;
    int isobject;
    if (lua_type(L, idx) != LUA_TUSERDATA || !lua_getmetatable(L, idx)) return NULL;
    lua_rawgetp(L, -1, &object_mt_key);
    isobject = lua_toboolean(L, -1);
    lua_pop(L, 1);
    if (!isobject) { lua_pop(L, 1); return NULL; }
    if (tname != NULL) {
        lua_pushliteral(L, "__name");
        lua_rawget(L, -2);
        *tname = lua_tostring(L, -1); /* anchored by the metatable, which the registry holds */
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    p = (void **)lua_touserdata(L, idx);
    return p != NULL ? *p : NULL;
}

/* ---- host threads and the interruptible chain -------------------------------- */
lua_State *clb_newhostthread(lua_State *L) {
    lua_State *co = lua_newthread(L);
    *(void **)lua_getextraspace(co) = (void *)((uintptr_t)info_of(L) | 1);
    return co;
}

int clb_ishostthread(lua_State *L) {
    return (int)((uintptr_t)(*(void **)lua_getextraspace(L)) & 1);
}

static int chain_enter(clb_state *s, lua_State *co) {
    int d = s->depth;
    if (d >= CLB_CHAIN_MAX) return 0;
    s->chain[d] = co;
    s->depth = d + 1;
    if (s->interrupt_requested || s->interrupt_active) clb_interrupt_arm(co);
    return 1;
}

static void chain_leave(clb_state *s) {
    int d = s->depth - 1;
    s->depth = d;
    s->chain[d] = NULL;
}

int clb_resume(lua_State *co, lua_State *from, int nargs, int *nresults) {
    clb_state *s = info_of(co);
    int entered = chain_enter(s, co);
    int status = lua_resume(co, from, nargs, nresults);
    if (entered) chain_leave(s);
    return status;
}

/* ---- coroutine library: host coroutines look like the main thread ------------ */
static int co_resume(lua_State *L) {
    lua_State *co = lua_tothread(L, 1);
    clb_state *s = info_of(L);
    int n, entered, status;
    luaL_argexpected(L, co, 1, "coroutine");
    if (clb_ishostthread(co)) {
        lua_pushboolean(L, 0);
        lua_pushliteral(L, "cannot resume non-suspended coroutine");
        return 2;
    }
    n = lua_gettop(L);
    lua_pushvalue(L, lua_upvalueindex(1)); /* the original resume */
    lua_insert(L, 1);
    entered = chain_enter(s, co);
    status = lua_pcall(L, n, LUA_MULTRET, 0);
    if (entered) chain_leave(s);
    if (status != LUA_OK) return lua_error(L);
    return lua_gettop(L);
}

static int co_wrapped_call(lua_State *L) {
    lua_State *co = lua_tothread(L, lua_upvalueindex(2));
    clb_state *s = info_of(L);
    int n = lua_gettop(L), entered, status;
    lua_pushvalue(L, lua_upvalueindex(1)); /* the original wrapper function */
    lua_insert(L, 1);
    entered = co != NULL && chain_enter(s, co);
    status = lua_pcall(L, n, LUA_MULTRET, 0);
    if (entered) chain_leave(s);
    if (status != LUA_OK) {
        if (lua_type(L, -1) == LUA_TSTRING) { /* the position the original would add */
            luaL_where(L, 1);
            lua_insert(L, -2);
            lua_concat(L, 2);
        }
        return lua_error(L);
    }
    return lua_gettop(L);
}

static int co_wrap(lua_State *L) {
    luaL_checktype(L, 1, LUA_TFUNCTION);
    lua_settop(L, 1);
    lua_pushvalue(L, lua_upvalueindex(1)); /* the original wrap */
    lua_insert(L, 1);
    lua_call(L, 1, 1);
    lua_getupvalue(L, 1, 1); /* the new thread, held by the original wrapper */
    lua_pushcclosure(L, co_wrapped_call, 2);
    return 1;
}

static int co_yield(lua_State *L) {
    if (clb_ishostthread(L)) {
        lua_pushliteral(L, "attempt to yield from outside a coroutine");
        return lua_error(L);
    }
    return lua_yield(L, lua_gettop(L));
}

static int co_isyieldable(lua_State *L) {
    lua_State *co = lua_isnone(L, 1) ? L : lua_tothread(L, 1);
    luaL_argexpected(L, co, 1, "coroutine");
    lua_pushboolean(L, lua_isyieldable(co) && !clb_ishostthread(co));
    return 1;
}

static int co_running(lua_State *L) {
    int ismain = lua_pushthread(L);
    lua_pushboolean(L, ismain || clb_ishostthread(L));
    return 2;
}

static int co_close(lua_State *L) {
    lua_State *co = lua_tothread(L, 1);
    luaL_argexpected(L, co, 1, "coroutine");
    if (clb_ishostthread(co)) return luaL_error(L, "cannot close a running coroutine");
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

static void override(lua_State *L, const char *name, lua_CFunction f) {
    lua_getfield(L, -1, name);
    lua_pushcclosure(L, f, 1);
    lua_setfield(L, -2, name);
}

static int openlibs(lua_State *L) {
    int standard = lua_toboolean(L, 1);
    if (lua_toboolean(L, 2)) {
        lua_pushboolean(L, 1);
        lua_setfield(L, LUA_REGISTRYINDEX, "LUA_NOENV");
    }
    if (standard) luaL_openlibs(L);
    lua_newtable(L);
    lua_pushcfunction(L, release_slot);
    lua_setfield(L, -2, "__gc");
    lua_pushliteral(L, "luakit.function");
    lua_setfield(L, -2, "__name");
    lua_rawsetp(L, LUA_REGISTRYINDEX, &function_mt_key);
    if (standard && lua_getglobal(L, "coroutine") == LUA_TTABLE) {
        override(L, "resume", co_resume);
        override(L, "wrap", co_wrap);
        override(L, "yield", co_yield);
        override(L, "isyieldable", co_isyieldable);
        override(L, "running", co_running);
        override(L, "close", co_close);
    }
    return 0;
}

int clb_openlibs(lua_State *L, int standard_libraries) {
    lua_pushcfunction(L, openlibs);
    lua_pushboolean(L, standard_libraries & 1);
    lua_pushboolean(L, (standard_libraries & 2) != 0);
    return lua_pcall(L, 2, 0, 0);
}

/* ---- messages ----------------------------------------------------------------- */
void clb_where(lua_State *L, int level) { luaL_where(L, level); }

void clb_where_source(lua_State *L, int level) {
    lua_Debug ar;
    if (!lua_getstack(L, level, &ar)) return;
    lua_getinfo(L, "Sl", &ar);
    if (ar.currentline > 0)
        lua_pushfstring(L, "%s:%d: ", ar.short_src, ar.currentline);
    else
        lua_pushliteral(L, "");
    lua_pushstring(L, ar.source != NULL ? ar.source : "");
}

void clb_argerror_message(lua_State *L, int arg, const char *extramsg) {
    lua_Debug ar;
    if (!lua_getstack(L, 0, &ar)) {
        lua_pushfstring(L, "bad argument #%d (%s)", arg, extramsg);
        return;
    }
    lua_getinfo(L, "n", &ar);
    luaL_where(L, 1);
    if (ar.namewhat != NULL && strcmp(ar.namewhat, "method") == 0) {
        arg--;
        if (arg == 0) {
            lua_pushfstring(L, "calling '%s' on bad self (%s)", ar.name ? ar.name : "?", extramsg);
            lua_concat(L, 2);
            return;
        }
    }
    lua_pushfstring(L, "bad argument #%d to '%s' (%s)", arg, ar.name ? ar.name : "?", extramsg);
    lua_concat(L, 2);
}

void clb_typeerror_message(lua_State *L, int arg, const char *tname) {
    const char *typearg;
    int named = 0;
    int t = luaL_getmetafield(L, arg, "__name"); /* pushes nothing when absent */
    if (t == LUA_TSTRING) {
        typearg = lua_tostring(L, -1);
        named = 1;
    } else {
        if (t != LUA_TNIL) lua_pop(L, 1);
        typearg = lua_type(L, arg) == LUA_TLIGHTUSERDATA ? "light userdata" : luaL_typename(L, arg);
    }
    lua_pushfstring(L, "%s expected, got %s", tname, typearg);
    clb_argerror_message(L, arg, lua_tostring(L, -1));
    lua_replace(L, -2);
    if (named) lua_remove(L, -2);
}

/* ---- protected helpers ------------------------------------------------------- */
static int tostring_k(lua_State *L) {
    luaL_tolstring(L, 1, NULL);
    return 1;
}

int clb_ptostring(lua_State *L, int idx) {
    idx = lua_absindex(L, idx);
    lua_pushcfunction(L, tostring_k);
    lua_pushvalue(L, idx);
    return lua_pcall(L, 1, 1, 0);
}

static int errorreport_k(lua_State *L) {
    lua_State *co = (lua_State *)lua_touserdata(L, 1);
    int with_traceback = lua_toboolean(L, 2);
    const char *msg;
    lua_settop(L, 0);
    lua_pushvalue(co, -1);
    lua_xmove(co, L, 1); /* the error value, now at 1 */
    msg = lua_tostring(L, 1);
    if (msg == NULL) {
        if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
            msg = lua_tostring(L, -1);
        else
            msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    }
    if (with_traceback)
        luaL_traceback(L, co, msg, 0);
    else
        lua_pushstring(L, msg);
    return 1;
}

int clb_perrorreport(lua_State *L, lua_State *co, int with_traceback) {
    lua_pushcfunction(L, errorreport_k);
    lua_pushlightuserdata(L, co);
    lua_pushboolean(L, with_traceback);
    return lua_pcall(L, 2, 1, 0);
}

static int gettable_k(lua_State *L) {
    lua_gettable(L, 1);
    return 1;
}

int clb_pgettable(lua_State *L, int idx) {
    idx = lua_absindex(L, idx);
    lua_pushcfunction(L, gettable_k);
    lua_pushvalue(L, idx);
    lua_pushvalue(L, -3);
    lua_remove(L, -4);
    return lua_pcall(L, 2, 1, 0);
}

static int len_k(lua_State *L) {
    lua_len(L, 1);
    return 1;
}

int clb_plen(lua_State *L, int idx) {
    idx = lua_absindex(L, idx);
    lua_pushcfunction(L, len_k);
    lua_pushvalue(L, idx);
    return lua_pcall(L, 1, 1, 0);
}

static int traceback_k(lua_State *L) {
    lua_State *of = (lua_State *)lua_touserdata(L, 1);
    const char *msg = lua_tostring(L, 2);
    int level = (int)lua_tointeger(L, 3);
    luaL_traceback(L, of, msg, level);
    return 1;
}

int clb_ptraceback(lua_State *L, lua_State *of, const char *msg, int level) {
    lua_pushcfunction(L, traceback_k);
    lua_pushlightuserdata(L, of);
    if (msg != NULL) lua_pushstring(L, msg); else lua_pushnil(L);
    lua_pushinteger(L, level);
    return lua_pcall(L, 3, 1, 0);
}

/* ---- interruption ------------------------------------------------------------- */
static clb_state *volatile sig_target;
static struct sigaction sig_previous;

static void interrupt_hook(lua_State *L, lua_Debug *ar) {
    clb_state *s = info_of(L);
    (void)ar;
    if (s->interrupt_requested || s->interrupt_active)
        luaL_error(L, "interrupted!");
    else
        lua_sethook(L, NULL, 0, 0); /* a stale arm from an earlier interrupt */
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

static void on_sigint(int sig) {
    clb_state *s = sig_target;
    if (s == NULL) return;
    if (s->interrupt_requested) { /* a second Ctrl-C the host did not get to: give up, as lua.c */
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
    sa.sa_flags = SA_RESTART;
    sig_target = s;
    sigaction(SIGINT, &sa, &sig_previous);
}

void clb_interrupt_uninstall(lua_State *L) {
    clb_state *s = info_of(L);
    if (sig_target != s) return;
    sigaction(SIGINT, &sig_previous, NULL);
    sig_target = NULL;
}

void clb_interrupt_request(lua_State *L) { request(info_of(L)); }

int clb_interrupt_take(lua_State *L) {
    clb_state *s = info_of(L);
    int r = s->interrupt_requested;
    s->interrupt_requested = 0;
    return r;
}

void clb_interrupt_set_active(lua_State *L, int on) { info_of(L)->interrupt_active = on; }
