/* A growable byte buffer; a failed growth sets a sticky error flag instead of
 * losing data silently, so writers can check once at the end. */
#ifndef PS_CORE_BUF_H
#define PS_CORE_BUF_H
#include <stddef.h>
#include <stdbool.h>
#include <stdio.h>

typedef struct ps_buf {
    char *data;     /* always NUL-terminated when len > 0 */
    size_t len, cap;
    bool failed;    /* an allocation failed: contents are incomplete */
} ps_buf;

void ps_buf_init(ps_buf *b);
void ps_buf_release(ps_buf *b);
void ps_buf_reset(ps_buf *b);
bool ps_buf_reserve(ps_buf *b, size_t extra);
void ps_buf_append(ps_buf *b, const void *p, size_t n);
void ps_buf_putc(ps_buf *b, char c);
void ps_buf_puts(ps_buf *b, const char *s);
void ps_buf_printf(ps_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Writes the contents to f and resets the buffer; false on a write error. */
bool ps_buf_flush(ps_buf *b, FILE *f);

#endif
