/* Letter task files (see task.h), read with jansson. */
#include "ink/task.h"
#include "core/alloc.h"
#include "core/status.h"
#include <jansson.h>
#include <math.h>
#include <string.h>

ps_status ink_task_parse(const char *text, size_t len, ps_ink_task_letter **task, size_t *n)
{
    *task = NULL;
    *n = 0;
    json_error_t err;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
    if (!root)
        return ps_fail(PS_ERR_CORRUPT, "line %d: %s", err.line, err.text);
    json_t *letters = json_object_get(root, "letters");
    ps_status rc = PS_OK;
    size_t count = json_array_size(letters);
    if (!json_is_array(letters) || count == 0 || count > PS_INK_TASK_MAX_LETTERS)
        rc = ps_fail(PS_ERR_CORRUPT, "needs a \"letters\" array of 1 to %d entries", PS_INK_TASK_MAX_LETTERS);
    ps_ink_task_letter *t = rc == PS_OK ? ps_calloc(count, sizeof *t) : NULL;
    if (rc == PS_OK && !t)
        rc = ps_fail(PS_ERR_NOMEM, "out of memory");
    for (size_t i = 0; rc == PS_OK && i < count; i++) {
        json_t *e = json_array_get(letters, i);
        json_t *c = json_object_get(e, "char"), *a = json_object_get(e, "start_s"), *b = json_object_get(e, "end_s");
        const char *cs = json_string_value(c);
        if (!cs || strlen(cs) != 1 || !json_is_number(a) || !json_is_number(b) ||
            !(json_number_value(b) >= json_number_value(a)) || !isfinite(json_number_value(b)))
            rc = ps_fail(PS_ERR_CORRUPT, "entry %zu needs \"char\" (one character), \"start_s\" <= \"end_s\"", i + 1);
        else
            t[i] = (ps_ink_task_letter){cs[0], json_number_value(a), json_number_value(b)};
    }
    json_decref(root);
    if (rc != PS_OK) {
        ps_free(t);
        return rc;
    }
    *task = t;
    *n = count;
    return PS_OK;
}
