/* Letter formation models (models/letters/print.json, read with jansson):
 * per character one or more variants, each a list of strokes in writing
 * order, each stroke a path in writing direction (so its first point is the
 * start point) in the model box (x right, y down: top line 0, mean line 0.5,
 * baseline 1). Everything is checked on load; a bad file is refused with
 * the place at fault. */
#include "ink/letters_internal.h"
#include "core/alloc.h"
#include "core/status.h"
#include <jansson.h>
#include <math.h>
#include <string.h>

static ps_status load_stroke(json_t *js, lm_stroke *s, const char *where)
{
    if (!json_is_array(js) || json_array_size(js) < 1 || json_array_size(js) > LM_MAX_POINTS)
        return ps_fail(PS_ERR_CORRUPT, "%s: a stroke must be an array of 1 to %d points", where, LM_MAX_POINTS);
    size_t n = json_array_size(js);
    s->pts = ps_malloc(n * sizeof *s->pts);
    if (!s->pts)
        return ps_fail(PS_ERR_NOMEM, "out of memory");
    s->n = (int)n;
    for (size_t i = 0; i < n; i++) {
        json_t *p = json_array_get(js, i);
        json_t *x = json_array_get(p, 0), *y = json_array_get(p, 1);
        if (!json_is_array(p) || json_array_size(p) != 2 || !json_is_number(x) || !json_is_number(y))
            return ps_fail(PS_ERR_CORRUPT, "%s: point %zu is not [x, y]", where, i);
        s->pts[i].x = json_number_value(x);
        s->pts[i].y = json_number_value(y);
        if (!isfinite(s->pts[i].x) || !isfinite(s->pts[i].y) || fabs(s->pts[i].x) > 10 || fabs(s->pts[i].y) > 10)
            return ps_fail(PS_ERR_CORRUPT, "%s: point %zu is outside the model box", where, i);
    }
    return PS_OK;
}

static ps_status load_letter(json_t *jv, lm_letter *L, char ch)
{
    if (!json_is_array(jv) || json_array_size(jv) < 1 || json_array_size(jv) > LM_MAX_VARIANTS)
        return ps_fail(PS_ERR_CORRUPT, "letter '%c': needs 1 to %d variants", ch, LM_MAX_VARIANTS);
    L->ch = ch;
    L->n_variants = (int)json_array_size(jv);
    for (int v = 0; v < L->n_variants; v++) {
        json_t *strokes = json_object_get(json_array_get(jv, (size_t)v), "strokes");
        if (!json_is_array(strokes) || json_array_size(strokes) < 1 ||
            json_array_size(strokes) > PS_INK_LETTER_MAX_STROKES)
            return ps_fail(PS_ERR_CORRUPT, "letter '%c' variant %d: needs 1 to %d strokes", ch, v,
                           PS_INK_LETTER_MAX_STROKES);
        lm_variant *V = &L->variants[v];
        V->n_strokes = (int)json_array_size(strokes);
        for (int s = 0; s < V->n_strokes; s++) {
            char where[64];
            snprintf(where, sizeof where, "letter '%c' variant %d stroke %d", ch, v, s + 1);
            ps_status rc = load_stroke(json_array_get(strokes, (size_t)s), &V->strokes[s], where);
            if (rc != PS_OK)
                return rc;
        }
    }
    return PS_OK;
}

void ps_letter_models_free(ps_letter_models_t *m)
{
    if (!m)
        return;
    for (int c = 0; c < 128; c++)
        for (int v = 0; v < m->letters[c].n_variants; v++)
            for (int s = 0; s < m->letters[c].variants[v].n_strokes; s++)
                ps_free(m->letters[c].variants[v].strokes[s].pts);
    ps_free(m);
}

ps_status ps_letter_models_load(const char *path, ps_letter_models_t **out)
{
    if (!out || !path)
        return ps_fail(PS_ERR_INVALID_ARG, "ps_letter_models_load: no path or output");
    *out = NULL;
    json_error_t err;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &err);
    if (!root)
        return ps_fail(PS_ERR_CORRUPT, "letter models '%s': line %d: %s", path, err.line, err.text);
    ps_status rc = PS_OK;
    ps_letter_models_t *m = ps_calloc(1, sizeof *m);
    json_t *letters = json_object_get(root, "letters");
    json_t *format = json_object_get(root, "format");
    if (!m)
        rc = ps_fail(PS_ERR_NOMEM, "out of memory");
    else if (!json_is_string(format) || strcmp(json_string_value(format), "penscope-letter-models/1"))
        rc = ps_fail(PS_ERR_UNSUPPORTED, "letter models '%s': format is not penscope-letter-models/1", path);
    else if (!json_is_object(letters))
        rc = ps_fail(PS_ERR_CORRUPT, "letter models '%s': no \"letters\" object", path);
    const char *key;
    json_t *val;
    if (rc == PS_OK)
        json_object_foreach(letters, key, val) {
            unsigned char ch = (unsigned char)key[0];
            if (!key[0] || key[1] || ch < 0x21 || ch > 0x7e) {
                rc = ps_fail(PS_ERR_CORRUPT, "letter models '%s': key '%s' is not one printable ASCII character", path, key);
                break;
            }
            rc = load_letter(val, &m->letters[ch], (char)ch);
            if (rc != PS_OK) {
                ps_fail(rc, "letter models '%s': %s", path, ps_last_error());
                break;
            }
            m->count++;
        }
    json_decref(root);
    if (rc != PS_OK) {
        ps_letter_models_free(m);
        return rc;
    }
    *out = m;
    return PS_OK;
}

int ps_letter_models_count(const ps_letter_models_t *m)
{
    return m ? m->count : 0;
}

int ps_letter_models_has(const ps_letter_models_t *m, char c)
{
    unsigned char u = (unsigned char)c;
    return m && u < 128 && m->letters[u].n_variants > 0;
}
