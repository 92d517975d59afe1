/* CLuaBridge: configuration, allocation, trampolines, objects, host threads, the
 * standard libraries. See clua_bridge.h; coroutines, protected helpers and interruption
 * live in clb_coroutine.c, clb_protected.c and clb_interrupt.c. */
#include "clb_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static clb_dispatch_fn dispatch_fn;
static clb_release_fn release_fn;
static char function_mt_key;
static char object_mt_key;

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
    s->key_fd = -1;
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

int clb_chain_enter(clb_state *s, lua_State *co) {
    int d = s->depth;
    if (d >= CLB_CHAIN_MAX) return 0;
    s->chain[d] = co;
    s->depth = d + 1;
    if (s->interrupt_requested || s->interrupt_active) clb_interrupt_arm(co);
    return 1;
}

void clb_chain_leave(clb_state *s) {
    int d = s->depth - 1;
    s->depth = d;
    s->chain[d] = NULL;
}

int clb_resume(lua_State *co, lua_State *from, int nargs, int *nresults) {
    clb_state *s = info_of(co);
    int entered = clb_chain_enter(s, co);
    int status = lua_resume(co, from, nargs, nresults);
    if (entered) clb_chain_leave(s);
    return status;
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
        clb_override_coroutines(L);
    }
    return 0;
}

int clb_openlibs(lua_State *L, int standard_libraries) {
    lua_pushcfunction(L, openlibs);
    lua_pushboolean(L, standard_libraries & 1);
    lua_pushboolean(L, (standard_libraries & 2) != 0);
    return lua_pcall(L, 2, 0, 0);
}
