/* Font caches: cairo's toy text API loads fonts through fontconfig, which
 * keeps its configuration for the life of the process. Releasing it at exit
 * keeps leak checkers quiet and lets embedding apps unload cleanly. */
#include "report/report_internal.h"

/* fontconfig comes in through cairo; resolved at run time so the library
 * need not link it directly. */
extern void FcFini(void) __attribute__((weak));

void ps_report_cleanup(void)
{
    cairo_debug_reset_static_data();
    if (FcFini)
        FcFini();
}
