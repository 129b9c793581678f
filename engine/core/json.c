/* Streaming JSON writer (see json.h). */
#include "core/json.h"
#include <math.h>
#include <string.h>

void ps_json_init(ps_json *j, ps_buf *out)
{
    memset(j, 0, sizeof *j);
    j->out = out;
}

/* Separator before a new value: a comma unless first in its container or
 * right after a key. */
static void before_value(ps_json *j)
{
    if (j->after_key) {
        j->after_key = false;
        return;
    }
    if (j->depth > 0) {
        if (j->has_items[j->depth - 1])
            ps_buf_putc(j->out, ',');
        j->has_items[j->depth - 1] = true;
    }
}

static void open(ps_json *j, char c)
{
    before_value(j);
    ps_buf_putc(j->out, c);
    if (j->depth >= PS_JSON_MAX_DEPTH) {
        j->bad = true;
        return;
    }
    j->has_items[j->depth++] = false;
}

static void close_(ps_json *j, char c)
{
    if (j->depth == 0 || j->after_key)
        j->bad = true;
    else
        j->depth--;
    ps_buf_putc(j->out, c);
}

void ps_json_obj_begin(ps_json *j) { open(j, '{'); }
void ps_json_obj_end(ps_json *j) { close_(j, '}'); }
void ps_json_arr_begin(ps_json *j) { open(j, '['); }
void ps_json_arr_end(ps_json *j) { close_(j, ']'); }

/* Length of a valid UTF-8 sequence at s (n bytes left), or 0 when invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t len;
    unsigned min;
    if (c < 0x80)
        return 1;
    else if ((c & 0xE0) == 0xC0) { len = 2; min = 0x80; c &= 0x1F; }
    else if ((c & 0xF0) == 0xE0) { len = 3; min = 0x800; c &= 0x0F; }
    else if ((c & 0xF8) == 0xF0) { len = 4; min = 0x10000; c &= 0x07; }
    else
        return 0;
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    return len;
}

static void write_string(ps_buf *b, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    ps_buf_putc(b, '"');
    size_t i = 0;
    while (i < n) {
        unsigned char c = p[i];
        if (c == '"' || c == '\\') {
            ps_buf_putc(b, '\\');
            ps_buf_putc(b, (char)c);
            i++;
        } else if (c < 0x20) {
            switch (c) {
            case '\n': ps_buf_puts(b, "\\n"); break;
            case '\r': ps_buf_puts(b, "\\r"); break;
            case '\t': ps_buf_puts(b, "\\t"); break;
            case '\b': ps_buf_puts(b, "\\b"); break;
            case '\f': ps_buf_puts(b, "\\f"); break;
            default: ps_buf_printf(b, "\\u%04x", c); break;
            }
            i++;
        } else if (c < 0x80) {
            ps_buf_putc(b, (char)c);
            i++;
        } else {
            size_t len = utf8_len(p + i, n - i);
            if (len == 0) {
                ps_buf_puts(b, "\\ufffd");
                i++;
            } else {
                ps_buf_append(b, p + i, len);
                i += len;
            }
        }
    }
    ps_buf_putc(b, '"');
}

void ps_json_decoded_text(ps_buf *out, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        size_t len = utf8_len(p + i, n - i);
        if (len == 0) {
            ps_buf_puts(out, "\xEF\xBF\xBD"); /* U+FFFD, as write_string's \ufffd decodes */
            i++;
        } else {
            ps_buf_append(out, p + i, len);
            i += len;
        }
    }
}

void ps_json_key(ps_json *j, const char *key)
{
    if (j->depth == 0 || j->after_key)
        j->bad = true;
    before_value(j);
    write_string(j->out, key, strlen(key));
    ps_buf_putc(j->out, ':');
    j->after_key = true;
}

void ps_json_strn(ps_json *j, const char *s, size_t n)
{
    before_value(j);
    write_string(j->out, s, n);
}

void ps_json_str(ps_json *j, const char *s)
{
    if (!s) {
        ps_json_null(j);
        return;
    }
    ps_json_strn(j, s, strlen(s));
}

void ps_json_num(ps_json *j, double v)
{
    before_value(j);
    if (!isfinite(v)) {
        ps_buf_puts(j->out, "null");
        return;
    }
    if (v == 0)
        v = 0; /* no "-0" */
    ps_buf_printf(j->out, "%.10g", v);
}

void ps_json_int(ps_json *j, int64_t v)
{
    before_value(j);
    ps_buf_printf(j->out, "%lld", (long long)v);
}

void ps_json_bool(ps_json *j, bool v)
{
    before_value(j);
    ps_buf_puts(j->out, v ? "true" : "false");
}

void ps_json_null(ps_json *j)
{
    before_value(j);
    ps_buf_puts(j->out, "null");
}

void ps_json_raw(ps_json *j, const char *json)
{
    before_value(j);
    ps_buf_puts(j->out, json);
}

void ps_json_kstr(ps_json *j, const char *k, const char *s) { ps_json_key(j, k); ps_json_str(j, s); }
void ps_json_knum(ps_json *j, const char *k, double v) { ps_json_key(j, k); ps_json_num(j, v); }
void ps_json_kint(ps_json *j, const char *k, int64_t v) { ps_json_key(j, k); ps_json_int(j, v); }
void ps_json_kbool(ps_json *j, const char *k, bool v) { ps_json_key(j, k); ps_json_bool(j, v); }
void ps_json_knull(ps_json *j, const char *k) { ps_json_key(j, k); ps_json_null(j); }

void ps_json_knums(ps_json *j, const char *k, const double *v, int n)
{
    ps_json_key(j, k);
    ps_json_arr_begin(j);
    for (int i = 0; i < n; i++)
        ps_json_num(j, v[i]);
    ps_json_arr_end(j);
}

bool ps_json_ok(const ps_json *j)
{
    return !j->bad && j->depth == 0 && !j->after_key && !j->out->failed;
}
