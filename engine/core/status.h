/* Status codes and error messages: a thread-local message for calls without a
 * handle, and a small fixed buffer type that handles embed for their own. */
#ifndef PS_CORE_STATUS_H
#define PS_CORE_STATUS_H
#include "penscope.h"
#include <stdarg.h>

#define PS_ERRMSG_MAX 512

/* A handle's own message buffer (sqlite3_errmsg-style). */
typedef struct ps_errbuf { char msg[PS_ERRMSG_MAX]; } ps_errbuf;

/* Sets this thread's last error to the formatted message and returns rc, so
 * that a failure is one line: return ps_fail(PS_ERR_IO, "cannot open '%s'", p); */
ps_status ps_fail(ps_status rc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
ps_status ps_failv(ps_status rc, const char *fmt, va_list ap);

/* Copies this thread's last error into a handle's buffer; returns rc. */
ps_status ps_errbuf_take(ps_errbuf *eb, ps_status rc);
/* Formats straight into a handle's buffer and the thread-local one; returns rc. */
ps_status ps_errbuf_fail(ps_errbuf *eb, ps_status rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Prefixes this thread's last error with "ctx: " (e.g. the file name). */
void ps_error_prefix(const char *ctx);
/* Clears this thread's last error. */
void ps_error_clear(void);

#endif
