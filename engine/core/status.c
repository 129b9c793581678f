/* Status strings and the thread-local last-error message. */
#include "core/status.h"
#include <stdio.h>
#include <string.h>

static _Thread_local char tl_msg[PS_ERRMSG_MAX];

const char *ps_status_str(ps_status rc)
{
    switch (rc) {
    case PS_OK: return "ok";
    case PS_ERR_INVALID_ARG: return "invalid argument";
    case PS_ERR_NOMEM: return "out of memory";
    case PS_ERR_IO: return "i/o error";
    case PS_ERR_CORRUPT: return "corrupt input";
    case PS_ERR_LIMIT: return "limit exceeded";
    case PS_ERR_UNSUPPORTED: return "unsupported input";
    case PS_ERR_DB: return "database error";
    case PS_ERR_INTERNAL: return "internal error";
    case PS_ERR_NOT_FOUND: return "not found";
    case PS_DONE: return "end of stream";
    }
    return "unknown status";
}

const char *ps_last_error(void)
{
    return tl_msg[0] ? tl_msg : "no error";
}

ps_status ps_failv(ps_status rc, const char *fmt, va_list ap)
{
    /* formatted apart first: callers pass ps_last_error() itself as an
       argument to add context, and vsnprintf's source and target must not
       overlap */
    char tmp[PS_ERRMSG_MAX];
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    memcpy(tl_msg, tmp, sizeof tmp);
    return rc;
}

ps_status ps_fail(ps_status rc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ps_failv(rc, fmt, ap);
    va_end(ap);
    return rc;
}

ps_status ps_errbuf_take(ps_errbuf *eb, ps_status rc)
{
    if (eb)
        snprintf(eb->msg, sizeof eb->msg, "%s", ps_last_error());
    return rc;
}

ps_status ps_errbuf_fail(ps_errbuf *eb, ps_status rc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ps_failv(rc, fmt, ap);
    va_end(ap);
    return ps_errbuf_take(eb, rc);
}

void ps_error_prefix(const char *ctx)
{
    char tmp[PS_ERRMSG_MAX + 64];
    snprintf(tmp, sizeof tmp, "%s: %s", ctx, tl_msg);
    snprintf(tl_msg, sizeof tl_msg, "%.*s", PS_ERRMSG_MAX - 1, tmp);
}

void ps_error_clear(void)
{
    tl_msg[0] = 0;
}
