/* CLuaBridge: the coroutine library seen from Lua. Host coroutines look like the main
 * thread (not resumable, not yieldable by coroutine.yield), and every resume joins the
 * interruptible chain so Ctrl-C reaches the innermost running coroutine. */
#include "clb_internal.h"

/* Calls the original function (upvalue 1) with the arguments on the stack while `co`
 * is in the chain; returns lua_pcall's status. */
static int call_in_chain(lua_State *L, lua_State *co) {
    clb_state *s = info_of(L);
    int n = lua_gettop(L), entered, status;
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    entered = co != NULL && clb_chain_enter(s, co);
    status = lua_pcall(L, n, LUA_MULTRET, 0);
    if (entered) clb_chain_leave(s);
    return status;
}

static int co_resume(lua_State *L) {
    lua_State *co = lua_tothread(L, 1);
    luaL_argexpected(L, co, 1, "coroutine");
    if (clb_ishostthread(co)) {
        lua_pushboolean(L, 0);
        lua_pushliteral(L, "cannot resume non-suspended coroutine");
        return 2;
    }
    if (call_in_chain(L, co) != LUA_OK) return lua_error(L);
    return lua_gettop(L);
}

static int co_wrapped_call(lua_State *L) {
    if (call_in_chain(L, lua_tothread(L, lua_upvalueindex(2))) != LUA_OK) {
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

void clb_override_coroutines(lua_State *L) {
    override(L, "resume", co_resume);
    override(L, "wrap", co_wrap);
    override(L, "yield", co_yield);
    override(L, "isyieldable", co_isyieldable);
    override(L, "running", co_running);
    override(L, "close", co_close);
}
