/* CLuaBridge: error messages built as Lua builds them, and helpers that run a Lua
 * operation that may raise (a metamethod, an error's __tostring) under lua_pcall. */
#include "clb_internal.h"

#include <string.h>

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

/* lauxlib's findfield, with raw access only: whether the value at `objidx` is in the
 * table on top (or, `level` deep, in a table in it); leaves its dotted name on top. */
static int findfield(lua_State *L, int objidx, int level) {
    if (level == 0 || !lua_istable(L, -1)) return 0;
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        if (lua_type(L, -2) == LUA_TSTRING) {
            if (lua_rawequal(L, objidx, -1)) {
                lua_pop(L, 1);
                return 1;
            } else if (findfield(L, objidx, level - 1)) {
                lua_pushliteral(L, ".");
                lua_replace(L, -3);
                lua_concat(L, 3);
                return 1;
            }
        }
        lua_pop(L, 1);
    }
    return 0;
}

/* lauxlib's pushglobalfuncname: the running function's name among the loaded modules
 * ("sleep", "json.decode"), for a function called where Lua knows no name (from pcall). */
static int pushglobalfuncname(lua_State *L, lua_Debug *ar) {
    int top = lua_gettop(L);
    if (!lua_checkstack(L, 8)) return 0;
    lua_getinfo(L, "f", ar);
    lua_pushliteral(L, LUA_LOADED_TABLE);
    lua_rawget(L, LUA_REGISTRYINDEX);
    if (findfield(L, top + 1, 2)) {
        const char *name = lua_tostring(L, -1);
        if (strncmp(name, LUA_GNAME ".", 3) == 0) {
            lua_pushstring(L, name + 3);
            lua_remove(L, -2);
        }
        lua_copy(L, -1, top + 1);
        lua_settop(L, top + 1);
        return 1;
    }
    lua_settop(L, top);
    return 0;
}

void clb_argerror_message(lua_State *L, int arg, const char *extramsg) {
    lua_Debug ar;
    int named = 0;
    if (!lua_getstack(L, 0, &ar)) {
        lua_pushfstring(L, "bad argument #%d (%s)", arg, extramsg);
        return;
    }
    lua_getinfo(L, "n", &ar);
    if (ar.name == NULL && pushglobalfuncname(L, &ar)) {
        ar.name = lua_tostring(L, -1);
        named = 1;
    }
    luaL_where(L, 1);
    if (ar.namewhat != NULL && strcmp(ar.namewhat, "method") == 0) {
        arg--;
        if (arg == 0) {
            lua_pushfstring(L, "calling '%s' on bad self (%s)", ar.name ? ar.name : "?", extramsg);
            lua_concat(L, 2);
            if (named) lua_remove(L, -2);
            return;
        }
    }
    lua_pushfstring(L, "bad argument #%d to '%s' (%s)", arg, ar.name ? ar.name : "?", extramsg);
    lua_concat(L, 2);
    if (named) lua_remove(L, -2);
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
/* Calls `k` with the value at `idx` under lua_pcall; its one result (or the error) is
 * left on the top. */
static int pcall_on_value(lua_State *L, int idx, lua_CFunction k) {
    idx = lua_absindex(L, idx);
    lua_pushcfunction(L, k);
    lua_pushvalue(L, idx);
    return lua_pcall(L, 1, 1, 0);
}

static int tostring_k(lua_State *L) {
    luaL_tolstring(L, 1, NULL);
    return 1;
}

int clb_ptostring(lua_State *L, int idx) { return pcall_on_value(L, idx, tostring_k); }

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

int clb_plen(lua_State *L, int idx) { return pcall_on_value(L, idx, len_k); }

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
