/* The log sink: one callback for the process, swapped atomically. */
#include "core/log.h"
#include <stdarg.h>
#include <stdio.h>

static ps_log_fn g_log_fn;
static void *g_log_ud;

void ps_log_set(ps_log_fn fn, void *userdata)
{
    __atomic_store_n(&g_log_ud, userdata, __ATOMIC_RELEASE);
    __atomic_store_n(&g_log_fn, fn, __ATOMIC_RELEASE);
}

void ps_log(ps_log_level level, const char *fmt, ...)
{
    ps_log_fn fn = __atomic_load_n(&g_log_fn, __ATOMIC_ACQUIRE);
    if (!fn)
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fn(level, msg, __atomic_load_n(&g_log_ud, __ATOMIC_ACQUIRE));
}
