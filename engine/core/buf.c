/* Growable byte buffer (see buf.h). */
#include "core/buf.h"
#include "core/alloc.h"
#include "penscope.h"
#include <stdarg.h>
#include <string.h>

void ps_buf_init(ps_buf *b) { memset(b, 0, sizeof *b); }

void ps_buf_release(ps_buf *b)
{
    ps_free(b->data);
    memset(b, 0, sizeof *b);
}

void ps_buf_reset(ps_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = 0;
}

bool ps_buf_reserve(ps_buf *b, size_t extra)
{
    if (b->failed)
        return false;
    size_t need;
    if (!ps_size_add_ok(b->len, extra, &need) || !ps_size_add_ok(need, 1, &need)) {
        b->failed = true;
        return false;
    }
    if (need <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need) {
        if (cap > SIZE_MAX / 2) {
            cap = need;
            break;
        }
        cap *= 2;
    }
    char *d = ps_realloc(b->data, cap);
    if (!d) {
        b->failed = true;
        return false;
    }
    b->data = d;
    b->cap = cap;
    return true;
}

void ps_buf_append(ps_buf *b, const void *p, size_t n)
{
    if (!ps_buf_reserve(b, n))
        return;
    memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = 0;
}

void ps_buf_putc(ps_buf *b, char c) { ps_buf_append(b, &c, 1); }
void ps_buf_puts(ps_buf *b, const char *s) { ps_buf_append(b, s, strlen(s)); }

void ps_buf_printf(ps_buf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = true;
        return;
    }
    if ((size_t)n < sizeof small) {
        ps_buf_append(b, small, (size_t)n);
        return;
    }
    if (!ps_buf_reserve(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

bool ps_buf_flush(ps_buf *b, FILE *f)
{
    bool ok = fwrite(b->data ? b->data : "", 1, b->len, f) == b->len;
    ps_buf_reset(b);
    return ok;
}
