/* The C ABI between `penscope grip --show` (engine/cli/live_view.c) and the
 * display module penscope-display.so (display.cpp, OpenCV highgui). The
 * module is loaded with dlopen only when a window is wanted, so Qt/GTK are
 * never loaded into other penscope processes or into libpenscope.
 * Change the table only by appending; bump the ABI on any other change. */
#ifndef PS_MODULES_DISPLAY_ABI_H
#define PS_MODULES_DISPLAY_ABI_H
#include "core/module.h"
#include <stddef.h>
#include <stdint.h>

#define PS_DISPLAY_MODULE_ABI 1

typedef struct ps_display_window ps_display_window;

typedef struct ps_display_module {
    ps_module_head head; /* PS_DISPLAY_MODULE_ABI, sizeof(ps_display_module) */
    /* Opens a window titled title for frames of width x height (scaled down
     * to fit when large). Returns PS_OK, or a status with err filled. */
    ps_status (*open)(const char *title, int width, int height, ps_display_window **out, char *err, size_t cap);
    /* Shows one RGB frame (rows stride bytes apart) and handles the window's
     * events for wait_ms milliseconds (at least 1). *stop becomes 1 when the
     * user pressed q or Esc or closed the window. */
    ps_status (*show)(ps_display_window *w, const uint8_t *rgb, int width, int height, size_t stride, int wait_ms,
                      int *stop, char *err, size_t cap);
    /* Closes the window (if still open) and frees w. */
    void (*close)(ps_display_window *w);
} ps_display_module;

/* The module's one exported symbol. */
typedef const ps_display_module *(*ps_display_module_entry)(void);

#endif
