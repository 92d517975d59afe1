#include <lua.h>
static inline int clb_version(void) { return LUA_VERSION_NUM; }
