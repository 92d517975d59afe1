/* CLuaBridge's internals shared by its .c files; not part of the module's interface. */
#ifndef CLB_INTERNAL_H
#define CLB_INTERNAL_H

#include "clua_bridge.h"

#include <signal.h>
#include <stdint.h>

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
    volatile int64_t grace_until; /* CLOCK_MONOTONIC milliseconds; 0: none */
    volatile sig_atomic_t deferred;
    volatile sig_atomic_t key_fd; /* where a deferred Ctrl-C is written as a key (-1: nowhere) */
} clb_state;

static inline clb_state *info_of(lua_State *L) {
    return (clb_state *)((uintptr_t)(*(void **)lua_getextraspace(L)) & ~(uintptr_t)1);
}

/* Records `co` as being resumed (arming the interrupt hook on it when an interrupt is
 * pending or active); 0 when the chain is full and nothing was recorded. */
int clb_chain_enter(clb_state *s, lua_State *co);
/* Ends the innermost clb_chain_enter. */
void clb_chain_leave(clb_state *s);

/* Replaces coroutine.resume, wrap, yield, isyieldable, running and close in the table on
 * the top of the stack (clb_coroutine.c). */
void clb_override_coroutines(lua_State *L);

/* A stream's seek on a descriptor's own offset (the cookie streams of stdout and stderr):
 * `*offset` becomes the new position; -1 on failure, with errno set. */
int clb_seek_fd(int fd, int64_t *offset, int whence);

#endif
