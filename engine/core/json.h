/* A streaming JSON writer into a ps_buf. It places commas and colons itself,
 * escapes strings (control characters as \u00XX, invalid UTF-8 replaced by
 * U+FFFD so the output is always valid JSON) and writes non-finite numbers as
 * null. Numbers use a fixed "%.10g" so output is byte-identical across runs. */
#ifndef PS_CORE_JSON_H
#define PS_CORE_JSON_H
#include "core/buf.h"
#include <stdbool.h>
#include <stdint.h>

#define PS_JSON_MAX_DEPTH 32

typedef struct ps_json {
    ps_buf *out;
    int depth;
    bool has_items[PS_JSON_MAX_DEPTH];
    bool after_key;
    bool bad;        /* misuse (unbalanced, too deep): output is not valid */
} ps_json;

void ps_json_init(ps_json *j, ps_buf *out);
void ps_json_obj_begin(ps_json *j);
void ps_json_obj_end(ps_json *j);
void ps_json_arr_begin(ps_json *j);
void ps_json_arr_end(ps_json *j);
void ps_json_key(ps_json *j, const char *key);
void ps_json_str(ps_json *j, const char *s);          /* NULL writes null */
void ps_json_strn(ps_json *j, const char *s, size_t n);
void ps_json_num(ps_json *j, double v);               /* non-finite writes null */
void ps_json_int(ps_json *j, int64_t v);
void ps_json_bool(ps_json *j, bool v);
void ps_json_null(ps_json *j);
/* Appends pre-serialised JSON (trusted, from this writer) as one value. */
void ps_json_raw(ps_json *j, const char *json);

/* key + value in one call */
void ps_json_kstr(ps_json *j, const char *key, const char *s);
void ps_json_knum(ps_json *j, const char *key, double v);
void ps_json_kint(ps_json *j, const char *key, int64_t v);
void ps_json_kbool(ps_json *j, const char *key, bool v);
void ps_json_knull(ps_json *j, const char *key);
/* key + an array of n numbers (a box, a point, a line segment) */
void ps_json_knums(ps_json *j, const char *key, const double *v, int n);

/* Appends the text a JSON reader gets back from a string written by this
 * writer: s with each invalid UTF-8 byte replaced by U+FFFD. Lets a reader
 * of penscope's output match names that were not valid UTF-8. */
void ps_json_decoded_text(ps_buf *out, const char *s, size_t n);

/* true when every container was closed and nothing went wrong */
bool ps_json_ok(const ps_json *j);

#endif
