#ifndef CEDITLINE_SHIM_H
#define CEDITLINE_SHIM_H
#include <stdio.h>
#include <locale.h>
#include <wchar.h>
#include <sys/ioctl.h>
#include <histedit.h>

/*
 * el_set, el_get and history are variadic, which Swift cannot call: these fixed-arity
 * wrappers are the only ways the REPL uses them.
 */

typedef char *(*cel_prompt_fn)(EditLine *);
typedef unsigned char (*cel_command_fn)(EditLine *, int);

static inline int cel_set_prompt(EditLine *el, cel_prompt_fn fn) { return el_set(el, EL_PROMPT, fn); }
static inline int cel_set_editor(EditLine *el, const char *mode) { return el_set(el, EL_EDITOR, mode); }
static inline int cel_set_clientdata(EditLine *el, void *data) { return el_set(el, EL_CLIENTDATA, data); }
static inline void *cel_clientdata(EditLine *el) {
    void *data = NULL;
    el_get(el, EL_CLIENTDATA, &data);
    return data;
}
/* Whether the editor is in emacs mode (not vi, which a ~/.editrc may choose). */
static inline int cel_is_emacs(EditLine *el) {
    const char *mode = NULL;
    return el_get(el, EL_EDITOR, &mode) == 0 && mode != NULL && mode[0] == 'e';
}
/* Puts the terminal in edit mode now rather than at the first key. */
static inline int cel_prepare_terminal(EditLine *el) { return el_set(el, EL_PREP_TERM, 1); }
/* Gives the terminal back its own mode (before a suspend). */
static inline int cel_restore_terminal(EditLine *el) { return el_set(el, EL_PREP_TERM, 0); }
static inline int cel_set_getc(EditLine *el, el_rfunc_t fn) { return el_set(el, EL_GETCFN, fn); }
static inline int cel_set_history(EditLine *el, History *h) { return el_set(el, EL_HIST, history, h); }
static inline int cel_add_command(EditLine *el, const char *name, const char *help, cel_command_fn fn) {
    return el_set(el, EL_ADDFN, name, help, fn);
}
static inline int cel_bind(EditLine *el, const char *keys, const char *command) {
    return el_set(el, EL_BIND, keys, command, NULL);
}
/* The columns a character takes (glibc declares wcwidth only under _XOPEN_SOURCE). */
extern int wcwidth(wchar_t c);
static inline int cel_wcwidth(wchar_t c) { return wcwidth(c); }
/* Draws the prompt and the line again from the cursor's column 0, as if nothing were shown. */
static inline int cel_refresh(EditLine *el) { return el_set(el, EL_REFRESH); }
/* One `setty` argument for the edit mode (`-d`), e.g. "-isig". */
static inline int cel_setty_edit(EditLine *el, const char *mode) { return el_set(el, EL_SETTY, "-d", mode, NULL); }

static inline int cel_history_setsize(History *h, int size) {
    HistEvent ev;
    return history(h, &ev, H_SETSIZE, size);
}
static inline int cel_history_setunique(History *h, int unique) {
    HistEvent ev;
    return history(h, &ev, H_SETUNIQUE, unique);
}
static inline int cel_history_enter(History *h, const char *line) {
    HistEvent ev;
    return history(h, &ev, H_ENTER, line);
}

/* The standard streams (Swift sees C's globals as shared mutable state). */
static inline FILE *cel_stdin(void) { return stdin; }
static inline FILE *cel_stdout(void) { return stdout; }
static inline FILE *cel_stderr(void) { return stderr; }

/* The terminal's size (ioctl is variadic too); 0 when unknown. */
static inline void cel_window_size(int fd, int *rows, int *columns) {
    struct winsize ws;
    *rows = 0;
    *columns = 0;
    if (ioctl(fd, TIOCGWINSZ, &ws) == 0) {
        *rows = ws.ws_row;
        *columns = ws.ws_col;
    }
}
#endif
